import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth.ts';
import { errorResponses, Id, Name } from '../schemas.ts';
import type { PluginOptions } from './options.ts';

export const Group = Type.Object(
  { id: Id, workspaceId: Id, name: Name, members: Type.Array(Id) },
  { additionalProperties: false },
);
const GroupParams = Type.Object({ ws: Id, groupId: Id });
const GroupMemberParams = Type.Object({ ws: Id, groupId: Id, userId: Id });

/** Groups of users in a workspace and their members. */
export const groupsPlugin: FastifyPluginAsyncTypebox<PluginOptions> = async (app, { keyhouse }) => {
  const tags = ['groups'];
  app.get(
    '/workspaces/:ws/groups',
    {
      schema: {
        tags,
        params: Type.Object({ ws: Id }),
        response: { 200: Type.Object({ items: Type.Array(Group) }), ...errorResponses() },
      },
    },
    async (req) => ({ items: await keyhouse.listGroups(principalOf(req), req.params.ws) }),
  );
  app.post(
    '/workspaces/:ws/groups',
    {
      schema: {
        tags,
        params: Type.Object({ ws: Id }),
        body: Type.Object({ id: Type.Optional(Id), name: Name }, { additionalProperties: false }),
        response: { 201: Group, ...errorResponses(403, 409) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await keyhouse.createGroup(principalOf(req), req.params.ws, req.body)),
  );
  app.get(
    '/workspaces/:ws/groups/:groupId',
    { schema: { tags, params: GroupParams, response: { 200: Group, ...errorResponses() } } },
    async (req) => keyhouse.getGroup(principalOf(req), req.params.ws, req.params.groupId),
  );
  app.delete(
    '/workspaces/:ws/groups/:groupId',
    { schema: { tags, params: GroupParams, response: { 204: Type.Null(), ...errorResponses(403) } } },
    async (req, reply) => {
      await keyhouse.deleteGroup(principalOf(req), req.params.ws, req.params.groupId);
      return reply.status(204).send(null);
    },
  );
  app.put(
    '/workspaces/:ws/groups/:groupId/members/:userId',
    { schema: { tags, params: GroupMemberParams, response: { 200: Group, ...errorResponses(403) } } },
    async (req) =>
      keyhouse.addGroupMember(principalOf(req), req.params.ws, req.params.groupId, req.params.userId),
  );
  app.delete(
    '/workspaces/:ws/groups/:groupId/members/:userId',
    { schema: { tags, params: GroupMemberParams, response: { 200: Group, ...errorResponses(403) } } },
    async (req) =>
      keyhouse.removeGroupMember(principalOf(req), req.params.ws, req.params.groupId, req.params.userId),
  );
};
