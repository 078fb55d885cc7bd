import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth.ts';
import { errorResponses, Id, Timestamp } from '../schemas.ts';
import type { PluginOptions } from './options.ts';

export const AuditEvent = Type.Object(
  {
    seq: Type.Integer(),
    at: Timestamp,
    actor: Type.Union([Type.String(), Type.Null()]),
    action: Type.String(),
    targetType: Type.String(),
    targetId: Type.Union([Type.String(), Type.Null()]),
    before: Type.Unknown(),
    after: Type.Unknown(),
    requestId: Type.Union([Type.String(), Type.Null()]),
    hash: Type.String(),
  },
  { additionalProperties: false },
);

/** The append-only, hash-chained audit log of a workspace. */
export const auditPlugin: FastifyPluginAsyncTypebox<PluginOptions> = async (app, { keyhouse }) => {
  const tags = ['audit'];
  app.get(
    '/workspaces/:ws/audit',
    {
      schema: {
        tags,
        params: Type.Object({ ws: Id }),
        querystring: Type.Object(
          {
            action: Type.Optional(Type.String({ maxLength: 100 })),
            actor: Type.Optional(Id),
            targetId: Type.Optional(Id),
            since: Type.Optional(Timestamp),
            afterSeq: Type.Optional(Type.Integer({ minimum: 0 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(AuditEvent) }), ...errorResponses(403) },
      },
    },
    async (req) => ({ items: await keyhouse.listAudit(principalOf(req), req.params.ws, req.query) }),
  );
  app.get(
    '/workspaces/:ws/audit/verify',
    {
      schema: {
        tags,
        params: Type.Object({ ws: Id }),
        response: {
          200: Type.Object(
            {
              ok: Type.Boolean(),
              checked: Type.Integer(),
              firstBadSeq: Type.Optional(Type.Integer()),
              problem: Type.Optional(Type.String()),
            },
            { additionalProperties: false },
          ),
          ...errorResponses(403),
        },
      },
    },
    async (req) => keyhouse.verifyAudit(principalOf(req), req.params.ws),
  );
};
