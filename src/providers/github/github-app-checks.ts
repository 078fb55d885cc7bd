/**
 * GitHub App verification: the installation read with the app's JWT (`GET
 * /app/installations/{id}`: account, suspended state), an installation token minted with
 * `POST /app/installations/{id}/access_tokens` (permissions, repository selection, expiry) and
 * the repository allow-list (`GET /installation/repositories`).
 */
import type { Identity } from '../types.ts';
import { type GithubOctokitClient, send, toSendResult } from './github-client.ts';
import type { GithubConfig } from './github-config.ts';
import { meaningOf, type Report, record } from './github-findings.ts';
import { permissionsToScopes } from './github-scopes.ts';

/** What the installation and its minted token told. */
export type AppIntrospection =
  | {
      readonly reach: 'ok';
      readonly identity: Identity;
      /** Undefined when the installation is suspended and no token could be minted. */
      readonly permissions?: string[];
      readonly repositorySelection?: string;
      readonly htmlUrl?: string;
    }
  | { readonly reach: 'invalid' | 'rate-limited' | 'unreachable' };

interface InstallationBody {
  app_slug?: unknown;
  html_url?: unknown;
  suspended_at?: unknown;
  account?: { login?: unknown } | null;
}

function invalid(report: Report, why: string): AppIntrospection {
  record(report, 'token-valid', 'fail', why, 'Check the app id, installation id and private key.');
  report.finding(
    'credential_invalid',
    'error',
    why,
    'Check the app id, installation id and private key.',
    'token-valid',
  );
  return { reach: 'invalid' };
}

/** Reads the installation, then mints an installation token unless the installation is suspended. */
export async function introspectApp(
  report: Report,
  octokit: GithubOctokitClient,
  installationId: string,
): Promise<AppIntrospection> {
  const read = meaningOf(
    await send(octokit, 'GET /app/installations/{installation_id}', { installation_id: installationId }),
  );
  if (read.kind === 'rate-limited' || read.kind === 'unreachable') {
    record(report, 'token-valid', 'skipped', `GitHub did not answer (${read.kind}).`);
    return { reach: read.kind };
  }
  if (read.kind === 'invalid') return invalid(report, `GitHub rejects the app's JWT (401: ${read.message}).`);
  if (read.kind !== 'ok')
    return invalid(report, `Installation ${installationId} is not visible to this app (${read.kind}).`);
  const body = (read.answer.data ?? {}) as InstallationBody;
  const htmlUrl = typeof body.html_url === 'string' ? body.html_url : undefined;
  const identity: Identity = {
    accountType: 'app',
    installationId,
    ...(typeof body.app_slug === 'string' ? { account: body.app_slug } : {}),
    ...(typeof body.account?.login === 'string' ? { organisation: body.account.login } : {}),
  };
  if (typeof body.suspended_at === 'string') {
    const why = `The installation was suspended at ${body.suspended_at}; GitHub refuses its tokens.`;
    record(report, 'token-valid', 'fail', why, htmlUrl);
    report.finding(
      'installation_suspended',
      'error',
      why,
      htmlUrl ?? 'Unsuspend the installation in the account settings.',
      'token-valid',
    );
    return { reach: 'ok', identity, ...(htmlUrl === undefined ? {} : { htmlUrl }) };
  }
  return mint(report, octokit, identity, htmlUrl);
}

async function mint(
  report: Report,
  octokit: GithubOctokitClient,
  identity: Identity,
  htmlUrl: string | undefined,
): Promise<AppIntrospection> {
  let auth: { permissions?: unknown; repositorySelection?: unknown; expiresAt?: unknown };
  try {
    auth = (await octokit.auth({ type: 'installation' })) as typeof auth;
  } catch (error) {
    const meaning = meaningOf(toSendResult(error));
    if (meaning.kind === 'rate-limited' || meaning.kind === 'unreachable') {
      record(report, 'token-valid', 'skipped', `GitHub did not answer (${meaning.kind}).`);
      return { reach: meaning.kind };
    }
    return invalid(report, `GitHub refused to mint an installation token (${meaning.kind}).`);
  }
  const permissions = permissionsToScopes(auth.permissions);
  const selection = typeof auth.repositorySelection === 'string' ? auth.repositorySelection : undefined;
  const expires = typeof auth.expiresAt === 'string' ? ` valid until ${auth.expiresAt}` : '';
  record(
    report,
    'token-valid',
    'pass',
    `Installation token minted${expires} (repositories: ${selection ?? 'unknown'}).`,
  );
  return {
    reach: 'ok',
    identity,
    permissions,
    ...(selection === undefined ? {} : { repositorySelection: selection }),
    ...(htmlUrl === undefined ? {} : { htmlUrl }),
  };
}

const MAX_PAGES = 10;

/** Records `allow-list`: the configured repository is inside the installation's repositories. */
export async function checkAllowList(
  report: Report,
  octokit: GithubOctokitClient,
  config: GithubConfig,
  app: { readonly repositorySelection?: string; readonly htmlUrl?: string; readonly identity: Identity },
): Promise<'ok' | 'outside' | 'rate-limited' | 'unreachable' | 'invalid'> {
  const repo = config.repository;
  if (repo === undefined) {
    record(report, 'allow-list', 'skipped', 'No repository is configured.');
    return 'ok';
  }
  const fullName = `${repo.owner}/${repo.name}`.toLowerCase();
  const owner = app.identity.organisation?.toLowerCase();
  const fix = app.htmlUrl ?? 'Add the repository to the installation in the account’s GitHub App settings.';
  if (owner !== undefined && owner !== repo.owner.toLowerCase())
    return outside(report, fullName, fix, `the installation belongs to ${app.identity.organisation}`);
  if (app.repositorySelection === 'all') {
    record(report, 'allow-list', 'pass', 'The installation covers all repositories of the account.');
    return 'ok';
  }
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const meaning = meaningOf(await send(octokit, 'GET /installation/repositories', { per_page: 100, page }));
    if (meaning.kind !== 'ok') {
      const kind =
        meaning.kind === 'rate-limited' || meaning.kind === 'unreachable' || meaning.kind === 'invalid'
          ? meaning.kind
          : 'invalid';
      record(
        report,
        'allow-list',
        'skipped',
        `The installation's repositories could not be listed (${meaning.kind}).`,
      );
      return kind;
    }
    const data = (meaning.answer.data ?? {}) as {
      total_count?: unknown;
      repositories?: { full_name?: unknown }[];
    };
    const list = Array.isArray(data.repositories) ? data.repositories : [];
    if (list.some((r) => typeof r.full_name === 'string' && r.full_name.toLowerCase() === fullName)) {
      record(
        report,
        'allow-list',
        'pass',
        `${repo.owner}/${repo.name} is a selected repository of the installation.`,
      );
      return 'ok';
    }
    const total = typeof data.total_count === 'number' ? data.total_count : 0;
    if (list.length === 0 || page * 100 >= total) break;
  }
  return outside(report, fullName, fix, 'it is not among the selected repositories');
}

function outside(report: Report, fullName: string, fix: string, why: string): 'outside' {
  const message = `Repository ${fullName} is outside the GitHub App installation: ${why}.`;
  record(report, 'allow-list', 'fail', message, fix);
  report.finding('repository_not_in_installation', 'error', message, fix, 'allow-list');
  return 'outside';
}
