/**
 * The local GitHub's access rules, as GitHub documents them: SAML SSO (403 with `X-GitHub-SSO`),
 * hidden private resources (404), classic scopes (`X-Accepted-OAuth-Scopes`) and fine-grained
 * permissions (403 with `X-Accepted-GitHub-Permissions`) for PATs and installation tokens.
 */

import type { Principal } from './github-fake-auth.ts';
import { basicError, type Hosts } from './github-fake-bodies.ts';
import type { FakeRepo, FakeWorld, Level } from './github-fake-world.ts';

/** A response of the fake. */
export interface FakeResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

/** What an endpoint needs: classic scopes accepted, and one fine-grained permission. */
export interface Need {
  /** Accepted classic scopes; absent when any token will do. */
  readonly classic?: readonly string[];
  /** `name:level`, e.g. `contents:read`. */
  readonly permission: string;
}

/** The outcome of an access check: refused with a response, or allowed with headers to add. */
export type Access =
  | { readonly ok: false; readonly response: FakeResponse }
  | { readonly ok: true; readonly headers: Record<string, string> };

const NOT_FOUND = 'https://docs.github.com/rest';

/** GitHub's 404. */
export function notFound(extra: Record<string, string> = {}): FakeResponse {
  return { status: 404, headers: extra, body: basicError('Not Found', 404, NOT_FOUND) };
}

function holds(permissions: Readonly<Record<string, Level>>, need: string): boolean {
  const [name = '', level = 'read'] = need.split(':');
  if (name === 'metadata') return true;
  const held = permissions[name];
  return held === 'write' || held === level;
}

function acceptedHeaders(need: Need): Record<string, string> {
  return {
    'x-accepted-oauth-scopes': (need.classic ?? []).join(', '),
    'x-accepted-github-permissions': need.permission.replace(':', '='),
  };
}

function ssoRefusal(hosts: Hosts, org: string): FakeResponse {
  return {
    status: 403,
    headers: { 'x-github-sso': `required; url=${hosts.web}/orgs/${org}/sso?authorization_request=A1B2C3` },
    body: basicError(
      'Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.',
      403,
      'https://docs.github.com/articles/authenticating-to-a-github-organization-with-saml-single-sign-on/',
    ),
  };
}

function forbidden(message: string, need: Need): FakeResponse {
  return { status: 403, headers: acceptedHeaders(need), body: basicError(message, 403) };
}

/** Decides access of the caller to an owner's resource (`repo` undefined for organisation routes). */
export function checkAccess(
  world: FakeWorld,
  hosts: Hosts,
  principal: Principal,
  owner: string,
  repo: FakeRepo | undefined,
  need: Need,
): Access {
  const headers = acceptedHeaders(need);
  if (principal.kind === 'app')
    return { ok: false, response: forbidden('Resource not accessible by integration', need) };
  if (principal.kind !== 'token') {
    return repo && !repo.private && need.classic === undefined
      ? { ok: true, headers }
      : { ok: false, response: notFound(headers) };
  }
  const t = principal.token;
  const org = world.orgs.get(owner);
  if (t.kind === 'classic' || t.kind === 'oauth') {
    if (org?.samlEnforced && !t.ssoAuthorized.includes(owner))
      return { ok: false, response: ssoRefusal(hosts, owner) };
    const member = repo === undefined || repo.collaborators.includes(t.user);
    if (repo?.private && (!t.scopes.includes('repo') || !member))
      return { ok: false, response: notFound(headers) };
    if (need.classic && !need.classic.some((s) => t.scopes.includes(s)))
      return { ok: false, response: notFound(headers) };
    return { ok: true, headers };
  }
  if (t.kind === 'fine-grained') {
    if (t.owner.toLowerCase() !== owner.toLowerCase()) return { ok: false, response: notFound(headers) };
    const full = repo ? `${repo.owner}/${repo.name}`.toLowerCase() : undefined;
    if (full && t.repositories !== 'all' && !t.repositories.some((r) => r.toLowerCase() === full)) {
      return { ok: false, response: notFound(headers) };
    }
    if (!holds(t.permissions, need.permission)) {
      return { ok: false, response: forbidden('Resource not accessible by personal access token', need) };
    }
    return { ok: true, headers };
  }
  if (t.kind !== 'installation') return { ok: false, response: notFound(headers) };
  const inst = world.installations.get(t.installationId);
  if (!inst || inst.account.toLowerCase() !== owner.toLowerCase())
    return { ok: false, response: notFound(headers) };
  const full = repo ? `${repo.owner}/${repo.name}`.toLowerCase() : undefined;
  if (
    full &&
    inst.repositorySelection === 'selected' &&
    !inst.repositories.some((r) => r.toLowerCase() === full)
  ) {
    return { ok: false, response: notFound(headers) };
  }
  if (!holds(inst.permissions as Record<string, Level>, need.permission)) {
    return { ok: false, response: forbidden('Resource not accessible by integration', need) };
  }
  return { ok: true, headers };
}
