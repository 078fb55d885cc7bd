/**
 * The repository-side checks of Gitea: the repository is readable, the user's permissions there
 * (`permissions{admin,push,pull}`) meet the enabled features' role, and the branch exists.
 */
import { Compile } from 'typebox/compile';
import type { RoleRequirement } from '../../core/catalogue/index.ts';
import type { HttpClient, VerificationReport } from '../http/index.ts';
import { branchCheck, recordRoleShortfall, sharedCheck, skipChecks } from '../http/index.ts';
import type { Introspection } from '../types.ts';
import type { GiteaConfig } from './gitea-config.ts';
import { type Refusals, readCommon } from './gitea-responses.ts';
import { type GiteaRepository, RepositorySchema } from './gitea-schema.ts';

const repository = Compile(RepositorySchema);
const RANK: Readonly<Record<string, number>> = { read: 1, write: 2, admin: 3 };

function levelOf(repo: GiteaRepository): string {
  const permissions = repo.permissions;
  if (permissions?.admin) return 'admin';
  if (permissions?.push) return 'write';
  return permissions?.pull ? 'read' : 'none';
}

/** Runs `repository-access`, `role` and `branch-exists`; returns the clone URL when read. */
export async function checkRepository(
  client: HttpClient,
  report: VerificationReport,
  refusals: Refusals,
  cfg: GiteaConfig,
  roles: readonly { feature: string; role: RoleRequirement }[],
): Promise<{ stop?: Introspection['reach']; cloneUrl?: string }> {
  if (cfg.owner === undefined || cfg.repository === undefined) {
    skipChecks(
      report,
      ['repository-access', 'role', 'branch-exists'],
      'No owner and repository are configured.',
    );
    return {};
  }
  const base = `/repos/${encodeURIComponent(cfg.owner)}/${encodeURIComponent(cfg.repository)}`;
  const outcome = await client.request(base);
  const stop = readCommon(report, refusals, outcome, `GET ${base}`);
  if (stop !== undefined) return { stop };
  if (outcome.kind !== 'response' || outcome.status !== 200 || !repository.Check(outcome.json)) {
    const status = outcome.kind === 'response' ? outcome.status : 0;
    const detail =
      status === 404
        ? `Repository ${cfg.owner}/${cfg.repository} does not exist or the user cannot see it (404).`
        : `Gitea answered ${status} for the repository.`;
    const fix = "Check owner and repository, and the user's access to it.";
    report.check(sharedCheck('repository-access', 'fail', detail, fix));
    if (status === 404)
      report.finding({
        code: 'repository_inaccessible',
        severity: 'error',
        message: detail,
        check: 'repository-access',
      });
    skipChecks(report, ['role', 'branch-exists'], 'The repository could not be read.');
    return {};
  }
  const repo = outcome.json;
  report.check(sharedCheck('repository-access', 'pass', `Reads ${repo.full_name}.`));
  checkRole(report, roles, levelOf(repo), repo.full_name);
  report.check(await checkBranch(client, base, cfg.branch));
  return { cloneUrl: repo.clone_url };
}

function checkRole(
  report: VerificationReport,
  roles: readonly { feature: string; role: RoleRequirement }[],
  level: string,
  name: string,
) {
  const needed = roles.filter((entry) => RANK[entry.role.name] !== undefined);
  if (needed.length === 0) {
    report.check(sharedCheck('role', 'skipped', 'No enabled feature needs a repository role.'));
    return;
  }
  const short = needed.filter((entry) => RANK[entry.role.name]! > (RANK[level] ?? 0));
  if (short.length === 0) {
    report.check(sharedCheck('role', 'pass', `${level} on ${name}.`));
    return;
  }
  const fix = `Give the user ${short
    .map((entry) => entry.role.name)
    .sort()
    .at(-1)} access to ${name}.`;
  const messages = short.map(
    (entry) => `Feature ${entry.feature} needs ${entry.role.name} on ${name}; the user has ${level}.`,
  );
  recordRoleShortfall(report, messages, `${level} on ${name} is not enough.`, fix);
}

async function checkBranch(client: HttpClient, base: string, branch: string | undefined) {
  if (branch === undefined) return branchCheck(undefined);
  const outcome = await client.request(`${base}/branches/${encodeURIComponent(branch)}`);
  return branchCheck(branch, outcome.kind === 'response' && outcome.status === 200);
}
