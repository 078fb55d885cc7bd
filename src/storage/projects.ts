/** Projects (with their SCM repository) and pipelines. */
import type { Selectable } from 'kysely';
import { idLists, orNull, type RepoContext } from './context.ts';
import type { PipelineTable, ProjectTable } from './schema.ts';
import type { Pipeline, Project, ScmRepository } from './types.ts';

/** Input of `createProject`. */
export interface CreateProjectInput {
  readonly id?: string;
  readonly workspaceId: string;
  readonly name: string;
  readonly repository?: ScmRepository | null;
}

/** Changes accepted by `updateProject`. */
export interface UpdateProjectInput {
  readonly name?: string;
  readonly repository?: ScmRepository | null;
}

/** Input of `createPipeline`. */
export interface CreatePipelineInput {
  readonly id?: string;
  readonly workspaceId: string;
  readonly projectId: string;
  readonly name: string;
}

/** Row → record. */
export function toProject(row: Selectable<ProjectTable>): Project {
  const repository =
    row.scm_host !== null && row.scm_full_name !== null
      ? { host: row.scm_host, fullName: row.scm_full_name }
      : null;
  return { id: row.id, workspaceId: row.workspace_id, name: row.name, repository, createdAt: row.created_at };
}

/** Row → record. */
export function toPipeline(row: Selectable<PipelineTable>): Pipeline {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    projectId: row.project_id,
    name: row.name,
    createdAt: row.created_at,
  };
}

function repositoryColumns(repository: ScmRepository | null | undefined) {
  return { scm_host: orNull(repository?.host), scm_full_name: orNull(repository?.fullName) };
}

/** Project and pipeline functions bound to a context. Every lookup is scoped to a workspace. */
export function projectRepo(ctx: RepoContext) {
  return {
    /** Creates a project. */
    async createProject(input: CreateProjectInput): Promise<Project> {
      const row = {
        id: input.id ?? ctx.newId(),
        workspace_id: input.workspaceId,
        name: input.name,
        ...repositoryColumns(input.repository),
        created_at: ctx.now(),
      };
      await ctx.db.insertInto('projects').values(row).execute();
      return toProject(row);
    },
    /** A project of the workspace. */
    async getProject(workspaceId: string, id: string): Promise<Project | undefined> {
      const row = await ctx.db
        .selectFrom('projects')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toProject(row);
    },
    /** The project that mirrors an SCM repository, if any. */
    async findProjectByRepository(
      workspaceId: string,
      repository: ScmRepository,
    ): Promise<Project | undefined> {
      const row = await ctx.db
        .selectFrom('projects')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('scm_host', '=', repository.host)
        .where('scm_full_name', '=', repository.fullName)
        .executeTakeFirst();
      return row && toProject(row);
    },
    /** The workspace's projects, by name. */
    async listProjects(workspaceId: string): Promise<Project[]> {
      const rows = await ctx.db
        .selectFrom('projects')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .orderBy('name')
        .execute();
      return rows.map(toProject);
    },
    /** Updates a project; undefined when missing. */
    async updateProject(
      workspaceId: string,
      id: string,
      input: UpdateProjectInput,
    ): Promise<Project | undefined> {
      const row = await ctx.db
        .updateTable('projects')
        .set({
          ...(input.name === undefined ? {} : { name: input.name }),
          ...(input.repository === undefined ? {} : repositoryColumns(input.repository)),
        })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row && toProject(row);
    },
    /** Deletes a project with its pipelines, project roles and PROJECT integrations. */
    async deleteProject(workspaceId: string, id: string): Promise<boolean> {
      const r = await ctx.db
        .deleteFrom('projects')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
    /** Creates a pipeline; the project must belong to the same workspace. */
    async createPipeline(input: CreatePipelineInput): Promise<Pipeline> {
      const row = {
        id: input.id ?? ctx.newId(),
        workspace_id: input.workspaceId,
        project_id: input.projectId,
        name: input.name,
        created_at: ctx.now(),
      };
      await ctx.db.insertInto('pipelines').values(row).execute();
      return toPipeline(row);
    },
    /** A pipeline of the workspace. */
    async getPipeline(workspaceId: string, id: string): Promise<Pipeline | undefined> {
      const row = await ctx.db
        .selectFrom('pipelines')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toPipeline(row);
    },
    /**
     * The project of each of `ids` that is a pipeline of the workspace, by pipeline id (a query
     * per `IDS_PER_QUERY` ids).
     */
    async pipelinesAmong(workspaceId: string, ids: readonly string[]): Promise<Map<string, string>> {
      const found = new Map<string, string>();
      for (const list of idLists(ids)) {
        const rows = await ctx.db
          .selectFrom('pipelines')
          .select(['id', 'project_id'])
          .where('workspace_id', '=', workspaceId)
          .where('id', 'in', list)
          .execute();
        for (const row of rows) found.set(row.id, row.project_id);
      }
      return found;
    },
    /** The workspace's pipelines, optionally of one project. */
    async listPipelines(
      workspaceId: string,
      filter: { readonly projectId?: string } = {},
    ): Promise<Pipeline[]> {
      let query = ctx.db.selectFrom('pipelines').selectAll().where('workspace_id', '=', workspaceId);
      if (filter.projectId !== undefined) query = query.where('project_id', '=', filter.projectId);
      const rows = await query.orderBy('name').orderBy('id').execute();
      return rows.map(toPipeline);
    },
    /** Renames a pipeline; undefined when missing. */
    async renamePipeline(workspaceId: string, id: string, name: string): Promise<Pipeline | undefined> {
      const row = await ctx.db
        .updateTable('pipelines')
        .set({ name })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row && toPipeline(row);
    },
    /** Deletes a pipeline (and its places in allowed lists). */
    async deletePipeline(workspaceId: string, id: string): Promise<boolean> {
      const r = await ctx.db
        .deleteFrom('pipelines')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
  };
}
