/**
 * The endpoints the local GitHub answers, as a table of method, path pattern and handler. Every
 * other route is GitHub's 404 JSON.
 */

import { checkAccess, type FakeResponse, type Need, notFound } from './github-fake-access.ts';
import type { Principal } from './github-fake-auth.ts';
import {
  basicError,
  branch,
  contentDirectory,
  fullRepository,
  type Hosts,
  installation,
  installationToken,
  privateUser,
  rateLimitOverview,
  repository,
} from './github-fake-bodies.ts';
import type { FakeRateLimit } from './github-fake-rate-limit.ts';
import type { FakeWorld } from './github-fake-world.ts';

/** What a handler sees. */
export interface RouteContext {
  readonly world: FakeWorld;
  readonly hosts: Hosts;
  readonly principal: Principal;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly now: number;
  readonly rateLimit: FakeRateLimit | undefined;
  readonly bucket: string;
}

type Handler = (ctx: RouteContext) => FakeResponse;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly handler: Handler;
}

function route(method: string, path: string, handler: Handler): Route {
  const names: string[] = [];
  const source = path.replace(/\{(\+?)(\w+)\}/g, (_, plus: string, name: string) => {
    names.push(name);
    return plus ? '(.*)' : '([^/]+)';
  });
  return { method, pattern: new RegExp(`^${source}$`), names, handler };
}

function requiresAuth(): FakeResponse {
  return { status: 401, body: basicError('Requires authentication', 401) };
}

/** A repository route: 404/403 by the access rules, else the handler's answer with the accepted headers. */
function repoRoute(
  method: string,
  path: string,
  need: Need,
  answer: (ctx: RouteContext) => FakeResponse,
): Route {
  return route(method, path, (ctx) => {
    const { owner = '', repo: name = '' } = ctx.params;
    const repo = ctx.world.repo(owner, name);
    if (!repo) return notFound();
    const access = checkAccess(ctx.world, ctx.hosts, ctx.principal, repo.owner, repo, need);
    if (!access.ok) return access.response;
    const response = answer(ctx);
    return { ...response, headers: { ...access.headers, ...response.headers } };
  });
}

function orgRoute(path: string, need: Need): Route {
  return route('GET', path, (ctx) => {
    const org = ctx.params['org'] ?? '';
    if (!ctx.world.orgs.has(org)) return notFound();
    const access = checkAccess(ctx.world, ctx.hosts, ctx.principal, org, undefined, need);
    return access.ok ? { status: 200, headers: access.headers, body: [] } : access.response;
  });
}

function repoOf(ctx: RouteContext) {
  const repo = ctx.world.repo(ctx.params['owner'] ?? '', ctx.params['repo'] ?? '');
  if (!repo) throw new Error('route without repository');
  return repo;
}

function getUser(ctx: RouteContext): FakeResponse {
  const p = ctx.principal;
  if (p.kind !== 'token') return requiresAuth();
  if (p.token.kind === 'installation')
    return { status: 403, body: basicError('Resource not accessible by integration', 403) };
  const user = ctx.world.users.get(p.token.user);
  if (!user) return requiresAuth();
  return { status: 200, body: privateUser(ctx.hosts, p.token.user, user.id, user.type) };
}

function appInstallation(ctx: RouteContext) {
  if (ctx.principal.kind !== 'app') return { error: appOnly(ctx) } as const;
  const inst = ctx.world.installations.get(Number(ctx.params['installation_id']));
  if (!inst || inst.appId !== ctx.principal.app.id) return { error: notFound() } as const;
  return { inst } as const;
}

function appOnly(ctx: RouteContext): FakeResponse {
  const message = 'A JSON web token could not be decoded';
  return ctx.principal.kind === 'anonymous'
    ? requiresAuth()
    : { status: 401, body: basicError(message, 401) };
}

function mintToken(ctx: RouteContext): FakeResponse {
  const found = appInstallation(ctx);
  if ('error' in found) return found.error;
  if (found.inst.suspendedAt !== null)
    return { status: 403, body: basicError('This installation has been suspended', 403) };
  const { token, expiresAt } = ctx.world.mintInstallationToken(found.inst.id, ctx.now);
  return { status: 201, body: installationToken(token, expiresAt, found.inst) };
}

function installationRepositories(ctx: RouteContext): FakeResponse {
  const p = ctx.principal;
  if (p.kind !== 'token' || p.token.kind !== 'installation') {
    return p.kind === 'anonymous'
      ? requiresAuth()
      : {
          status: 403,
          body: basicError(
            'You must authenticate with an installation access token in order to list repositories for an installation.',
            403,
          ),
        };
  }
  const inst = ctx.world.installations.get(p.token.installationId);
  if (!inst) return requiresAuth();
  const all = [...ctx.world.repos.values()].filter(
    (r) => r.owner.toLowerCase() === inst.account.toLowerCase(),
  );
  const visible =
    inst.repositorySelection === 'all'
      ? all
      : all.filter((r) =>
          inst.repositories.some((s) => s.toLowerCase() === `${r.owner}/${r.name}`.toLowerCase()),
        );
  const perPage = Math.min(100, Number(ctx.query.get('per_page') ?? 30) || 30);
  const page = Math.max(1, Number(ctx.query.get('page') ?? 1) || 1);
  const slice = visible.slice((page - 1) * perPage, page * perPage);
  return {
    status: 200,
    body: {
      total_count: visible.length,
      repositories: slice.map((r) => repository(ctx.hosts, r)),
      repository_selection: inst.repositorySelection,
    },
  };
}

function rateLimitRoute(ctx: RouteContext): FakeResponse {
  const state = ctx.rateLimit?.peek(ctx.bucket, ctx.now) ?? {
    limit: 5000,
    remaining: 5000,
    reset: Math.ceil(ctx.now / 1000) + 3600,
  };
  return { status: 200, body: rateLimitOverview(state.limit, state.remaining, state.reset) };
}

const REPO = '/repos/{owner}/{repo}';
const READ_REPO: Need = { permission: 'metadata:read' };

/** Every route of the fake. */
export const ROUTES: readonly Route[] = [
  route('GET', '/user', getUser),
  route('GET', '/rate_limit', rateLimitRoute),
  repoRoute('GET', REPO, READ_REPO, (ctx) => {
    const repo = repoOf(ctx);
    const p = ctx.principal;
    const user = p.kind === 'token' && p.token.kind !== 'installation' ? p.token.user : undefined;
    const push = user !== undefined && repo.collaborators.includes(user);
    return {
      status: 200,
      body: fullRepository(ctx.hosts, repo, { admin: user === repo.owner, push, pull: true }),
    };
  }),
  repoRoute('GET', `${REPO}/branches/{branch}`, READ_REPO, (ctx) => {
    const repo = repoOf(ctx);
    const name = decodeURIComponent(ctx.params['branch'] ?? '');
    const sha = repo.branches[name];
    if (sha === undefined)
      return {
        status: 404,
        body: basicError(
          'Branch not found',
          404,
          'https://docs.github.com/rest/branches/branches#get-a-branch',
        ),
      };
    return { status: 200, body: branch(ctx.hosts, repo, name, sha) };
  }),
  repoRoute('GET', `${REPO}/contents/{+path}`, { permission: 'contents:read' }, (ctx) => {
    const repo = repoOf(ctx);
    if ((ctx.params['path'] ?? '') !== '') return notFound();
    return {
      status: 200,
      body: contentDirectory(ctx.hosts, repo, Object.values(repo.branches)[0] ?? '0'.repeat(40)),
    };
  }),
  repoRoute(
    'GET',
    `${REPO}/hooks`,
    {
      classic: ['admin:repo_hook', 'read:repo_hook', 'repo', 'write:repo_hook'],
      permission: 'repository_hooks:read',
    },
    () => ({ status: 200, body: [] }),
  ),
  repoRoute('GET', `${REPO}/pulls`, { permission: 'pull_requests:read' }, () => ({ status: 200, body: [] })),
  repoRoute(
    'GET',
    `${REPO}/commits/{ref}/status`,
    { classic: ['repo', 'repo:status'], permission: 'statuses:read' },
    (ctx) => ({
      status: 200,
      body: {
        state: 'pending',
        statuses: [],
        sha: repoOf(ctx).branches[ctx.params['ref'] ?? ''] ?? ctx.params['ref'],
        total_count: 0,
      },
    }),
  ),
  orgRoute('/orgs/{org}/members', {
    classic: ['admin:org', 'read:org', 'write:org'],
    permission: 'members:read',
  }),
  orgRoute('/orgs/{org}/teams', {
    classic: ['admin:org', 'read:org', 'write:org'],
    permission: 'members:read',
  }),
  orgRoute('/orgs/{org}/repos', { permission: 'metadata:read' }),
  route('GET', '/app/installations/{installation_id}', (ctx) => {
    const found = appInstallation(ctx);
    return 'error' in found ? found.error : { status: 200, body: installation(ctx.hosts, found.inst) };
  }),
  route('POST', '/app/installations/{installation_id}/access_tokens', mintToken),
  route('GET', '/installation/repositories', installationRepositories),
];

/** Finds the route of a request, with its path parameters. */
export function matchRoute(
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | undefined {
  for (const r of ROUTES) {
    if (r.method !== method) continue;
    const match = r.pattern.exec(path);
    if (match)
      return { route: r, params: Object.fromEntries(r.names.map((n, i) => [n, match[i + 1] ?? ''])) };
  }
  return undefined;
}
