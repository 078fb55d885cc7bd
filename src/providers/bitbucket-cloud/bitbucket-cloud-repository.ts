/**
 * The repository-side checks of Bitbucket Cloud: the repository is readable, the user holds the
 * role a feature needs (through GET /repositories/{workspace}?role=…, the replacement of the
 * retired permission endpoints), and the branch exists.
 */
import { Compile } from 'typebox/compile';
import type { RoleRequirement } from '../../core/catalogue/index.ts';
import {
  branchCheck,
  type HttpClient,
  recordRepositoryFailure,
  recordRoleShortfall,
  sharedCheck,
  skipChecks,
  type VerificationReport,
} from '../http/index.ts';
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
    skipChecks(
      report,
      ['repository-access', 'role', 'branch-exists'],
      'No workspace and repository are configured.',
    );
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
    recordRepositoryFailure(report, detail, fix);
    report.check(sharedCheck('role', 'skipped', 'The repository could not be read.'));
    report.check(sharedCheck('branch-exists', 'skipped', 'The repository could not be read.'));
    return facts;
  }
  const found = outcome.json;
  report.check(sharedCheck('repository-access', 'pass', `Reads ${found.full_name}.`));
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
    report.check(
      sharedCheck(
        'role',
        'skipped',
        'No enabled feature needs a repository role (or the credential has none).',
      ),
    );
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
    report.check(sharedCheck('role', 'pass', `Admin of ${fullName}.`));
    return;
  }
  const fix = `Make the credential's user an admin of ${fullName}.`;
  const messages = admin.map(
    (entry) =>
      `Feature ${entry.feature} needs the admin role on ${fullName}; the credential's user is not an admin.`,
  );
  recordRoleShortfall(report, messages, `Not an admin of ${fullName}.`, fix);
}

async function checkBranch(
  client: HttpClient,
  report: VerificationReport,
  base: string,
  branch: string | undefined,
) {
  if (branch === undefined) {
    report.check(branchCheck(undefined));
    return;
  }
  const outcome = await client.request(`${base}/refs/branches/${encodeURIComponent(branch)}`);
  report.check(branchCheck(branch, outcome.kind === 'response' && outcome.status === 200));
}
