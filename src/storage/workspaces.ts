/** Workspaces (tenants). Deleting one destroys its data keys and everything it owns. */
import type { Selectable } from 'kysely';
import { atomically, type RepoContext } from './context.ts';
import type { WorkspaceTable } from './schema.ts';
import type { Workspace } from './types.ts';

/** Input of `createWorkspace`. */
export interface CreateWorkspaceInput {
  readonly id?: string;
  readonly name: string;
}

/** Row → record. */
export function toWorkspace(row: Selectable<WorkspaceTable>): Workspace {
  return { id: row.id, name: row.name, createdAt: row.created_at };
}

/** Workspace functions bound to a context. */
export function workspaceRepo(ctx: RepoContext) {
  return {
    /** Creates a workspace. */
    async createWorkspace(input: CreateWorkspaceInput): Promise<Workspace> {
      const row = { id: input.id ?? ctx.newId(), name: input.name, created_at: ctx.now() };
      await ctx.db.insertInto('workspaces').values(row).execute();
      return toWorkspace(row);
    },
    /** A workspace by id. */
    async getWorkspace(id: string): Promise<Workspace | undefined> {
      const row = await ctx.db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toWorkspace(row);
    },
    /** Every workspace, by name. */
    async listWorkspaces(): Promise<Workspace[]> {
      const rows = await ctx.db.selectFrom('workspaces').selectAll().orderBy('name').orderBy('id').execute();
      return rows.map(toWorkspace);
    },
    /** The workspaces `userId` is a member of. */
    async listWorkspacesOfUser(userId: string): Promise<Workspace[]> {
      const rows = await ctx.db
        .selectFrom('workspaces')
        .innerJoin('memberships', 'memberships.workspace_id', 'workspaces.id')
        .selectAll('workspaces')
        .where('memberships.user_id', '=', userId)
        .orderBy('workspaces.name')
        .execute();
      return rows.map(toWorkspace);
    },
    /** Renames a workspace; undefined when missing. */
    async renameWorkspace(id: string, name: string): Promise<Workspace | undefined> {
      const row = await ctx.db
        .updateTable('workspaces')
        .set({ name })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row && toWorkspace(row);
    },
    /**
     * Deletes a workspace and everything it owns, and destroys its data keys (the wrapped key
     * is blanked; a tombstone remains). Audit events stay. False when missing.
     */
    async deleteWorkspace(id: string): Promise<boolean> {
      return atomically(ctx, async (trx) => {
        await trx
          .updateTable('workspace_keys')
          .set({ wrapped_key: '', destroyed_at: ctx.now() })
          .where('workspace_id', '=', id)
          .where('destroyed_at', 'is', null)
          .execute();
        const result = await trx.deleteFrom('workspaces').where('id', '=', id).executeTakeFirst();
        return result.numDeletedRows > 0n;
      });
    },
  };
}
