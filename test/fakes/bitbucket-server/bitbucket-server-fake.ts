/**
 * A local Bitbucket Data Center answering what the adapter calls, as Atlassian documents it:
 * Bearer HTTP access tokens (one project and one repository permission, capped by the user's)
 * and Basic user name and password; `X-AUSERNAME` on authenticated answers; 401 with an
 * authentication exception for bad credentials and with AuthorisationException for a token used
 * outside its reach; 404 NoSuchRepositoryException for invisible repositories; the
 * `?permission=` filters of /repos and /projects; branches; and 429 with `Retry-After`.
 */
import {
  type FakeRequest,
  type FakeResponse,
  type FakeServer,
  generateSecret,
  startFakeServer,
} from '../../../src/providers/http/test-support/fake-server.ts';

const LEVEL: Readonly<Record<string, number>> = { READ: 1, WRITE: 2, ADMIN: 3 };

/** A user's (or token's) permissions: levels 0 (none) to 3 (admin). */
export interface FakeGrant {
  readonly project: number;
  readonly repo: number;
}

/** The fake's world: one project with repositories, users with their permissions. */
export interface FakeBitbucketServerOptions {
  readonly project: string;
  readonly repositories: readonly { slug: string; branches: readonly string[] }[];
  readonly users: Readonly<Record<string, { password?: string; grant: FakeGrant }>>;
  readonly throttleFirst?: number;
}

/** A running fake Bitbucket Data Center. */
export interface FakeBitbucketServer extends FakeServer {
  readonly apiBaseUrl: string;
  /** A personal HTTP access token of a user with its own permission pair; returns the token. */
  addToken(user: string, grant: FakeGrant): string;
}

/** Who is calling, with the token's effective levels and the user's own repository level. */
interface Caller {
  readonly user: string;
  readonly project: number;
  readonly repo: number;
  readonly userRepo: number;
}

const errors = (status: number, message: string, exceptionName: string | null): FakeResponse => ({
  status,
  body: { errors: [{ context: null, message, exceptionName }] },
});

/** Starts the fake. */
export async function startBitbucketServerFake(
  options: FakeBitbucketServerOptions,
): Promise<FakeBitbucketServer> {
  const tokens = new Map<string, { user: string; grant: FakeGrant }>();
  let used = 0;
  let baseUrl = '';

  function caller(header: string): Caller | undefined {
    const bearer = /^Bearer (.+)$/.exec(header)?.[1];
    if (bearer !== undefined) {
      const token = tokens.get(bearer);
      const user = token === undefined ? undefined : options.users[token.user];
      if (token === undefined || user === undefined) return undefined;
      const project = Math.min(token.grant.project, user.grant.project);
      const repo = Math.min(
        Math.max(token.grant.repo, token.grant.project),
        Math.max(user.grant.repo, user.grant.project),
      );
      return { user: token.user, project, repo, userRepo: Math.max(user.grant.repo, user.grant.project) };
    }
    const basic = /^Basic (.+)$/.exec(header)?.[1];
    if (basic === undefined) return undefined;
    const [name, password] = Buffer.from(basic, 'base64').toString('utf8').split(':');
    const user = options.users[name ?? ''];
    if (user?.password === undefined || user.password !== password) return undefined;
    const repo = Math.max(user.grant.repo, user.grant.project);
    return { user: name!, project: user.grant.project, repo, userRepo: repo };
  }

  function handle(request: FakeRequest): FakeResponse {
    used += 1;
    if (options.throttleFirst !== undefined && used <= options.throttleFirst) {
      return {
        ...errors(429, 'You have been rate limited.', 'com.atlassian.bitbucket.throttle.ThrottledException'),
        headers: { 'retry-after': '1', 'x-ratelimit-limit': '60' },
      };
    }
    const who = caller(request.headers.authorization ?? '');
    if (who === undefined)
      return errors(
        401,
        'Authentication failed. Please check your credentials and try again.',
        'com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException',
      );
    const answer = route(request, who);
    return {
      ...answer,
      headers: { 'x-ausername': who.user, 'x-arequestid': `@${used}x0`, ...answer.headers },
    };
  }

  function repoBody(slug: string) {
    const key = options.project;
    return {
      slug,
      name: slug,
      scmId: 'git',
      state: 'AVAILABLE',
      project: { key, name: key, type: 'NORMAL' },
      links: {
        clone: [
          { href: `${baseUrl}/scm/${key.toLowerCase()}/${slug}.git`, name: 'http' },
          { href: `ssh://git@127.0.0.1:7999/${key.toLowerCase()}/${slug}.git`, name: 'ssh' },
        ],
        self: [{ href: `${baseUrl}/projects/${key}/repos/${slug}/browse` }],
      },
    };
  }

  function route(request: FakeRequest, who: Caller): FakeResponse {
    const path = request.path.replace(/^\/rest\/api\/(latest|1\.0)/, '');
    const wanted = (prefix: string) =>
      LEVEL[(request.query.get('permission') ?? `${prefix}_READ`).split('_')[1] ?? ''] ?? 1;
    const page = (values: unknown[]) => ({
      status: 200,
      body: { size: values.length, limit: 25, isLastPage: true, start: 0, values },
    });
    if (path === '/repos') {
      const level = wanted('REPO');
      const name = request.query.get('name');
      return page(
        options.repositories
          .filter((repo) => who.repo >= level && (name === null || repo.slug === name))
          .map((repo) => repoBody(repo.slug)),
      );
    }
    if (path === '/projects') {
      const level = wanted('PROJECT');
      return page(
        who.project >= level
          ? [{ key: options.project, id: 1, name: options.project, public: false, type: 'NORMAL' }]
          : [],
      );
    }
    const match = /^\/projects\/([^/]+)\/repos\/([^/]+)(\/branches)?$/.exec(path);
    if (match === null) return errors(404, `Resource not found: ${request.path}`, null);
    const repo = options.repositories.find((candidate) => candidate.slug === match[2]);
    if (repo !== undefined && who.userRepo >= 1 && who.repo < 1) {
      return errors(
        401,
        'You are not permitted to access this resource',
        'com.atlassian.bitbucket.AuthorisationException',
      );
    }
    if (match[1] !== options.project || repo === undefined || who.repo < 1) {
      return errors(
        404,
        `Repository ${match[1]}/${match[2]} does not exist.`,
        'com.atlassian.bitbucket.repository.NoSuchRepositoryException',
      );
    }
    if (match[3] !== undefined) {
      const filter = request.query.get('filterText') ?? '';
      return page(
        repo.branches
          .filter((branch) => branch.includes(filter))
          .map((branch) => ({
            id: `refs/heads/${branch}`,
            displayId: branch,
            type: 'BRANCH',
            latestCommit: 'a'.repeat(40),
            isDefault: branch === repo.branches[0],
          })),
      );
    }
    return { status: 200, body: repoBody(repo.slug) };
  }

  const server = await startFakeServer(handle);
  baseUrl = server.url;
  return {
    ...server,
    apiBaseUrl: `${server.url}/rest/api/latest`,
    addToken(user, grant) {
      const token = generateSecret('BBDC-');
      tokens.set(token, { user, grant });
      return token;
    },
  };
}
