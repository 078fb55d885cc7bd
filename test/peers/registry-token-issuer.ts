/**
 * A Docker registry token service for tests (the distribution token-auth protocol): Basic
 * credentials in, an RS256 JWT out whose `access` claim grants the intersection of the requested
 * and the allowed actions. A user marked `forged` gets tokens signed with another key, which the
 * real registry must reject.
 */
import { createSign, generateKeyPairSync, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** A user of the token service. */
export interface IssuerUser {
  readonly password: string;
  /** Allowed actions per repository name (`*` for every repository). */
  readonly actions: Readonly<Record<string, readonly string[]>>;
  /** Sign this user's tokens with a key the registry does not trust. */
  readonly forged?: boolean;
}

/** Options of {@link startTokenIssuer}. */
export interface TokenIssuerOptions {
  readonly issuer: string;
  /** PEM private key matching the certificate the registry trusts. */
  readonly keyPem: string;
  /** Base64 DER of that certificate, sent in the `x5c` header. */
  readonly certDer: string;
  readonly users: Readonly<Record<string, IssuerUser>>;
}

/** A running token service. */
export interface TokenIssuer {
  readonly url: string;
  /** Token requests answered (any status). */
  readonly requests: () => number;
  close(): Promise<void>;
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function basicUser(request: IncomingMessage, users: TokenIssuerOptions['users']): string | undefined {
  const header = request.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const name = decoded.slice(0, colon);
  const user = Object.hasOwn(users, name) ? users[name] : undefined;
  if (user === undefined || colon < 0) return undefined;
  const given = Buffer.from(decoded.slice(colon + 1));
  const expected = Buffer.from(user.password);
  return given.length === expected.length && timingSafeEqual(given, expected) ? name : undefined;
}

function grants(user: IssuerUser, scopes: readonly string[]) {
  return scopes.flatMap((scope) => {
    const first = scope.indexOf(':');
    const last = scope.lastIndexOf(':');
    const type = scope.slice(0, first);
    const name = scope.slice(first + 1, last);
    const wanted = scope.slice(last + 1).split(',');
    const allowed = user.actions[name] ?? user.actions['*'] ?? [];
    const actions = wanted.filter((action) => allowed.includes(action) || allowed.includes('*'));
    return actions.length > 0 ? [{ type, name, actions }] : [];
  });
}

function sign(options: TokenIssuerOptions, key: string, sub: string, aud: string, access: unknown): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url({ alg: 'RS256', typ: 'JWT', x5c: [options.certDer] });
  const claims = b64url({
    iss: options.issuer,
    sub,
    aud,
    iat: now,
    nbf: now - 5,
    exp: now + 300,
    jti: randomUUID(),
    access,
  });
  const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(key).toString('base64url');
  return `${header}.${claims}.${signature}`;
}

/** Starts the token service on 127.0.0.1 (a free port). */
export async function startTokenIssuer(options: TokenIssuerOptions): Promise<TokenIssuer> {
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  let count = 0;
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    count += 1;
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const name = basicUser(request, options.users);
    const user = name === undefined ? undefined : options.users[name];
    if (name === undefined || user === undefined) {
      response.writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate': 'Basic realm="token"',
      });
      response.end(JSON.stringify({ details: 'incorrect username or password' }));
      return;
    }
    const access = grants(user, url.searchParams.getAll('scope'));
    const key = user.forged === true ? otherKey : options.keyPem;
    const token = sign(options, key, name, url.searchParams.get('service') ?? '', access);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/token`,
    requests: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
