/**
 * A local Bitbucket Cloud answering what the adapter calls, as Atlassian documents it: Basic
 * (email + API token, username + app password) or Bearer (access tokens), `x-oauth-scopes` and
 * `x-credential-type` on authenticated answers, 403 bodies naming required and granted scopes,
 * 410 for the endpoints retired by CHANGE-2770 (and for app passwords once removed), 404 error
 * bodies, and 429 with `X-RateLimit-*` headers.
 */
import {
  type FakeRequest,
  type FakeResponse,
  type FakeServer,
  generateSecret,
  startFakeServer,
} from '../../../src/providers/http/test-support/fake-server.ts';

/** A credential the fake knows. */
interface Grant {
  readonly type: string;
  readonly scopes: readonly string[];
  readonly username?: string;
}

/** A repository with its members' roles and branches. */
export interface FakeBitbucketRepo {
  readonly workspace: string;
  readonly slug: string;
  /** username → read, write or admin. */
  readonly roles: Readonly<Record<string, 'read' | 'write' | 'admin'>>;
  readonly branches: readonly string[];
}

/** The fake's world. */
export interface FakeBitbucketCloudOptions {
  readonly repositories: readonly FakeBitbucketRepo[];
  /** Answer app passwords with 410 (after the 2026-07-28 removal). */
  readonly appPasswordsRemoved?: boolean;
  /** Answer the first N requests with 429. */
  readonly throttleFirst?: number;
}

/** A running fake Bitbucket Cloud. */
export interface FakeBitbucketCloud extends FakeServer {
  readonly apiBaseUrl: string;
  addApiToken(user: { email: string; username: string; scopes: readonly string[] }): string;
  addAccessToken(token: {
    type: 'repo_access_token' | 'project_access_token' | 'workspace_access_token';
    scopes: readonly string[];
  }): string;
  addAppPassword(user: { username: string; scopes: readonly string[] }): string;
  /** A private OAuth consumer of `username` (client credentials act as its owner); generated key and secret. */
  addConsumer(user: { username: string; scopes: readonly string[] }): { key: string; secret: string };
}

/** Classic scope implications (granular scopes imply nothing). */
const IMPLIES: Readonly<Record<string, readonly string[]>> = {
  'repository:write': ['repository'],
  pullrequest: ['repository'],
  'pullrequest:write': ['pullrequest', 'repository:write', 'repository'],
  project: ['repository'],
  'account:write': ['account'],
};

const READ_REPO = ['repository', 'read:repository:bitbucket'];
const READ_USER = ['account', 'read:user:bitbucket'];
const RETIRED =
  /^\/2\.0\/(user\/permissions\/(repositories|teams|workspaces)|teams(\/|$)|users\/[^/]+\/repositories)/;

const error = (status: number, message: string, detail?: unknown): FakeResponse => ({
  status,
  body: { type: 'error', error: { message, ...(detail === undefined ? {} : { detail }) } },
});

/** Starts the fake. */
export async function startBitbucketCloudFake(
  options: FakeBitbucketCloudOptions,
): Promise<FakeBitbucketCloud> {
  const grants = new Map<string, Grant>();
  let used = 0;

  function handle(request: FakeRequest): FakeResponse {
    used += 1;
    if (options.throttleFirst !== undefined && used <= options.throttleFirst) {
      return {
        ...error(429, 'Rate limit for this resource has been exceeded'),
        headers: {
          'x-ratelimit-limit': '1000',
          'x-ratelimit-resource': 'api',
          'x-ratelimit-nearlimit': 'true',
        },
      };
    }
    if (request.path === '/site/oauth2/access_token') return tokenGrant(request);
    if (!request.path.startsWith('/2.0/'))
      return error(404, 'Resource not found', 'There is no API hosted at this URL.');
    const grant = grants.get(request.headers.authorization ?? '');
    if (grant === undefined)
      return {
        status: 401,
        headers: { 'www-authenticate': 'Basic realm="Bitbucket.org HTTP"' },
        body: error(401, 'Unauthorized').body,
      };
    if (grant.type === 'app_password' && options.appPasswordsRemoved) {
      return error(410, 'App passwords are no longer supported. Use API tokens instead.', 'CHANGE-2770');
    }
    const held = new Set(grant.scopes.flatMap((scope) => [scope, ...(IMPLIES[scope] ?? [])]));
    const headers = { 'x-oauth-scopes': grant.scopes.join(', '), 'x-credential-type': grant.type };
    const answer = route(request, grant, held);
    return { ...answer, headers: { ...headers, ...answer.headers } };
  }

  function need(held: Set<string>, grant: Grant, accepted: readonly string[]): FakeResponse | undefined {
    if (accepted.some((scope) => held.has(scope))) return undefined;
    const granular = grant.type === 'api_token';
    const required = accepted.filter((scope) => scope.endsWith(':bitbucket') === granular);
    return error(403, 'Your credentials lack one or more required privilege scopes.', {
      required,
      granted: grant.scopes,
    });
  }

  function route(request: FakeRequest, grant: Grant, held: Set<string>): FakeResponse {
    const path = request.path;
    if (RETIRED.test(path))
      return error(
        410,
        'This API is no longer supported.',
        'See CHANGE-2770 in the Bitbucket Cloud changelog.',
      );
    if (path === '/2.0/user') {
      return (
        need(held, grant, READ_USER) ?? {
          status: 200,
          body: {
            type: 'user',
            username: grant.username,
            display_name: grant.username,
            account_id: '557058:0001',
            uuid: '{00000000-0000-0000-0000-000000000001}',
          },
        }
      );
    }
    const match = /^\/2\.0\/repositories\/([^/]+)(?:\/([^/]+))?(?:\/refs\/branches\/([^/]+))?$/.exec(path);
    if (match === null) return error(404, 'Resource not found', 'There is no API hosted at this URL.');
    const refused = need(held, grant, READ_REPO);
    if (refused !== undefined) return refused;
    const [, ws, slug, branch] = match.map((part) =>
      part === undefined ? undefined : decodeURIComponent(part),
    );
    const visible = options.repositories.filter(
      (repo) =>
        repo.workspace === ws && (grant.username === undefined || repo.roles[grant.username] !== undefined),
    );
    if (slug === undefined) return listRepos(request, grant, visible);
    const repo = visible.find((candidate) => candidate.slug === slug);
    if (repo === undefined) return error(404, `Repository ${ws}/${slug} not found`);
    if (branch !== undefined) {
      return repo.branches.includes(branch)
        ? {
            status: 200,
            body: { type: 'branch', name: branch, target: { hash: 'a'.repeat(40), type: 'commit' } },
          }
        : error(404, `Branch "${branch}" does not exist.`);
    }
    return { status: 200, body: repoBody(repo) };
  }

  function repoBody(repo: FakeBitbucketRepo) {
    const fullName = `${repo.workspace}/${repo.slug}`;
    return {
      type: 'repository',
      full_name: fullName,
      is_private: true,
      mainbranch: { name: repo.branches[0] ?? 'main', type: 'branch' },
      links: {
        clone: [
          { name: 'https', href: `https://x-token-auth@bitbucket.org/${fullName}.git` },
          { name: 'ssh', href: `git@bitbucket.org:${fullName}.git` },
        ],
      },
    };
  }

  function listRepos(
    request: FakeRequest,
    grant: Grant,
    visible: readonly FakeBitbucketRepo[],
  ): FakeResponse {
    const role = request.query.get('role');
    const rank = { read: 1, write: 2, admin: 3 } as const;
    const wanted = role === 'admin' ? 3 : role === 'contributor' ? 2 : 1;
    const name = /full_name="([^"]+)"/.exec(request.query.get('q') ?? '')?.[1];
    const values = visible
      .filter((repo) => grant.username === undefined || rank[repo.roles[grant.username]!] >= wanted)
      .filter((repo) => name === undefined || `${repo.workspace}/${repo.slug}` === name)
      .map(repoBody);
    return {
      status: 200,
      body: { pagelen: Number(request.query.get('pagelen') ?? 10), size: values.length, page: 1, values },
    };
  }

  const consumers = new Map<string, { username: string; scopes: readonly string[] }>();

  /** The client-credentials grant, as Atlassian documents it (Basic key:secret, form body). */
  function tokenGrant(request: FakeRequest): FakeResponse {
    const consumer = consumers.get(request.headers.authorization ?? '');
    if (request.method !== 'POST' || consumer === undefined)
      return {
        status: 400,
        body: { error_description: 'Invalid OAuth client credentials', error: 'invalid_client' },
      };
    if (new URLSearchParams(request.body).get('grant_type') !== 'client_credentials')
      return {
        status: 400,
        body: { error_description: 'Unsupported grant type', error: 'unsupported_grant_type' },
      };
    const token = generateSecret();
    grants.set(`Bearer ${token}`, { type: 'oauth2', scopes: consumer.scopes, username: consumer.username });
    return {
      status: 200,
      body: {
        access_token: token,
        scopes: consumer.scopes.join(' '),
        expires_in: 7200,
        refresh_token: generateSecret(),
        token_type: 'bearer',
        state: 'client_credentials',
      },
    };
  }

  const server = await startFakeServer(handle);
  const basic = (user: string, secret: string) =>
    `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
  return {
    ...server,
    apiBaseUrl: `${server.url}/2.0`,
    addApiToken({ email, username, scopes }) {
      const token = generateSecret('ATATT');
      grants.set(basic(email, token), { type: 'api_token', scopes, username });
      return token;
    },
    addAccessToken({ type, scopes }) {
      const token = generateSecret();
      grants.set(`Bearer ${token}`, { type, scopes });
      return token;
    },
    addAppPassword({ username, scopes }) {
      const password = generateSecret('ATBB');
      grants.set(basic(username, password), { type: 'app_password', scopes, username });
      return password;
    },
    addConsumer({ username, scopes }) {
      const key = generateSecret().slice(0, 18);
      const secret = generateSecret();
      consumers.set(basic(key, secret), { username, scopes });
      return { key, secret };
    },
  };
}
