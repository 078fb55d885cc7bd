import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth.ts';
import { errorResponses, Id, Name, Timestamp } from '../schemas.ts';
import type { PluginOptions } from './options.ts';

export const ApiToken = Type.Object(
  {
    id: Id,
    name: Name,
    createdAt: Timestamp,
    expiresAt: Type.Union([Timestamp, Type.Null()]),
    revokedAt: Type.Union([Timestamp, Type.Null()]),
    lastUsedAt: Type.Union([Timestamp, Type.Null()]),
  },
  { additionalProperties: false },
);

/** The caller's own API tokens: the token value is shown once, at creation; only its hash is kept. */
export const tokensPlugin: FastifyPluginAsyncTypebox<PluginOptions> = async (app, { keyhouse }) => {
  const tags = ['tokens'];
  app.get(
    '/tokens',
    {
      schema: { tags, response: { 200: Type.Object({ items: Type.Array(ApiToken) }), ...errorResponses() } },
    },
    async (req) => ({
      items: await keyhouse.listTokens(principalOf(req)),
    }),
  );
  app.post(
    '/tokens',
    {
      schema: {
        tags,
        body: Type.Object(
          { name: Name, expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ token: Type.String(), apiToken: ApiToken }, { additionalProperties: false }),
          ...errorResponses(),
        },
      },
    },
    async (req, reply) => reply.status(201).send(await keyhouse.createToken(principalOf(req), req.body)),
  );
  app.post(
    '/workspaces/:ws/members/:userId/tokens',
    {
      schema: {
        tags,
        params: Type.Object({ ws: Id, userId: Id }),
        body: Type.Object(
          { name: Name, expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ token: Type.String(), apiToken: ApiToken }, { additionalProperties: false }),
          ...errorResponses(403),
        },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await keyhouse.createMemberToken(principalOf(req), req.params.ws, req.params.userId, req.body)),
  );
  app.delete(
    '/tokens/:tokenId',
    {
      schema: {
        tags,
        params: Type.Object({ tokenId: Id }),
        response: { 204: Type.Null(), ...errorResponses() },
      },
    },
    async (req, reply) => {
      await keyhouse.revokeToken(principalOf(req), req.params.tokenId);
      return reply.status(204).send(null);
    },
  );
};
