/**
 * A local GitHub for tests: a `node:http` server on 127.0.0.1 (port 0) that answers the endpoints
 * the GitHub adapter uses with GitHub's status codes, headers and bodies, enforces a scaled-down
 * primary rate limit and counts violations. GHES paths (`/api/v3/...`) are served too.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeResponse } from './github-fake-access.ts';
import { bucketKey, type Principal, principalOf } from './github-fake-auth.ts';
import { basicError, type Hosts } from './github-fake-bodies.ts';
import { FakeRateLimit, type RateLimitOptions } from './github-fake-rate-limit.ts';
import { matchRoute } from './github-fake-routes.ts';
import { FakeWorld } from './github-fake-world.ts';

/** One request and its answer, as the fake saw them (no credential). */
export interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly principal: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** Options of {@link startFakeGithub}. */
export interface FakeGithubOptions {
  readonly world?: FakeWorld;
  readonly rateLimit?: RateLimitOptions;
  /** Keep the last N exchanges (default 200). */
  readonly keep?: number;
}

/** A running local GitHub. */
export interface FakeGithub {
  /** `http://127.0.0.1:PORT` (github.com form); `${url}/api/v3` serves GHES paths. */
  readonly url: string;
  readonly world: FakeWorld;
  readonly rateLimit: FakeRateLimit | undefined;
  readonly exchanges: Exchange[];
  /** Requests received (all routes). */
  readonly stats: { requests: number };
  /** Answers the next request with a secondary rate limit (403, `retry-after`). */
  failNextWithSecondaryLimit(retryAfterSec: number): void;
  close(): Promise<void>;
}

function principalName(p: Principal): string {
  if (p.kind === 'token') return p.token.kind;
  return p.kind;
}

function tokenHeaders(p: Principal): Record<string, string> {
  if (p.kind !== 'token') return {};
  const t = p.token;
  const out: Record<string, string> = {};
  if (t.kind === 'classic' || t.kind === 'oauth') out['x-oauth-scopes'] = t.scopes.join(', ');
  if (t.kind !== 'installation' && t.expiration) out['github-authentication-token-expiration'] = t.expiration;
  return out;
}

/** Starts the fake on 127.0.0.1 with a free port. */
export async function startFakeGithub(options: FakeGithubOptions = {}): Promise<FakeGithub> {
  const world = options.world ?? new FakeWorld();
  const rateLimit = options.rateLimit ? new FakeRateLimit(options.rateLimit) : undefined;
  const exchanges: Exchange[] = [];
  const stats = { requests: 0 };
  const keep = options.keep ?? 200;
  let secondary: number | undefined;
  const hosts: { value: Hosts } = { value: { api: '', web: '' } };

  function answer(req: IncomingMessage): { response: FakeResponse; principal: Principal } {
    const now = Date.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.replace(/^\/api\/v3(?=\/)/, '');
    const principal = principalOf(world, req.headers.authorization, now);
    const bucket = bucketKey(principal);
    let rate: Record<string, string> = {};
    if (rateLimit && path !== '/rate_limit') {
      const verdict = rateLimit.charge(bucket, now);
      rate = verdict.headers;
      if (!verdict.allowed) {
        const body = basicError(
          `API rate limit exceeded for ${bucket}.`,
          rateLimit.options.status,
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        );
        return { principal, response: { status: rateLimit.options.status, headers: rate, body } };
      }
    }
    if (secondary !== undefined) {
      const retryAfter = secondary;
      secondary = undefined;
      const body = basicError(
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        403,
        'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      );
      return {
        principal,
        response: { status: 403, headers: { ...rate, 'retry-after': String(retryAfter) }, body },
      };
    }
    if (principal.kind === 'bad')
      return {
        principal,
        response: { status: 401, headers: rate, body: basicError(principal.message, 401) },
      };
    const found = matchRoute(req.method ?? 'GET', path);
    const response = found
      ? found.route.handler({
          world,
          hosts: hosts.value,
          principal,
          params: found.params,
          query: url.searchParams,
          now,
          rateLimit,
          bucket,
        })
      : { status: 404, body: basicError('Not Found', 404) };
    return {
      principal,
      response: { ...response, headers: { ...rate, ...tokenHeaders(principal), ...response.headers } },
    };
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    stats.requests += 1;
    req.resume();
    req.on('end', () => {
      const { response, principal } = answer(req);
      const body = response.body === undefined ? '' : JSON.stringify(response.body);
      const headers = {
        'content-type': 'application/json; charset=utf-8',
        'x-github-media-type': 'github.v3; format=json',
        'x-github-api-version-selected': '2022-11-28',
        'x-github-request-id': `F${stats.requests.toString(16).toUpperCase()}`,
        ...response.headers,
      };
      exchanges.push({
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        principal: principalName(principal),
        status: response.status,
        headers,
        body: response.body,
      });
      if (exchanges.length > keep) exchanges.shift();
      res.writeHead(response.status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  }

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  hosts.value = { api: url, web: url };
  return {
    url,
    world,
    rateLimit,
    exchanges,
    stats,
    failNextWithSecondaryLimit(retryAfterSec: number) {
      secondary = retryAfterSec;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
