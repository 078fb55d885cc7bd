import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth.ts';
import { errorResponses, Id, Name, Role, Timestamp } from '../schemas.ts';
import type { PluginOptions } from './options.ts';

export const Workspace = Type.Object(
  { id: Id, name: Name, yourRole: Type.Union([Role, Type.Null()]), createdAt: Timestamp },
  { additionalProperties: false },
);
const WsParams = Type.Object({ ws: Id });

/** Workspaces: the tenants. Only instance administrators create them; members see their own. */
export const workspacesPlugin: FastifyPluginAsyncTypebox<PluginOptions> = async (app, { keyhouse }) => {
  app.get(
    '/workspaces',
    {
      schema: {
        tags: ['workspaces'],
        response: { 200: Type.Object({ items: Type.Array(Workspace) }), ...errorResponses() },
      },
    },
    async (req) => ({ items: await keyhouse.listWorkspaces(principalOf(req)) }),
  );
  app.post(
    '/workspaces',
    {
      schema: {
        tags: ['workspaces'],
        body: Type.Object({ id: Type.Optional(Id), name: Name }, { additionalProperties: false }),
        response: { 201: Workspace, ...errorResponses(403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await keyhouse.createWorkspace(principalOf(req), req.body)),
  );
  app.get(
    '/workspaces/:ws',
    { schema: { tags: ['workspaces'], params: WsParams, response: { 200: Workspace, ...errorResponses() } } },
    async (req) => keyhouse.getWorkspace(principalOf(req), req.params.ws),
  );
  app.delete(
    '/workspaces/:ws',
    {
      schema: {
        tags: ['workspaces'],
        params: WsParams,
        response: { 204: Type.Null(), ...errorResponses(403) },
      },
    },
    async (req, reply) => {
      await keyhouse.deleteWorkspace(principalOf(req), req.params.ws);
      return reply.status(204).send(null);
    },
  );
};
