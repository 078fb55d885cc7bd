/**
 * The repository-side probes of Azure DevOps: the Git repository (or the project's repository
 * list) and the configured branch through the refs API.
 */
import { Compile } from 'typebox/compile';
import type { HttpClient, VerificationReport } from '../http/index.ts';
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
    for (const id of ['repository-access', 'branch-exists'])
      report.check({
        id,
        title: id,
        outcome: 'skipped',
        detail: 'No project and repository are configured.',
      });
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
    report.check({
      id: 'repository-access',
      title: 'Repository access',
      outcome: 'fail',
      detail,
      fix: "Check organisation, project and repository names, the PAT scopes and the user's Read permission.",
    });
    report.check({
      id: 'branch-exists',
      title: 'Branch exists',
      outcome: 'skipped',
      detail: 'The repository could not be read.',
    });
    return {};
  }
  const repo = outcome.json;
  report.check({
    id: 'repository-access',
    title: 'Repository access',
    outcome: 'pass',
    detail: `Reads ${cfg.project}/${repo.name}.`,
  });
  if (cfg.branch === undefined) {
    report.check({
      id: 'branch-exists',
      title: 'Branch exists',
      outcome: 'skipped',
      detail: 'No branch is configured.',
    });
  } else {
    const refs = await client.request(`${base}/refs`, {
      query: { filter: `heads/${cfg.branch}`, 'api-version': API_VERSION },
    });
    const found =
      refs.kind === 'response' &&
      refs.status === 200 &&
      list.Check(refs.json) &&
      refs.json.value.some((ref) => (ref as { name?: string }).name === `refs/heads/${cfg.branch}`);
    report.check(
      found
        ? {
            id: 'branch-exists',
            title: 'Branch exists',
            outcome: 'pass',
            detail: `Branch ${cfg.branch} exists.`,
          }
        : {
            id: 'branch-exists',
            title: 'Branch exists',
            outcome: 'fail',
            detail: `Branch ${cfg.branch} was not found.`,
            fix: `Create ${cfg.branch} or configure an existing branch.`,
          },
    );
  }
  return { cloneUrl: repo.remoteUrl.replace(/^https:\/\/[^@/]+@/, 'https://') };
}
