/**
 * A local Azure DevOps answering what the adapter calls, as Microsoft documents it: PATs over
 * Basic auth; connectionData for any accepted PAT; profile, projects, Git repositories and refs
 * behind their vso.* scopes (cumulative within a family; "full access" holds all); the same 401
 * TF400813 body for a missing scope and for a missing permission; 203 with a sign-in page for a
 * PAT that is not accepted; TF401019 404s; and throttling with `Retry-After` and `X-RateLimit-*`.
 */
import { randomUUID } from 'node:crypto';
import {
  type FakeRequest,
  type FakeResponse,
  type FakeServer,
  generateSecret,
  startFakeServer,
} from '../../../src/providers/http/test-support/fake-server.ts';
import { answerTokenRequest, type FakePrincipal, fakeJwt } from './azure-devops-fake-entra.ts';

/** A PAT: its scopes (or full access) and its user. */
export interface FakePat {
  readonly user: string;
  readonly scopes: readonly string[] | 'full';
}

/** The fake's world: one organisation, projects with repositories, readers per project. */
export interface FakeAzureDevopsOptions {
  readonly organization: string;
  readonly projects: readonly {
    name: string;
    readers: readonly string[];
    repositories: readonly { name: string; branches: readonly string[] }[];
  }[];
  /** How an unaccepted PAT is answered (default 203, the sign-in page). */
  readonly invalidAnswer?: 203 | 401;
  readonly throttleFirst?: number;
}

/** A running fake Azure DevOps. */
export interface FakeAzureDevops extends FakeServer {
  addPat(pat: FakePat): string;
  /** A service principal acting as `pat.user` in Azure DevOps; its generated ids and secret. */
  addServicePrincipal(pat: FakePat): FakePrincipal;
  /** An Entra access token (JWT-shaped, `exp` in epoch seconds) accepted as Bearer. */
  addEntraToken(pat: FakePat, exp: number): string;
}

const FAMILY: Readonly<Record<string, readonly string[]>> = {
  'vso.code': ['vso.code', 'vso.code_write', 'vso.code_manage', 'vso.code_full'],
  'vso.project': ['vso.project', 'vso.project_write', 'vso.project_manage'],
  'vso.profile': ['vso.profile', 'vso.profile_write'],
};

const SIGN_IN =
  '<!DOCTYPE html><html><head><title>Azure DevOps Services | Sign In</title></head><body></body></html>';

function tf400813(user: string): FakeResponse {
  return {
    status: 401,
    body: {
      $id: '1',
      innerException: null,
      message: `TF400813: The user '${user}' is not authorized to access this resource.`,
      typeName:
        'Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException, Microsoft.TeamFoundation.Framework.Server',
      typeKey: 'UnauthorizedRequestException',
      errorCode: 0,
      eventId: 3000,
    },
  };
}

/** Starts the fake. */
export async function startAzureDevopsFake(options: FakeAzureDevopsOptions): Promise<FakeAzureDevops> {
  const pats = new Map<string, FakePat>();
  let used = 0;

  const principals: (FakePrincipal & { pat: FakePat })[] = [];

  function handle(request: FakeRequest): FakeResponse {
    const token = answerTokenRequest(request, principals, (principal) => {
      const pat = principals.find((p) => p.clientId === principal.clientId)!.pat;
      const issued = fakeJwt({ aud: '499b84ac-1321-427f-aa17-267ca6975798', exp: Date.now() / 1000 + 3600 });
      pats.set(`Bearer ${issued}`, pat);
      return issued;
    });
    if (token !== undefined) return token;
    used += 1;
    if (options.throttleFirst !== undefined && used <= options.throttleFirst) {
      const reset = String(Math.floor(Date.now() / 1000) + 30);
      return {
        status: 429,
        headers: {
          'retry-after': '2',
          'x-ratelimit-resource': 'Core',
          'x-ratelimit-delay': '2.5',
          'x-ratelimit-limit': '200',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': reset,
        },
        body: { message: 'Request was blocked due to exceeding usage of resource Core.' },
      };
    }
    const pat = pats.get(request.headers.authorization ?? '');
    if (pat === undefined) {
      return options.invalidAnswer === 401
        ? { status: 401, headers: { 'www-authenticate': 'Basic realm="https://127.0.0.1/"' }, body: '' }
        : { status: 203, headers: { 'content-type': 'text/html; charset=utf-8' }, body: SIGN_IN };
    }
    const has = (family: string) =>
      pat.scopes === 'full' ||
      (FAMILY[family] ?? [family]).some((scope) => (pat.scopes as readonly string[]).includes(scope));
    return route(request, pat, has);
  }

  function route(request: FakeRequest, pat: FakePat, has: (family: string) => boolean): FakeResponse {
    const org = options.organization;
    const path = request.path;
    if (path === `/${org}/_apis/connectionData`) {
      return {
        status: 200,
        body: {
          authenticatedUser: {
            id: 'a1b2c3d4-0000-0000-0000-000000000001',
            descriptor: 'aad.x',
            subjectDescriptor: 'aad.x',
            providerDisplayName: pat.user,
            isActive: true,
          },
          instanceId: '00000000-0000-0000-0000-000000000000',
          locationServiceData: {},
        },
      };
    }
    if (path === '/_apis/profile/profiles/me') {
      if (!has('vso.profile')) return tf400813(pat.user);
      return {
        status: 200,
        body: {
          displayName: pat.user,
          publicAlias: 'a1b2c3d4',
          emailAddress: `${pat.user}@example.test`,
          coreRevision: 1,
          timeStamp: '2026-01-01T00:00:00+00:00',
          id: 'a1b2c3d4-0000-0000-0000-000000000001',
          revision: 1,
        },
      };
    }
    if (path === `/${org}/_apis/projects`) {
      if (!has('vso.project') && !has('vso.profile')) return tf400813(pat.user);
      const value = options.projects
        .filter((project) => project.readers.includes(pat.user))
        .map((project) => ({ id: project.name, name: project.name, state: 'wellFormed' }));
      return { status: 200, body: { count: value.length, value } };
    }
    const match = new RegExp(`^/${org}/([^/]+)/_apis/git/repositories/([^/]+)(/refs)?$`).exec(path);
    if (match === null)
      return {
        status: 404,
        body: {
          $id: '1',
          innerException: null,
          message: 'The controller for path was not found or does not implement IController.',
          typeKey: 'HttpException',
          errorCode: 0,
          eventId: 0,
        },
      };
    if (!has('vso.code')) return tf400813(pat.user);
    const project = options.projects.find((candidate) => candidate.name === decodeURIComponent(match[1]!));
    const name = decodeURIComponent(match[2]!);
    if (project !== undefined && !project.readers.includes(pat.user)) return tf400813(pat.user);
    const repo = project?.repositories.find((candidate) => candidate.name === name);
    if (repo === undefined) {
      return {
        status: 404,
        body: {
          $id: '1',
          innerException: null,
          message: `TF401019: The Git repository with name or identifier ${name} does not exist or you do not have permissions for the operation you are attempting.`,
          typeName:
            'Microsoft.TeamFoundation.Git.Server.GitRepositoryNotFoundException, Microsoft.TeamFoundation.Git.Server',
          typeKey: 'GitRepositoryNotFoundException',
          errorCode: 0,
          eventId: 3000,
        },
      };
    }
    if (match[3] !== undefined) {
      const filter = request.query.get('filter') ?? '';
      const value = repo.branches
        .map((branch) => ({ name: `refs/heads/${branch}`, objectId: 'a'.repeat(40) }))
        .filter((ref) => ref.name.startsWith(`refs/${filter}`));
      return { status: 200, body: { value, count: value.length } };
    }
    return {
      status: 200,
      body: {
        id: '5febef5a-833d-4e14-b9c0-14cb638f91e6',
        name: repo.name,
        project: { id: project!.name, name: project!.name },
        defaultBranch: `refs/heads/${repo.branches[0] ?? 'main'}`,
        remoteUrl: `https://${org}@dev.azure.com/${org}/${project!.name}/_git/${repo.name}`,
        webUrl: `https://dev.azure.com/${org}/${project!.name}/_git/${repo.name}`,
      },
    };
  }

  const server = await startFakeServer(handle);
  return {
    ...server,
    addPat(pat) {
      const token = generateSecret();
      pats.set(`Basic ${Buffer.from(`:${token}`).toString('base64')}`, pat);
      return token;
    },
    addServicePrincipal(pat) {
      const principal = {
        tenantId: randomUUID(),
        clientId: randomUUID(),
        clientSecret: generateSecret(),
        pat,
      };
      principals.push(principal);
      return {
        tenantId: principal.tenantId,
        clientId: principal.clientId,
        clientSecret: principal.clientSecret,
      };
    },
    addEntraToken(pat, exp) {
      const token = fakeJwt({ aud: '499b84ac-1321-427f-aa17-267ca6975798', exp });
      pats.set(`Bearer ${token}`, pat);
      return token;
    },
  };
}
