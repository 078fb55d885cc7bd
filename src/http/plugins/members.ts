import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth.ts';
import { errorResponses, Id, Name, Role, Timestamp } from '../schemas.ts';
import type { PluginOptions } from './options.ts';

export const RoleSourceSchema = Type.Union([
  Type.Object({ kind: Type.Literal('manual') }, { additionalProperties: false }),
  Type.Object(
    { kind: Type.Literal('scm'), host: Type.String(), scmRole: Type.String(), syncedAt: Timestamp },
    { additionalProperties: false },
  ),
]);
export const User = Type.Object(
  {
    id: Id,
    login: Name,
    displayName: Type.Union([Type.String(), Type.Null()]),
    email: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
export const Member = Type.Object(
  {
    userId: Id,
    login: Name,
    role: Role,
    roleSource: RoleSourceSchema,
    projectRoles: Type.Record(Type.String(), Role),
    groups: Type.Array(Id),
  },
  { additionalProperties: false },
);
const MemberParams = Type.Object({ ws: Id, userId: Id });

/** Users, workspace memberships with their roles, and project roles. */
export const membersPlugin: FastifyPluginAsyncTypebox<PluginOptions> = async (app, { keyhouse }) => {
  const tags = ['members'];
  app.get(
    '/me',
    {
      schema: {
        tags,
        response: { 200: Type.Object({ user: User }, { additionalProperties: false }), ...errorResponses() },
      },
    },
    async (req) => keyhouse.me(principalOf(req)),
  );
  app.post(
    '/workspaces/:ws/members',
    {
      schema: {
        tags,
        params: Type.Object({ ws: Id }),
        body: Type.Object(
          {
            login: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.-]+$' }),
            role: Role,
            displayName: Type.Optional(Name),
            email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Member, ...errorResponses(403, 409) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await keyhouse.addMember(principalOf(req), req.params.ws, req.body)),
  );
  app.get(
    '/workspaces/:ws/members',
    {
      schema: {
        tags,
        params: Type.Object({ ws: Id }),
        response: { 200: Type.Object({ items: Type.Array(Member) }), ...errorResponses() },
      },
    },
    async (req) => ({ items: await keyhouse.listMembers(principalOf(req), req.params.ws) }),
  );
  app.put(
    '/workspaces/:ws/members/:userId',
    {
      schema: {
        tags,
        params: MemberParams,
        body: Type.Object({ role: Role }, { additionalProperties: false }),
        response: { 200: Member, ...errorResponses(403) },
      },
    },
    async (req) => keyhouse.setMemberRole(principalOf(req), req.params.ws, req.params.userId, req.body.role),
  );
  app.delete(
    '/workspaces/:ws/members/:userId',
    { schema: { tags, params: MemberParams, response: { 204: Type.Null(), ...errorResponses(403, 409) } } },
    async (req, reply) => {
      await keyhouse.removeMember(principalOf(req), req.params.ws, req.params.userId);
      return reply.status(204).send(null);
    },
  );
  app.put(
    '/workspaces/:ws/projects/:projectId/members/:userId',
    {
      schema: {
        tags,
        params: Type.Object({ ws: Id, projectId: Id, userId: Id }),
        body: Type.Object({ role: Type.Union([Role, Type.Null()]) }, { additionalProperties: false }),
        response: { 200: Member, ...errorResponses(403) },
      },
    },
    async (req) =>
      keyhouse.setProjectRole(
        principalOf(req),
        req.params.ws,
        req.params.projectId,
        req.params.userId,
        req.body.role,
      ),
  );
};
