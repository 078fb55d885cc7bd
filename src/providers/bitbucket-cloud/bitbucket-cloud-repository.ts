/**
 * The repository-side checks of Bitbucket Cloud: the repository is readable, the user holds the
 * role a feature needs (through GET /repositories/{workspace}?role=…, the replacement of the
 * retired permission endpoints), and the branch exists.
 */
import { Compile } from 'typebox/compile';
import type { RoleRequirement } from '../../core/catalogue/index.ts';
import type { HttpClient, VerificationReport } from '../http/index.ts';
import type { Introspection } from '../types.ts';
import type { BitbucketCloudConfig } from './bitbucket-cloud-config.ts';
import { errorMessage, headerScopes, readCommon } from './bitbucket-cloud-responses.ts';
import { PageSchema, RepositorySchema } from './bitbucket-cloud-schema.ts';

const repository = Compile(RepositorySchema);
const page = Compile(PageSchema);

/** What the repository checks found. */
export interface RepositoryFacts {
  readonly stop?: Introspection['reach'];
  readonly granted?: string[];
  readonly cloneUrl?: string;
}

/** Runs `repository-access`, `role` and `branch-exists`. */
export async function readRepositoryChecks(
  client: HttpClient,
  report: VerificationReport,
  cfg: BitbucketCloudConfig,
  { roles }: { roles: readonly { feature: string; role: RoleRequirement }[] },
): Promise<RepositoryFacts> {
  if (cfg.workspace === undefined || cfg.repository === undefined) {
    const detail = 'No workspace and repository are configured.';
    for (const id of ['repository-access', 'role', 'branch-exists']) {
      report.check({ id, title: id, outcome: 'skipped', detail });
    }
    return {};
  }
  const base = `/repositories/${encodeURIComponent(cfg.workspace)}/${encodeURIComponent(cfg.repository)}`;
  const outcome = await client.request(base);
  const common = readCommon(report, outcome, `GET ${base}`);
  if (common.stop !== undefined) return { stop: common.stop };
  const granted = headerScopes(outcome) ?? common.granted;
  const facts = granted === undefined ? {} : { granted };
  if (outcome.kind !== 'response' || outcome.status !== 200 || !repository.Check(outcome.json)) {
    const status = outcome.kind === 'response' ? outcome.status : 0;
    const detail =
      status === 404
        ? `Repository ${cfg.workspace}/${cfg.repository} does not exist or the credential cannot see it (404).`
        : `Bitbucket Cloud answered ${status} for the repository${errorMessage(outcome) ? `: ${errorMessage(outcome)}` : ''}.`;
    const fix = 'Check the workspace and repository slug, and give the credential access to the repository.';
    report.check({ id: 'repository-access', title: 'Repository access', outcome: 'fail', detail, fix });
    report.finding({
      code: 'repository_inaccessible',
      severity: 'error',
      message: detail,
      fix,
      check: 'repository-access',
    });
    report.check({
      id: 'role',
      title: 'Role',
      outcome: 'skipped',
      detail: 'The repository could not be read.',
    });
    report.check({
      id: 'branch-exists',
      title: 'Branch exists',
      outcome: 'skipped',
      detail: 'The repository could not be read.',
    });
    return facts;
  }
  const found = outcome.json;
  report.check({
    id: 'repository-access',
    title: 'Repository access',
    outcome: 'pass',
    detail: `Reads ${found.full_name}.`,
  });
  await checkRole(client, report, cfg, roles);
  await checkBranch(client, report, base, cfg.branch);
  const cloneUrl = found.links.clone
    ?.find((link) => link.name === 'https')
    ?.href.replace(/^https:\/\/[^@/]+@/, 'https://');
  return { ...facts, ...(cloneUrl === undefined ? {} : { cloneUrl }) };
}

async function checkRole(
  client: HttpClient,
  report: VerificationReport,
  cfg: BitbucketCloudConfig,
  roles: readonly { feature: string; role: RoleRequirement }[],
): Promise<void> {
  const admin = roles.filter((entry) => entry.role.name === 'admin');
  if (admin.length === 0) {
    report.check({
      id: 'role',
      title: 'Role',
      outcome: 'skipped',
      detail: 'No enabled feature needs a repository role (or the credential has none).',
    });
    return;
  }
  const fullName = `${cfg.workspace}/${cfg.repository}`;
  const outcome = await client.request(`/repositories/${encodeURIComponent(cfg.workspace!)}`, {
    query: { role: 'admin', q: `full_name="${fullName}"`, pagelen: 1 },
  });
  const held =
    outcome.kind === 'response' &&
    outcome.status === 200 &&
    page.Check(outcome.json) &&
    outcome.json.values.length > 0;
  if (held) {
    report.check({ id: 'role', title: 'Role', outcome: 'pass', detail: `Admin of ${fullName}.` });
    return;
  }
  const fix = `Make the credential's user an admin of ${fullName}.`;
  for (const entry of admin) {
    report.finding({
      code: 'role_insufficient',
      severity: 'error',
      message: `Feature ${entry.feature} needs the admin role on ${fullName}; the credential's user is not an admin.`,
      fix,
      check: 'role',
    });
  }
  report.check({ id: 'role', title: 'Role', outcome: 'fail', detail: `Not an admin of ${fullName}.`, fix });
}

async function checkBranch(
  client: HttpClient,
  report: VerificationReport,
  base: string,
  branch: string | undefined,
) {
  if (branch === undefined) {
    report.check({
      id: 'branch-exists',
      title: 'Branch exists',
      outcome: 'skipped',
      detail: 'No branch is configured.',
    });
    return;
  }
  const outcome = await client.request(`${base}/refs/branches/${encodeURIComponent(branch)}`);
  const ok = outcome.kind === 'response' && outcome.status === 200;
  report.check(
    ok
      ? { id: 'branch-exists', title: 'Branch exists', outcome: 'pass', detail: `Branch ${branch} exists.` }
      : {
          id: 'branch-exists',
          title: 'Branch exists',
          outcome: 'fail',
          detail: `Branch ${branch} was not found.`,
          fix: `Create ${branch} or configure an existing branch.`,
        },
  );
}
