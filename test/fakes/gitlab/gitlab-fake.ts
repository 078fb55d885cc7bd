/**
 * A local GitLab answering what the adapter calls, as GitLab documents it: PRIVATE-TOKEN or
 * Bearer auth, GET /api/v4/personal_access_tokens/self, /user, /projects/:id (with
 * `permissions`), /projects/:id/repository/branches/:branch, /groups/:id/members/all/:user_id,
 * /oauth/token/info; 401 with the OAuth `WWW-Authenticate` reasons, 403 `insufficient_scope`,
 * 404 bodies, `RateLimit-*` headers and 429 with `Retry-After`.
 */
import {
  type FakeRequest,
  type FakeResponse,
  type FakeServer,
  generateSecret,
  startFakeServer,
} from '../../../src/providers/http/test-support/fake-server.ts';

/** A token the fake knows. */
export interface FakeGitlabToken {
  readonly scopes: readonly string[];
  /** `YYYY-MM-DD` or null. */
  readonly expiresAt: string | null;
  readonly userId: number;
  readonly revoked?: boolean;
  readonly name?: string;
}

/** A project: path, members' access levels (direct and via the group) and branches. */
export interface FakeGitlabProject {
  readonly id: number;
  readonly path: string;
  readonly members: Readonly<Record<number, number>>;
  readonly groupMembers?: Readonly<Record<number, number>>;
  readonly branches: readonly string[];
}

/** The fake's world. */
export interface FakeGitlabOptions {
  readonly users: readonly { id: number; username: string; bot?: boolean }[];
  readonly projects?: readonly FakeGitlabProject[];
  readonly groups?: readonly { id: number; path: string; members: Readonly<Record<number, number>> }[];
  /** Requests allowed per window before 429 (default unlimited). */
  readonly rateLimit?: number;
  /** Answer the first N requests with 429 (a burst limit that then lifts). */
  readonly throttleFirst?: number;
  /** `Retry-After` seconds on 429 (default 1). */
  readonly retryAfter?: number;
  /** The fake's "today" (`YYYY-MM-DD`) for expiry; default the real date. */
  readonly today?: string;
}

/** A running fake GitLab. */
export interface FakeGitlab extends FakeServer {
  readonly apiBaseUrl: string;
  /** Registers a token and returns its generated secret. */
  addToken(token: FakeGitlabToken): string;
  /** Registers an OAuth token and returns its generated secret. */
  addOauthToken(token: { scopes: readonly string[]; userId: number; expiresInSeconds: number }): string;
  /** Lets the window start again (the rate-limit counter back to zero). */
  resetWindow(): void;
}

const READ_API = ['api', 'read_api'];

/** Starts the fake. */
export async function startGitlabFake(options: FakeGitlabOptions): Promise<FakeGitlab> {
  const tokens = new Map<string, FakeGitlabToken>();
  const oauth = new Map<string, { scopes: readonly string[]; userId: number; expiresInSeconds: number }>();
  let used = 0;
  const today = () => options.today ?? new Date().toISOString().slice(0, 10);

  const rateHeaders = (): Record<string, string> => {
    if (options.rateLimit === undefined) return {};
    const reset = Math.floor(Date.now() / 1000) + 60;
    return {
      'ratelimit-limit': String(options.rateLimit),
      'ratelimit-remaining': String(Math.max(0, options.rateLimit - used)),
      'ratelimit-reset': String(reset),
      'ratelimit-observed': String(used),
    };
  };

  function handle(request: FakeRequest): FakeResponse {
    used += 1;
    const burst = options.throttleFirst !== undefined && used <= options.throttleFirst;
    if (burst || (options.rateLimit !== undefined && used > options.rateLimit)) {
      return {
        status: 429,
        headers: { ...rateHeaders(), 'retry-after': String(options.retryAfter ?? 1) },
        body: 'Retry later\n',
      };
    }
    const answer = route(request);
    return { ...answer, headers: { ...rateHeaders(), ...answer.headers } };
  }

  function caller(
    request: FakeRequest,
  ): { scopes: readonly string[]; userId: number; name: string } | FakeResponse {
    const header = request.headers['private-token'];
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const secret = typeof header === 'string' ? header : bearer;
    const token = secret === undefined ? undefined : tokens.get(secret);
    const unauthorized = (reason?: string): FakeResponse => ({
      status: 401,
      headers:
        reason === undefined
          ? {}
          : { 'www-authenticate': `Bearer realm="", error="invalid_token", error_description="${reason}"` },
      body: { message: '401 Unauthorized' },
    });
    if (token !== undefined) {
      if (token.revoked) return unauthorized('Token was revoked. You have to re-authorize from the user.');
      if (token.expiresAt !== null && token.expiresAt <= today()) return unauthorized('Token has expired.');
      return { scopes: token.scopes, userId: token.userId, name: token.name ?? 'keyhouse' };
    }
    const grant = secret === undefined ? undefined : oauth.get(secret);
    if (grant !== undefined) return { scopes: grant.scopes, userId: grant.userId, name: 'oauth' };
    return unauthorized();
  }

  const insufficientScope = (accepted: readonly string[]): FakeResponse => ({
    status: 403,
    headers: {
      'www-authenticate': `Bearer realm="", error="insufficient_scope", error_description="The request requires higher privileges than provided by the access token.", scope="${accepted.join(' ')}"`,
    },
    body: {
      error: 'insufficient_scope',
      error_description: 'The request requires higher privileges than provided by the access token.',
      scope: accepted.join(' '),
    },
  });

  function route(request: FakeRequest): FakeResponse {
    const path = request.path;
    if (path === '/oauth/token/info') return oauthInfo(request);
    if (!path.startsWith('/api/v4/')) return { status: 404, body: { error: '404 Not Found' } };
    const who = caller(request);
    if ('status' in who) return who;
    const has = (accepted: readonly string[]) => who.scopes.some((scope) => accepted.includes(scope));
    if (path === '/api/v4/personal_access_tokens/self') return tokenSelf(request);
    if (path === '/api/v4/user') {
      if (!has(['api', 'read_api', 'read_user'])) return insufficientScope(['api', 'read_api', 'read_user']);
      const user = options.users.find((candidate) => candidate.id === who.userId)!;
      return {
        status: 200,
        body: {
          id: user.id,
          username: user.username,
          name: user.username,
          state: 'active',
          bot: user.bot ?? false,
        },
      };
    }
    if (!has(READ_API)) return insufficientScope(READ_API);
    return (
      projectRoutes(path, who.userId) ??
      groupRoutes(path) ?? { status: 404, body: { error: '404 Not Found' } }
    );
  }

  function tokenSelf(request: FakeRequest): FakeResponse {
    const secret = (request.headers['private-token'] as string | undefined) ?? '';
    const token = tokens.get(secret)!;
    const body = {
      id: 4,
      name: token.name ?? 'keyhouse',
      revoked: token.revoked ?? false,
      created_at: '2026-01-05T10:00:00.000Z',
      description: '',
      scopes: token.scopes,
      user_id: token.userId,
      last_used_at: null,
      active: true,
      expires_at: token.expiresAt,
    };
    return { status: 200, body };
  }

  function oauthInfo(request: FakeRequest): FakeResponse {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const grant = oauth.get(bearer);
    if (grant === undefined) {
      return {
        status: 401,
        headers: {
          'www-authenticate':
            'Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token is invalid"',
        },
        body: { error: 'invalid_token', error_description: 'The access token is invalid' },
      };
    }
    return {
      status: 200,
      body: {
        resource_owner_id: grant.userId,
        scope: grant.scopes,
        expires_in: grant.expiresInSeconds,
        application: { uid: 'keyhouse-app' },
        created_at: Math.floor(Date.now() / 1000),
        scopes: grant.scopes,
        expires_in_seconds: grant.expiresInSeconds,
      },
    };
  }

  function projectRoutes(path: string, userId: number): FakeResponse | undefined {
    const match = /^\/api\/v4\/projects\/([^/]+)(\/repository\/branches\/([^/]+))?$/.exec(path);
    if (match === null) return undefined;
    const key = decodeURIComponent(match[1]!);
    const project = options.projects?.find(
      (candidate) => String(candidate.id) === key || candidate.path === key,
    );
    const direct = project?.members[userId];
    const inherited = project?.groupMembers?.[userId];
    if (project === undefined || (direct === undefined && inherited === undefined)) {
      return { status: 404, body: { message: '404 Project Not Found' } };
    }
    if (match[2] !== undefined) {
      const branch = decodeURIComponent(match[3]!);
      if (!project.branches.includes(branch))
        return { status: 404, body: { message: '404 Branch Not Found' } };
      return {
        status: 200,
        body: {
          name: branch,
          merged: false,
          protected: false,
          default: branch === project.branches[0],
          commit: { id: 'a'.repeat(40) },
        },
      };
    }
    const host = server.url;
    const access = (level: number | undefined) =>
      level === undefined ? null : { access_level: level, notification_level: 3 };
    return {
      status: 200,
      body: {
        id: project.id,
        path_with_namespace: project.path,
        default_branch: project.branches[0] ?? null,
        http_url_to_repo: `${host}/${project.path}.git`,
        ssh_url_to_repo: `git@127.0.0.1:${project.path}.git`,
        web_url: `${host}/${project.path}`,
        permissions: { project_access: access(direct), group_access: access(inherited) },
      },
    };
  }

  function groupRoutes(path: string): FakeResponse | undefined {
    const match = /^\/api\/v4\/groups\/([^/]+)\/members\/all\/(\d+)$/.exec(path);
    if (match === null) return undefined;
    const key = decodeURIComponent(match[1]!);
    const group = options.groups?.find((candidate) => String(candidate.id) === key || candidate.path === key);
    const level = group?.members[Number(match[2])];
    if (group === undefined) return { status: 404, body: { message: '404 Group Not Found' } };
    if (level === undefined) return { status: 404, body: { message: '404 Not found' } };
    return {
      status: 200,
      body: { id: Number(match[2]), username: 'member', state: 'active', access_level: level },
    };
  }

  const server = await startFakeServer(handle);
  return {
    ...server,
    apiBaseUrl: `${server.url}/api/v4`,
    addToken(token) {
      const secret = generateSecret('glpat-');
      tokens.set(secret, token);
      return secret;
    },
    addOauthToken(token) {
      const secret = generateSecret();
      oauth.set(secret, token);
      return secret;
    },
    resetWindow() {
      used = 0;
    },
  };
}
