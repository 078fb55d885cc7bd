/**
 * Who a request to the local GitHub is: a token of the world, a GitHub App JWT verified with the
 * app's public key (RS256, `iss` = app id, at most ten minutes of lifetime), or nobody.
 */
import { createVerify } from 'node:crypto';
import type { FakeApp, FakeToken, FakeWorld } from './github-fake-world.ts';

/** The caller of one request. */
export type Principal =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'bad'; readonly message: string }
  | { readonly kind: 'token'; readonly token: FakeToken }
  | { readonly kind: 'app'; readonly app: FakeApp };

function b64json(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Verifies an app JWT as GitHub does; returns the app or the 401 message. */
export function verifyAppJwt(world: FakeWorld, jwt: string, nowSec: number): FakeApp | string {
  const [h, p, s] = jwt.split('.');
  const header = h ? b64json(h) : undefined;
  const payload = p ? b64json(p) : undefined;
  if (!header || !payload || s === undefined || header['alg'] !== 'RS256')
    return 'A JSON web token could not be decoded';
  const app = world.apps.get(String(payload['iss']));
  if (!app) return 'Integration not found';
  const ok = createVerify('RSA-SHA256')
    .update(`${h}.${p}`)
    .verify(app.publicKey, Buffer.from(s, 'base64url'));
  if (!ok) return 'A JSON web token could not be decoded';
  const iat = Number(payload['iat']);
  const exp = Number(payload['exp']);
  if (!Number.isFinite(exp) || exp <= nowSec) {
    return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
  }
  if (exp - nowSec > 600) return "'Expiration time' claim ('exp') is too far in the future";
  if (!Number.isFinite(iat) || iat > nowSec + 60)
    return "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";
  return app;
}

/** Resolves the `Authorization` header (`token X`, `Bearer X`) to a principal. */
export function principalOf(world: FakeWorld, authorization: string | undefined, now: number): Principal {
  if (authorization === undefined) return { kind: 'anonymous' };
  const match = /^(token|bearer)\s+(\S+)$/i.exec(authorization.trim());
  if (!match?.[2]) return { kind: 'bad', message: 'Bad credentials' };
  const credential = match[2];
  if (credential.split('.').length === 3 && credential.startsWith('eyJ')) {
    const app = verifyAppJwt(world, credential, Math.floor(now / 1000));
    return typeof app === 'string' ? { kind: 'bad', message: app } : { kind: 'app', app };
  }
  const token = world.tokens.get(credential);
  if (!token || token.revoked) return { kind: 'bad', message: 'Bad credentials' };
  if (token.kind === 'installation' && token.expiresAtMs <= now)
    return { kind: 'bad', message: 'Bad credentials' };
  return { kind: 'token', token };
}

/** The rate-limit bucket key of a principal (user, installation or app). */
export function bucketKey(principal: Principal): string {
  if (principal.kind === 'token') {
    const t = principal.token;
    return t.kind === 'installation' ? `installation:${t.installationId}` : `user:${t.user}`;
  }
  if (principal.kind === 'app') return `app:${principal.app.id}`;
  return 'anonymous';
}
