/**
 * Recorded request → response examples of the local GitHub, one per situation the adapter reads.
 * `recordExamples()` replays them against a fresh fake; run this file to rewrite
 * `__fixtures__/examples.json`:
 *
 *     npx node test/fakes/github/github-fake-examples.ts
 */

import { createSign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { startFakeGithub } from './github-fake-server.ts';
import { FakeWorld } from './github-fake-world.ts';

/** One example: the request, the operation it belongs to, and the raw and normalised answers. */
export interface Example {
  readonly name: string;
  /** OpenAPI operation id whose schema the body must match (undefined: not in the extract). */
  readonly operation: string | undefined;
  readonly request: { readonly method: string; readonly path: string; readonly auth: string };
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

const KEPT_HEADERS = [
  'x-oauth-scopes',
  'x-accepted-oauth-scopes',
  'x-accepted-github-permissions',
  'github-authentication-token-expiration',
  'x-github-sso',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'x-ratelimit-used',
  'x-ratelimit-resource',
  'retry-after',
  'content-type',
];

function appJwt(appId: string, privateKey: string): string {
  const now = Math.floor(Date.now() / 1000);
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const head = `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc({ iat: now - 30, exp: now + 540, iss: appId })}`;
  return `${head}.${createSign('RSA-SHA256').update(head).sign(privateKey, 'base64url')}`;
}

function normalise(text: string, secrets: Record<string, string>): string {
  let out = text;
  for (const [name, value] of Object.entries(secrets))
    if (value !== '') out = out.split(value).join(`{${name}}`);
  out = out.split(new URL(secrets['base'] ?? 'http://x').host).join('{host}');
  return out
    .replace(/ghs_[A-Za-z0-9]{36}/g, '{installation-token}')
    .replace(/[0-9a-f]{40}/g, '{sha}')
    .replace(/"C_[0-9a-f]{10}"/g, '"C_{sha}"')
    .replace(/"x-ratelimit-reset":"\d+"/g, '"x-ratelimit-reset":"{reset}"')
    .replace(/"reset":\d+/g, '"reset":0')
    .replace(/"expires_at":"[^"]+"/g, '"expires_at":"{expires_at}"');
}

/** Runs every example against a fresh fake; `raw` keeps the bodies as sent (for schema checks). */
export async function recordExamples(): Promise<{ normalised: Example[]; raw: Example[] }> {
  const world = new FakeWorld()
    .addUser('octo')
    .addOrg('acme', true)
    .addRepo('octo/app', { branches: ['main'] });
  const app = world.addApp('keyhouse-bot');
  const installationId = world.install(app.appId, 'octo', {
    permissions: { contents: 'read' },
    repositories: ['octo/app'],
  });
  world.addRepo('acme/svc', { collaborators: ['octo'] });
  const classic = world.issueClassic('octo', ['repo', 'read:org'], { expiration: '2030-01-02 03:04:05 UTC' });
  const narrow = world.issueClassic('octo', ['read:org']);
  const fine = world.issueFineGrained(
    'octo',
    'octo',
    { contents: 'read' },
    { expiration: '2030-01-02 03:04:05 UTC' },
  );
  const jwt = appJwt(app.appId, app.privateKey);
  const fake = await startFakeGithub({ world, rateLimit: { limit: 13, windowMs: 3_600_000 } });
  const auth: Record<string, string> = { classic, narrow, fine, jwt, none: '' };
  const secrets: Record<string, string> = { ...auth, base: fake.url };
  const plan: [string, string | undefined, string, string, string][] = [
    ['classic token: scopes and expiry', 'users/get-authenticated', 'GET', '/user', 'classic'],
    ['fine-grained token: no X-OAuth-Scopes', 'users/get-authenticated', 'GET', '/user', 'fine'],
    ['repository with permissions', 'repos/get', 'GET', '/repos/octo/app', 'classic'],
    ['branch', 'repos/get-branch', 'GET', '/repos/octo/app/branches/main', 'classic'],
    ['contents of the root', 'repos/get-content', 'GET', '/repos/octo/app/contents/', 'fine'],
    ['fine-grained token lacks a permission', 'repos/list-webhooks', 'GET', '/repos/octo/app/hooks', 'fine'],
    ['private repository hidden from a narrow token', 'repos/get', 'GET', '/repos/octo/app', 'narrow'],
    ['SAML SSO enforced', 'repos/get', 'GET', '/repos/acme/svc', 'classic'],
    ['no token', 'users/get-authenticated', 'GET', '/user', 'none'],
    [
      'installation read with the app JWT',
      'apps/get-installation',
      'GET',
      `/app/installations/${installationId}`,
      'jwt',
    ],
    [
      'installation token minted',
      'apps/create-installation-access-token',
      'POST',
      `/app/installations/${installationId}/access_tokens`,
      'jwt',
    ],
    ['unknown route', undefined, 'GET', '/nope', 'classic'],
    ['rate limit overview (not counted)', 'rate-limit/get', 'GET', '/rate_limit', 'classic'],
    ['fills the budget', 'users/get-authenticated', 'GET', '/user', 'classic'],
    ['primary rate limit exceeded', 'users/get-authenticated', 'GET', '/user', 'classic'],
  ];
  const raw: Example[] = [];
  try {
    for (const [name, operation, method, path, who] of plan) {
      const headers: Record<string, string> =
        who === 'none' ? {} : { authorization: `${who === 'jwt' ? 'Bearer' : 'token'} ${auth[who]}` };
      const response = await fetch(`${fake.url}${path}`, { method, headers });
      const kept = Object.fromEntries(
        KEPT_HEADERS.flatMap((h) => (response.headers.has(h) ? [[h, response.headers.get(h) ?? '']] : [])),
      );
      raw.push({
        name,
        operation,
        request: { method, path, auth: who },
        status: response.status,
        headers: kept,
        body: await response.json(),
      });
    }
  } finally {
    await fake.close();
  }
  const normalised = JSON.parse(normalise(JSON.stringify(raw), secrets)) as Example[];
  return { normalised, raw };
}

if (import.meta.main) {
  const { normalised } = await recordExamples();
  writeFileSync(
    new URL('./__fixtures__/examples.json', import.meta.url),
    `${JSON.stringify(normalised, null, 1)}\n`,
  );
}
