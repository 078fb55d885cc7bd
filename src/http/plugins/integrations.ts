import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { KeyhouseError } from '../../core/errors.ts';
import { principalOf } from '../auth.ts';
import {
  Config,
  Credential,
  errorResponses,
  Id,
  Integration,
  Name,
  Permissions,
  Scope,
  Timestamp,
} from '../schemas.ts';
import type { PluginOptions } from './options.ts';

const WsParams = Type.Object({ ws: Id });
const IntParams = Type.Object({ ws: Id, integrationId: Id });

/** The strong ETag of a resource version. */
export function etagOf(kind: string, id: string, version: number): string {
  return `"${kind}-${id}-v${version}"`;
}

/**
 * Reads the version named by `If-Match`: 428 without the header, 412 when it is not an ETag of
 * this resource (a stale version is found by the conditional update itself, also 412).
 */
export function requireIfMatch(request: FastifyRequest, kind: string, id: string): number {
  const header = request.headers['if-match'];
  if (typeof header !== 'string' || header.trim() === '') throw new KeyhouseError('precondition_required');
  const prefix = `"${kind}-${id}-v`;
  const wanted = header.trim();
  const version =
    wanted.startsWith(prefix) && wanted.endsWith('"') ? Number(wanted.slice(prefix.length, -1)) : Number.NaN;
  if (!Number.isSafeInteger(version) || version < 0) throw new KeyhouseError('precondition_failed');
  return version;
}

function sendIntegration(reply: FastifyReply, body: { id: string; version: number }, status = 200) {
  return reply
    .status(status)
    .header('etag', etagOf('integration', body.id, body.version))
    .send(body);
}

/** Integrations: create with a write-only credential, read, update config, replace the credential, delete. */
export const integrationsPlugin: FastifyPluginAsyncTypebox<PluginOptions> = async (app, { keyhouse }) => {
  const tags = ['integrations'];
  app.get(
    '/workspaces/:ws/integrations',
    {
      schema: {
        tags,
        params: WsParams,
        querystring: Type.Object(
          { projectId: Type.Optional(Id), provider: Type.Optional(Type.String({ maxLength: 50 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(Integration), total: Type.Integer() }),
          ...errorResponses(),
        },
      },
    },
    async (req) => {
      const items = await keyhouse.listIntegrations(principalOf(req), req.params.ws, req.query);
      return { items, total: items.length };
    },
  );
  app.post(
    '/workspaces/:ws/integrations',
    {
      schema: {
        tags,
        params: WsParams,
        body: Type.Object(
          {
            id: Type.Optional(Id),
            name: Name,
            provider: Type.String({ minLength: 1, maxLength: 50, pattern: '^[a-z0-9-]+$' }),
            credentialType: Type.String({ minLength: 1, maxLength: 50, pattern: '^[a-z0-9-]+$' }),
            scope: Scope,
            config: Type.Optional(Config),
            credential: Credential,
            permissions: Type.Optional(Type.Partial(Permissions)),
          },
          { additionalProperties: false },
        ),
        response: { 201: Integration, ...errorResponses(403, 409) },
      },
    },
    async (req, reply) =>
      sendIntegration(
        reply,
        await keyhouse.createIntegration(principalOf(req), req.params.ws, req.body),
        201,
      ),
  );
  app.get(
    '/workspaces/:ws/integrations/:integrationId',
    { schema: { tags, params: IntParams, response: { 200: Integration, ...errorResponses() } } },
    async (req, reply) =>
      sendIntegration(
        reply,
        await keyhouse.getIntegration(principalOf(req), req.params.ws, req.params.integrationId),
      ),
  );
  app.patch(
    '/workspaces/:ws/integrations/:integrationId',
    {
      schema: {
        tags,
        params: IntParams,
        body: Type.Object(
          { name: Type.Optional(Name), config: Type.Optional(Config) },
          { additionalProperties: false },
        ),
        response: { 200: Integration, ...errorResponses(403, 412, 428) },
      },
    },
    async (req, reply) => {
      const expected = requireIfMatch(req, 'integration', req.params.integrationId);
      const out = await keyhouse.updateIntegration(
        principalOf(req),
        req.params.ws,
        req.params.integrationId,
        expected,
        req.body,
      );
      return sendIntegration(reply, out);
    },
  );
  app.put(
    '/workspaces/:ws/integrations/:integrationId/credential',
    {
      schema: {
        tags,
        params: IntParams,
        body: Type.Object({ credential: Credential }, { additionalProperties: false }),
        response: { 200: Integration, ...errorResponses(403, 412, 428) },
      },
    },
    async (req, reply) => {
      const expected = requireIfMatch(req, 'integration', req.params.integrationId);
      const out = await keyhouse.replaceCredential(
        principalOf(req),
        req.params.ws,
        req.params.integrationId,
        expected,
        req.body.credential,
      );
      return sendIntegration(reply, out);
    },
  );
  app.delete(
    '/workspaces/:ws/integrations/:integrationId',
    { schema: { tags, params: IntParams, response: { 204: Type.Null(), ...errorResponses(403) } } },
    async (req, reply) => {
      await keyhouse.deleteIntegration(principalOf(req), req.params.ws, req.params.integrationId);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/workspaces/:ws/integrations/:integrationId/permissions',
    { schema: { tags, params: IntParams, response: { 200: Permissions, ...errorResponses() } } },
    async (req, reply) => {
      const out = await keyhouse.getIntegration(principalOf(req), req.params.ws, req.params.integrationId);
      return reply.header('etag', etagOf('integration', out.id, out.version)).send(out.permissions);
    },
  );
  app.put(
    '/workspaces/:ws/integrations/:integrationId/permissions',
    {
      schema: {
        tags,
        params: IntParams,
        body: Permissions,
        response: { 200: Permissions, ...errorResponses(403, 412, 428) },
      },
    },
    async (req, reply) => {
      const expected = requireIfMatch(req, 'integration', req.params.integrationId);
      const out = await keyhouse.setPermissions(
        principalOf(req),
        req.params.ws,
        req.params.integrationId,
        expected,
        req.body,
      );
      return reply.header('etag', etagOf('integration', out.id, out.version)).send(out.permissions);
    },
  );
  app.post(
    '/workspaces/:ws/integrations/:integrationId/allowed-pipelines',
    {
      schema: {
        tags,
        params: IntParams,
        body: Type.Object(
          { pipelineId: Id, expiresAt: Type.Optional(Timestamp) },
          { additionalProperties: false },
        ),
        response: { 200: Permissions, ...errorResponses(403) },
      },
    },
    async (req, reply) => {
      const out = await keyhouse.allowPipeline(
        principalOf(req),
        req.params.ws,
        req.params.integrationId,
        req.body,
      );
      return reply.header('etag', etagOf('integration', out.id, out.version)).send(out.permissions);
    },
  );
};
