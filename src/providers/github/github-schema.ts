/**
 * GitHub's response headers and bodies as the adapter reads them: OAuth scopes, token expiry,
 * accepted fine-grained permissions, SAML SSO, rate limits and the `message` of error bodies.
 * Pure functions over header values, so each is tested with a table.
 */
import type { RateLimitState } from '../types.ts';

/** Response headers, lower-case names (as Octokit and `fetch` give them). */
export type HeaderBag = Readonly<Record<string, string | number | undefined>>;

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return value === undefined ? undefined : String(value);
}

/** `X-OAuth-Scopes`: the scope list, `[]` when empty, undefined when absent (fine-grained or app token). */
export function parseOAuthScopes(headers: HeaderBag): string[] | undefined {
  const value = header(headers, 'x-oauth-scopes');
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((scope) => scope.trim())
    .filter((scope) => scope !== '');
}

const EXPIRY = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ?(UTC|[+-]\d{4})?$/;

/**
 * `GitHub-Authentication-Token-Expiration` (`2021-10-07 19:07:53 UTC` or `… -0700`) in epoch ms;
 * undefined when absent or unreadable.
 */
export function parseTokenExpiration(headers: HeaderBag): number | undefined {
  const value = header(headers, 'github-authentication-token-expiration')?.trim();
  if (value === undefined) return undefined;
  const match = EXPIRY.exec(value);
  if (!match) return undefined;
  const zone =
    match[3] === undefined || match[3] === 'UTC' ? 'Z' : `${match[3].slice(0, 3)}:${match[3].slice(3)}`;
  const ms = Date.parse(`${match[1]}T${match[2]}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * `X-Accepted-GitHub-Permissions`: alternative sets (`;`) of required permissions (`,`), each
 * written as the catalogue spells it (`contents=read` → `contents:read`).
 */
export function parseAcceptedPermissions(headers: HeaderBag): string[][] {
  const value = header(headers, 'x-accepted-github-permissions');
  if (value === undefined || value.trim() === '') return [];
  return value
    .split(';')
    .map((set) =>
      set
        .split(',')
        .map((pair) => pair.trim())
        .filter((pair) => pair.includes('='))
        .map((pair) => pair.replace('=', ':')),
    )
    .filter((set) => set.length > 0);
}

/** What `X-GitHub-SSO` says. */
export type SsoHeader =
  | { readonly kind: 'required'; readonly url?: string }
  | { readonly kind: 'partial-results'; readonly organizations: readonly string[] };

/** `X-GitHub-SSO: required; url=…` or `partial-results; organizations=1,2`; undefined when absent. */
export function parseSsoHeader(headers: HeaderBag): SsoHeader | undefined {
  const value = header(headers, 'x-github-sso');
  if (value === undefined) return undefined;
  const [kind, ...params] = value.split(';').map((part) => part.trim());
  const param = (name: string) =>
    params.find((p) => p.startsWith(`${name}=`))?.slice(name.length + 1) ?? undefined;
  if (kind === 'partial-results') {
    const orgs = param('organizations');
    return { kind, organizations: orgs === undefined ? [] : orgs.split(',').filter((o) => o !== '') };
  }
  const url = param('url');
  return url === undefined ? { kind: 'required' } : { kind: 'required', url };
}

function integer(headers: HeaderBag, name: string): number | undefined {
  const value = header(headers, name);
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

/** The rate-limit state of a response (`x-ratelimit-*`, `retry-after`), times in epoch ms. */
export function parseRateLimit(headers: HeaderBag, now: number): RateLimitState {
  const limit = integer(headers, 'x-ratelimit-limit');
  const remaining = integer(headers, 'x-ratelimit-remaining');
  const reset = integer(headers, 'x-ratelimit-reset');
  const retry = integer(headers, 'retry-after');
  return {
    ...(limit === undefined ? {} : { limit }),
    ...(remaining === undefined ? {} : { remaining }),
    ...(reset === undefined ? {} : { resetAt: reset * 1000 }),
    ...(retry === undefined ? {} : { retryAfter: now + retry * 1000 }),
  };
}

/** The `message` of a GitHub error body, cut to one short line; never echoes request data. */
export function githubMessage(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const message = (body as { message?: unknown }).message;
  return typeof message === 'string' ? message.split('\n')[0]?.slice(0, 200) : undefined;
}

/** True when a 403/429 body or headers say a secondary or primary rate limit was hit. */
export function isRateLimitAnswer(status: number, headers: HeaderBag, body: unknown): boolean {
  if (status !== 403 && status !== 429) return false;
  if (status === 429) return true;
  if (header(headers, 'x-ratelimit-remaining') === '0') return true;
  if (header(headers, 'retry-after') !== undefined) return true;
  return /rate limit/i.test(githubMessage(body) ?? '');
}
