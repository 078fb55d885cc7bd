import type { FastifyInstance, FastifyRequest } from 'fastify';
import { KeyhouseError } from '../core/errors.ts';
import type { Keyhouse, Principal } from '../services/keyhouse.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; set on every route whose config is not `auth: 'public'`. */
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** `public` routes answer anonymous callers; every other route requires a principal. */
    auth?: 'public' | 'user';
  }
}

/** Reads the bearer token of a request, if any. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1];
}

/** Authenticates every non-public route before its handler runs: 401 without valid credentials. */
export function installAuth(app: FastifyInstance, keyhouse: Keyhouse): void {
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config?.auth === 'public') return;
    if (request.routeOptions.url === undefined) return; // 404 handler
    const token = bearerToken(request);
    const principal = token ? await keyhouse.authenticate(token) : undefined;
    if (!principal) throw new KeyhouseError('unauthenticated');
    request.principal = { ...principal, requestId: request.id };
  });
}

/** The principal of an authenticated request (routes behind auth only). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new KeyhouseError('unauthenticated');
  return request.principal;
}
