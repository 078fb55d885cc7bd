import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import { KeyhouseError } from '../core/errors.ts';
import type { Keyhouse } from '../services/keyhouse.ts';
import { installAuth } from './auth.ts';
import { installErrorHandling } from './error-handler.ts';
import { ROUTE_PLUGINS } from './routes.ts';
import { installValidation } from './validation.ts';

/** Options for {@link buildApp}. */
export interface BuildAppOptions {
  readonly keyhouse: Keyhouse;
  /** A pino-compatible logger instance, or `false` for none. */
  readonly logger?: FastifyServerOptions['loggerInstance'] | false;
  /** Largest accepted request body in bytes. */
  readonly bodyLimit?: number;
}

/** The OpenAPI document's fixed parts. */
export const OPENAPI_INFO = {
  title: 'Keyhouse API',
  version: '1',
  description:
    'Integrations and permissions control plane. Errors: `{ "error": { "code", "message", "details" } }`. ' +
    'Anything the caller may not see answers 404, byte-identical to a missing object; 403 only for what ' +
    'the caller sees but may not do.',
} as const;

const ROUTES = new WeakMap<FastifyInstance, { method: string; url: string; auth: 'public' | 'user' }[]>();

/** Every route of an app built by {@link buildApp}: the authorization matrix is generated from this. */
export function routesOf(
  app: FastifyInstance,
): readonly { method: string; url: string; auth: 'public' | 'user' }[] {
  return ROUTES.get(app) ?? [];
}

/** The Swagger UI's own routes (static assets and the spec it renders) are public. */
export const PUBLIC_PREFIXES = ['/api/docs'] as const;

/** Builds the HTTP application: every resource plugin, auth, errors, OpenAPI. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // Requests are logged by the hook below with chosen fields only: never headers, never a query string.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    return503OnClosing: true,
    // Errors raised by the router before any route runs (bad URL encoding, overlong parameters).
    frameworkErrors: (error, _request, reply) => {
      const ke =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? new KeyhouseError('uri_too_long')
          : new KeyhouseError('validation_failed', 'The request path is not valid.');
      (reply as unknown as { status(n: number): { send(b: unknown): void } })
        .status(ke.status)
        .send(ke.toBody());
    },
    routerOptions: { maxParamLength: 200 },
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const routes: { method: string; url: string; auth: 'public' | 'user' }[] = [];
  ROUTES.set(app, routes);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const isPublic = route.config?.auth === 'public' || PUBLIC_PREFIXES.some((p) => route.url.startsWith(p));
    if (isPublic) route.config = { ...route.config, auth: 'public' };
    for (const method of methods)
      if (method !== 'HEAD') routes.push({ method, url: route.url, auth: isPublic ? 'public' : 'user' });
  });
  installErrorHandling(app);
  installValidation(app);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: OPENAPI_INFO,
      components: {
        securitySchemes: { token: { type: 'http', scheme: 'bearer', description: 'API token (kh_…)' } },
      },
      security: [{ token: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        path: request.url.split('?')[0],
        route: request.routeOptions.url,
        statusCode: reply.statusCode,
        responseTimeMs: Math.round(reply.elapsedTime * 10) / 10,
        actor: request.principal?.userId,
      },
      'request completed',
    );
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    return payload;
  });
  app.addHook('onRequest', async (request) => {
    const query = request.query as Record<string, unknown> | undefined;
    const url = request.url.toLowerCase();
    if (/[?&](token|password|secret|credential|private_?key|access_?key)=/.test(url) && query) {
      throw new KeyhouseError('secret_in_query');
    }
  });
  installAuth(app, options.keyhouse);
  app.get('/api/openapi.json', { schema: { hide: true }, config: { auth: 'public' } }, async () =>
    app.swagger(),
  );
  for (const plugin of ROUTE_PLUGINS) {
    await app.register(plugin, { prefix: '/api/v1', keyhouse: options.keyhouse });
  }
  return app;
}
