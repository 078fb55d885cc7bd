/**
 * The repository-side probes of Azure DevOps: the Git repository (or the project's repository
 * list) and the configured branch through the refs API.
 */
import { Compile } from 'typebox/compile';
import type { HttpClient, VerificationReport } from '../http/index.ts';
import { branchCheck, sharedCheck, skipChecks } from '../http/index.ts';
import type { AzureDevopsConfig } from './azure-devops-config.ts';
import { errorMessage, recordProbeRefusal } from './azure-devops-responses.ts';
import { API_VERSION, ListSchema, RepositorySchema } from './azure-devops-schema.ts';

const repository = Compile(RepositorySchema);
const list = Compile(ListSchema);

/** Runs `repository-access` and `branch-exists`; returns the HTTPS clone URL when read. */
export async function checkRepository(
  client: HttpClient,
  report: VerificationReport,
  cfg: AzureDevopsConfig,
): Promise<{ cloneUrl?: string }> {
  if (cfg.project === undefined || cfg.repository === undefined) {
    skipChecks(report, ['repository-access', 'branch-exists'], 'No project and repository are configured.');
    return {};
  }
  const base = `/${encodeURIComponent(cfg.organization)}/${encodeURIComponent(cfg.project)}/_apis/git/repositories/${encodeURIComponent(cfg.repository)}`;
  const outcome = await client.request(base, { query: { 'api-version': API_VERSION } });
  if (outcome.kind !== 'response' || outcome.status !== 200 || !repository.Check(outcome.json)) {
    const status = outcome.kind === 'response' ? outcome.status : 0;
    if (status === 401)
      recordProbeRefusal(
        report,
        `GET ${cfg.project}/_apis/git/repositories/${cfg.repository}`,
        'vso.code (Code, read)',
        'Read on the repository (Readers group)',
        outcome,
      );
    const detail =
      status === 404
        ? `Repository ${cfg.project}/${cfg.repository} was not found: ${errorMessage(outcome) ?? '404'}`
        : `Azure DevOps answered ${status} for the repository.`;
    const fix =
      "Check organisation, project and repository names, the PAT scopes and the user's Read permission.";
    report.check(sharedCheck('repository-access', 'fail', detail, fix));
    report.check(sharedCheck('branch-exists', 'skipped', 'The repository could not be read.'));
    return {};
  }
  const repo = outcome.json;
  report.check(sharedCheck('repository-access', 'pass', `Reads ${cfg.project}/${repo.name}.`));
  if (cfg.branch === undefined) report.check(branchCheck(undefined));
  else {
    const refs = await client.request(`${base}/refs`, {
      query: { filter: `heads/${cfg.branch}`, 'api-version': API_VERSION },
    });
    const found =
      refs.kind === 'response' &&
      refs.status === 200 &&
      list.Check(refs.json) &&
      refs.json.value.some((ref) => (ref as { name?: string }).name === `refs/heads/${cfg.branch}`);
    report.check(branchCheck(cfg.branch, found));
  }
  return { cloneUrl: repo.remoteUrl.replace(/^https:\/\/[^@/]+@/, 'https://') };
}
