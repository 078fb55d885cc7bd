import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth.ts';
import { errorResponses, Id, Name, Timestamp } from '../schemas.ts';
import type { PluginOptions } from './options.ts';

export const Repository = Type.Object(
  {
    host: Type.String({ minLength: 1, maxLength: 200 }),
    fullName: Type.String({ minLength: 1, maxLength: 300 }),
  },
  { additionalProperties: false },
);
export const Project = Type.Object(
  {
    id: Id,
    workspaceId: Id,
    name: Name,
    repository: Type.Union([Repository, Type.Null()]),
    createdAt: Timestamp,
  },
  { additionalProperties: false },
);
export const Pipeline = Type.Object(
  { id: Id, workspaceId: Id, projectId: Id, name: Name, createdAt: Timestamp },
  { additionalProperties: false },
);
const WsParams = Type.Object({ ws: Id });
const ProjectParams = Type.Object({ ws: Id, projectId: Id });
const PipelineParams = Type.Object({ ws: Id, projectId: Id, pipelineId: Id });

/** Projects and their pipelines. */
export const projectsPlugin: FastifyPluginAsyncTypebox<PluginOptions> = async (app, { keyhouse }) => {
  const tags = ['projects'];
  app.get(
    '/workspaces/:ws/projects',
    {
      schema: {
        tags,
        params: WsParams,
        response: { 200: Type.Object({ items: Type.Array(Project) }), ...errorResponses() },
      },
    },
    async (req) => ({ items: await keyhouse.listProjects(principalOf(req), req.params.ws) }),
  );
  app.post(
    '/workspaces/:ws/projects',
    {
      schema: {
        tags,
        params: WsParams,
        body: Type.Object(
          { id: Type.Optional(Id), name: Name, repository: Type.Optional(Repository) },
          { additionalProperties: false },
        ),
        response: { 201: Project, ...errorResponses(403, 409) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await keyhouse.createProject(principalOf(req), req.params.ws, req.body)),
  );
  app.get(
    '/workspaces/:ws/projects/:projectId',
    { schema: { tags, params: ProjectParams, response: { 200: Project, ...errorResponses() } } },
    async (req) => keyhouse.getProject(principalOf(req), req.params.ws, req.params.projectId),
  );
  app.delete(
    '/workspaces/:ws/projects/:projectId',
    { schema: { tags, params: ProjectParams, response: { 204: Type.Null(), ...errorResponses(403, 409) } } },
    async (req, reply) => {
      await keyhouse.deleteProject(principalOf(req), req.params.ws, req.params.projectId);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/workspaces/:ws/projects/:projectId/pipelines',
    {
      schema: {
        tags,
        params: ProjectParams,
        response: { 200: Type.Object({ items: Type.Array(Pipeline) }), ...errorResponses() },
      },
    },
    async (req) => ({
      items: await keyhouse.listPipelines(principalOf(req), req.params.ws, req.params.projectId),
    }),
  );
  app.post(
    '/workspaces/:ws/projects/:projectId/pipelines',
    {
      schema: {
        tags,
        params: ProjectParams,
        body: Type.Object({ id: Type.Optional(Id), name: Name }, { additionalProperties: false }),
        response: { 201: Pipeline, ...errorResponses(403, 409) },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await keyhouse.createPipeline(principalOf(req), req.params.ws, req.params.projectId, req.body)),
  );
  app.delete(
    '/workspaces/:ws/projects/:projectId/pipelines/:pipelineId',
    { schema: { tags, params: PipelineParams, response: { 204: Type.Null(), ...errorResponses(403) } } },
    async (req, reply) => {
      const { ws, projectId, pipelineId } = req.params;
      await keyhouse.deletePipeline(principalOf(req), ws, projectId, pipelineId);
      return reply.status(204).send(null);
    },
  );
};
