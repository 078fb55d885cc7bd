/**
 * A local Gitea answering what the adapter calls, as Gitea's API does: `token`/Bearer/Basic
 * auth, the scope check per route category before anything else (GET → read, others → write;
 * write implies read, `all` implies every write) with the 403 `token does not have at least one
 * of required scope(s)` message (newer and older wordings), `permissions{admin,push,pull}` on
 * repositories, `{"message","url"}` errors and 404 `not found`.
 */
import {
  type FakeRequest,
  type FakeResponse,
  type FakeServer,
  generateSecret,
  startFakeServer,
} from '../../../src/providers/http/test-support/fake-server.ts';

/** A repository: collaborators' permission and branches. */
export interface FakeGiteaRepo {
  readonly owner: string;
  readonly name: string;
  readonly access: Readonly<Record<string, 'read' | 'write' | 'admin'>>;
  readonly branches: readonly string[];
}

/** The fake's world. */
export interface FakeGiteaOptions {
  readonly repositories: readonly FakeGiteaRepo[];
  /** Use the older wording that names only the required scopes (Gitea < 1.22, Forgejo). */
  readonly legacyScopeMessage?: boolean;
  /** Answer the first N requests with 429 and `Retry-After` (a proxy in front of Gitea). */
  readonly throttleFirst?: number;
}

/** A running fake Gitea. */
export interface FakeGitea extends FakeServer {
  readonly apiBaseUrl: string;
  addToken(token: { user: string; scopes: readonly string[] }): string;
}

const CATEGORIES = [
  'activitypub',
  'admin',
  'issue',
  'misc',
  'notification',
  'organization',
  'package',
  'repository',
  'user',
];

function categoriesOf(path: string): string[] | undefined {
  if (path === '/api/v1/user/repos') return ['user', 'repository'];
  if (path === '/api/v1/user/orgs') return ['user', 'organization'];
  if (path === '/api/v1/user' || path.startsWith('/api/v1/users/')) return ['user'];
  if (path.startsWith('/api/v1/repos/')) return ['repository'];
  if (path.startsWith('/api/v1/orgs/')) return ['organization'];
  if (path.startsWith('/api/v1/packages/')) return ['package'];
  return undefined;
}

function holds(scopes: readonly string[], needed: string): boolean {
  const [level, category] = needed.split(':');
  if (scopes.includes('all')) return true;
  return scopes.includes(needed) || (level === 'read' && scopes.includes(`write:${category}`));
}

/** Starts the fake. */
export async function startGiteaFake(options: FakeGiteaOptions): Promise<FakeGitea> {
  const tokens = new Map<string, { user: string; scopes: readonly string[] }>();
  let used = 0;
  let swagger = '';
  const fail = (status: number, message: string): FakeResponse => ({
    status,
    body: { message, url: swagger },
  });

  function handle(request: FakeRequest): FakeResponse {
    used += 1;
    if (options.throttleFirst !== undefined && used <= options.throttleFirst)
      return { status: 429, headers: { 'retry-after': '2' }, body: 'Too Many Requests' };
    if (!request.path.startsWith('/api/v1/')) return { status: 404, body: 'Not found.\n' };
    const header = request.headers.authorization ?? '';
    const secret = /^(?:token|Bearer) (.+)$/i.exec(header)?.[1];
    const token = secret === undefined ? undefined : tokens.get(secret);
    if (token === undefined) return fail(401, 'user does not exist [uid: 0, name: ]');
    const categories = categoriesOf(request.path);
    if (categories === undefined)
      return { status: 404, body: { errors: null, message: 'not found', url: swagger } };
    const level = request.method === 'GET' ? 'read' : 'write';
    const required = categories.map((category) => `${level}:${category}`);
    if (!required.every((scope) => holds(token.scopes, scope))) {
      const message = options.legacyScopeMessage
        ? `token does not have at least one of required scope(s): [${required.join(' ')}]`
        : `token does not have at least one of required scope(s), required=[${required.join(' ')}], token scope=${token.scopes.join(',')}`;
      return fail(403, message);
    }
    return route(request, token.user);
  }

  function route(request: FakeRequest, user: string): FakeResponse {
    const path = request.path;
    if (path === '/api/v1/user')
      return {
        status: 200,
        body: { id: 1, login: user, full_name: user, email: `${user}@example.test`, is_admin: false },
      };
    if (path === '/api/v1/user/repos' || path === '/api/v1/user/orgs') return { status: 200, body: [] };
    if (/^\/api\/v1\/(orgs\/[^/]+\/members|packages\/[^/]+)$/.test(path)) return { status: 200, body: [] };
    const match = /^\/api\/v1\/repos\/([^/]+)\/([^/]+)(?:\/branches\/([^/]+))?$/.exec(path);
    const repo =
      match === null
        ? undefined
        : options.repositories.find(
            (candidate) => candidate.owner === match[1] && candidate.name === match[2],
          );
    const access = repo?.access[user];
    if (match === null || repo === undefined || access === undefined)
      return { status: 404, body: { errors: null, message: 'not found', url: swagger } };
    if (match[3] !== undefined) {
      const branch = decodeURIComponent(match[3]);
      return repo.branches.includes(branch)
        ? { status: 200, body: { name: branch, commit: { id: 'a'.repeat(40) }, protected: false } }
        : {
            status: 404,
            body: {
              errors: null,
              message: `branch does not exist [repo_id: 1 name: ${branch}]`,
              url: swagger,
            },
          };
    }
    const host = swagger.replace(/\/api\/swagger$/, '');
    return {
      status: 200,
      body: {
        id: 1,
        full_name: `${repo.owner}/${repo.name}`,
        private: true,
        default_branch: repo.branches[0] ?? 'main',
        clone_url: `${host}/${repo.owner}/${repo.name}.git`,
        ssh_url: `git@127.0.0.1:${repo.owner}/${repo.name}.git`,
        html_url: `${host}/${repo.owner}/${repo.name}`,
        permissions: { admin: access === 'admin', push: access !== 'read', pull: true },
      },
    };
  }

  const server = await startFakeServer(handle);
  swagger = `${server.url}/api/swagger`;
  return {
    ...server,
    apiBaseUrl: `${server.url}/api/v1`,
    addToken(token) {
      for (const scope of token.scopes) {
        const category = scope.split(':')[1];
        if (scope !== 'all' && scope !== 'public-only' && !CATEGORIES.includes(category ?? ''))
          throw new Error(`unknown scope ${scope}`);
      }
      const secret = generateSecret();
      tokens.set(secret, token);
      return secret;
    },
  };
}
