/**
 * Checks on the configured repository: the HTTPS clone URL form (no request), and one request that
 * answers repository access, SAML SSO and the branch at once — `GET /repos/{o}/{r}/branches/{b}`
 * when a branch is configured, `GET /repos/{o}/{r}` otherwise.
 */
import type { GithubOctokitClient } from './github-client.ts';
import { send } from './github-client.ts';
import type { GithubConfig } from './github-config.ts';
import {
  type AnswerMeaning,
  meaningOf,
  type Report,
  record,
  recordNoAccess,
  recordSso,
} from './github-findings.ts';

/** Checks that `config.cloneUrl` is `https://HOST/owner/repo(.git)` on the integration's host. */
export function checkCloneUrl(report: Report, config: GithubConfig): void {
  if (config.cloneUrl === undefined) {
    record(report, 'clone-url-form', 'skipped', 'No clone URL is configured.');
    return;
  }
  const problem = cloneUrlProblem(config.cloneUrl, config.webHost, config.repository);
  if (problem === undefined) {
    record(report, 'clone-url-form', 'pass', 'HTTPS clone URL on the integration’s host.');
    return;
  }
  const expected = `https://${config.webHost}/${config.repository ? `${config.repository.owner}/${config.repository.name}` : 'OWNER/REPO'}.git`;
  record(report, 'clone-url-form', 'fail', problem, `Use ${expected}`);
  report.finding('clone_url_invalid', 'error', problem, `Use ${expected}`, 'clone-url-form');
}

/** Why a clone URL is not of the HTTPS form, or undefined when it is. Never echoes credentials. */
export function cloneUrlProblem(
  cloneUrl: string,
  webHost: string,
  repository?: { readonly owner: string; readonly name: string },
): string | undefined {
  if (/^[\w.-]+@[\w.-]+:/.test(cloneUrl) || cloneUrl.startsWith('ssh://')) {
    return 'The clone URL is an SSH URL; the credential authenticates HTTPS clones only.';
  }
  let url: URL;
  try {
    url = new URL(cloneUrl);
  } catch {
    return 'The clone URL is not a URL.';
  }
  if (url.protocol !== 'https:') return `The clone URL uses ${url.protocol.slice(0, -1)}, not https.`;
  if (url.username !== '' || url.password !== '')
    return 'The clone URL embeds credentials; keep them out of URLs.';
  if (url.host.toLowerCase() !== webHost.toLowerCase()) {
    return `The clone URL's host ${url.host} is not the integration's host ${webHost}.`;
  }
  if (url.search !== '' || url.hash !== '') return 'The clone URL has a query or fragment.';
  const match = /^\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url.pathname);
  if (!match) return 'The clone URL path is not /OWNER/REPO(.git).';
  if (
    repository &&
    `${match[1]}/${match[2]}`.toLowerCase() !== `${repository.owner}/${repository.name}`.toLowerCase()
  ) {
    return `The clone URL names ${match[1]}/${match[2]}, not the configured repository ${repository.owner}/${repository.name}.`;
  }
  return undefined;
}

/** What the repository request ended in, for the caller's reach. */
export type RepositoryOutcome = 'ok' | 'skipped' | 'invalid' | 'rate-limited' | 'unreachable' | 'no-access';

function recordMeaning(
  report: Report,
  meaning: AnswerMeaning,
  target: string,
  branch: string | undefined,
  ssoApplies: boolean,
): RepositoryOutcome {
  switch (meaning.kind) {
    case 'ok':
      if (ssoApplies) record(report, 'sso', 'pass', `${target} answered.`);
      if (branch !== undefined) record(report, 'branch-exists', 'pass', `Branch ${branch} exists.`);
      return 'ok';
    case 'sso':
      recordSso(report, target, meaning.url);
      if (branch !== undefined) record(report, 'branch-exists', 'skipped', 'Blocked by SAML SSO.');
      return 'no-access';
    case 'not-found':
      if (branch === undefined) recordNoAccess(report, `repository ${target}`);
      else {
        recordNoAccess(report, `branch ${branch} of ${target}`, 'branch-exists');
        record(
          report,
          'branch-exists',
          'fail',
          `404 for branch ${branch}: missing, or the repository is not visible to the credential.`,
          `Create the branch ${branch} or give the credential access to ${target}.`,
        );
      }
      if (ssoApplies) record(report, 'sso', 'pass', 'No SAML SSO challenge.');
      return 'no-access';
    case 'rate-limited':
    case 'unreachable':
    case 'invalid':
      if (branch !== undefined)
        record(report, 'branch-exists', 'skipped', `GitHub did not answer (${meaning.kind}).`);
      return meaning.kind;
    default:
      report.finding('repository_forbidden', 'error', `GitHub refused ${target}: ${meaning.message}.`);
      if (branch !== undefined)
        record(report, 'branch-exists', 'skipped', 'The repository request was refused.');
      return 'no-access';
  }
}

/** Requests the repository (or its branch) and records `sso` and `branch-exists`. */
export async function checkRepository(
  report: Report,
  octokit: GithubOctokitClient,
  config: GithubConfig,
  ssoApplies: boolean,
): Promise<RepositoryOutcome> {
  const repo = config.repository;
  if (repo === undefined) {
    record(report, 'branch-exists', 'skipped', 'No repository is configured.');
    if (ssoApplies) record(report, 'sso', 'skipped', 'No repository is configured to test SAML SSO on.');
    return 'skipped';
  }
  const target = `${repo.owner}/${repo.name}`;
  const params = { owner: repo.owner, repo: repo.name };
  const result =
    config.branch === undefined
      ? await send(octokit, 'GET /repos/{owner}/{repo}', params)
      : await send(octokit, 'GET /repos/{owner}/{repo}/branches/{branch}', {
          ...params,
          branch: config.branch,
        });
  if (config.branch === undefined) record(report, 'branch-exists', 'skipped', 'No branch is configured.');
  return recordMeaning(report, meaningOf(result), target, config.branch, ssoApplies);
}
