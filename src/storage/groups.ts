/** Groups and their members. Deleting a group also removes its integration entries. */
import type { Selectable } from 'kysely';
import { atomically, foundAmong, parseJson, type RepoContext, userSeqOf } from './context.ts';
import type { GroupTable } from './schema.ts';
import type { Group, GroupSource } from './types.ts';

/** Input of `createGroup`. */
export interface CreateGroupInput {
  readonly id?: string;
  readonly workspaceId: string;
  readonly name: string;
  /** Default `{ kind: 'manual' }`. */
  readonly source?: GroupSource;
}

/** Row → record. */
export function toGroup(row: Selectable<GroupTable>): Group {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    source: parseJson<GroupSource>(row.source),
    createdAt: row.created_at,
  };
}

/** Group functions bound to a context. */
export function groupRepo(ctx: RepoContext) {
  return {
    /** Creates a group; names are unique per workspace. */
    async createGroup(input: CreateGroupInput): Promise<Group> {
      const row = {
        id: input.id ?? ctx.newId(),
        workspace_id: input.workspaceId,
        name: input.name,
        source: JSON.stringify(input.source ?? { kind: 'manual' }),
        created_at: ctx.now(),
      };
      await ctx.db.insertInto('groups').values(row).execute();
      return toGroup(row);
    },
    /** A group of the workspace. */
    async getGroup(workspaceId: string, id: string): Promise<Group | undefined> {
      const row = await ctx.db
        .selectFrom('groups')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toGroup(row);
    },
    /** Which of `ids` are groups of the workspace (one query per `IDS_PER_QUERY` ids). */
    async groupsAmong(workspaceId: string, ids: readonly string[]): Promise<Set<string>> {
      return foundAmong(ids, async (list) =>
        (
          await ctx.db
            .selectFrom('groups')
            .select('id')
            .where('workspace_id', '=', workspaceId)
            .where('id', 'in', list)
            .execute()
        ).map((row) => row.id),
      );
    },
    /** The ids of the groups a member is in, by group name then id (one query, whatever the count). */
    async listGroupsOfMember(workspaceId: string, userId: string): Promise<string[]> {
      const rows = await ctx.db
        .selectFrom('group_members')
        .innerJoin('groups', 'groups.id', 'group_members.group_id')
        .select('groups.id')
        .where('group_members.workspace_id', '=', workspaceId)
        .where('group_members.user_id', '=', userId)
        .orderBy('groups.name')
        .orderBy('groups.id')
        .execute();
      return rows.map((r) => r.id);
    },
    /**
     * Every (group, member) pair of the workspace, by group then user: what listing every
     * group's or every member's groups needs, in one query. Read through the workspace's groups,
     * whose ids lead the key.
     */
    async listGroupMemberships(workspaceId: string): Promise<{ groupId: string; userId: string }[]> {
      const rows = await ctx.db
        .selectFrom('group_members')
        .select(['group_id', 'user_id'])
        .where('workspace_id', '=', workspaceId)
        .where(
          'group_id',
          'in',
          ctx.db.selectFrom('groups').select('id').where('workspace_id', '=', workspaceId),
        )
        .orderBy('group_id')
        .orderBy('user_id')
        .execute();
      return rows.map((r) => ({ groupId: r.group_id, userId: r.user_id }));
    },
    /** The workspace's groups, by name. */
    async listGroups(workspaceId: string): Promise<Group[]> {
      const rows = await ctx.db
        .selectFrom('groups')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .orderBy('name')
        .execute();
      return rows.map(toGroup);
    },
    /** Renames a group; undefined when missing. */
    async renameGroup(workspaceId: string, id: string, name: string): Promise<Group | undefined> {
      const row = await ctx.db
        .updateTable('groups')
        .set({ name })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row && toGroup(row);
    },
    /** Deletes a group, its members and every integration entry naming it. */
    async deleteGroup(workspaceId: string, id: string): Promise<boolean> {
      return atomically(ctx, async (trx) => {
        await trx
          .deleteFrom('integration_entries')
          .where('workspace_id', '=', workspaceId)
          .where('subject_type', '=', 'group')
          .where('subject_id', '=', id)
          .execute();
        const r = await trx
          .deleteFrom('groups')
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', id)
          .executeTakeFirst();
        return r.numDeletedRows > 0n;
      });
    },
    /** Adds a user to a group (no-op when already in). */
    async addGroupMember(workspaceId: string, groupId: string, userId: string): Promise<void> {
      await ctx.db
        .insertInto('group_members')
        .values({
          workspace_id: workspaceId,
          group_id: groupId,
          user_id: userId,
          user_seq: userSeqOf(userId),
        })
        .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
        .execute();
    },
    /** Removes a user from a group. */
    async removeGroupMember(workspaceId: string, groupId: string, userId: string): Promise<boolean> {
      const r = await ctx.db
        .deleteFrom('group_members')
        .where('workspace_id', '=', workspaceId)
        .where('group_id', '=', groupId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
    /** The user ids of a group, sorted. */
    async listGroupMembers(workspaceId: string, groupId: string): Promise<string[]> {
      const rows = await ctx.db
        .selectFrom('group_members')
        .select('user_id')
        .where('workspace_id', '=', workspaceId)
        .where('group_id', '=', groupId)
        .orderBy('user_id')
        .execute();
      return rows.map((r) => r.user_id);
    },
    /** Replaces a group's members (for SCM team sync), atomically. */
    async setGroupMembers(workspaceId: string, groupId: string, userIds: readonly string[]): Promise<void> {
      await atomically(ctx, async (trx) => {
        await trx
          .deleteFrom('group_members')
          .where('workspace_id', '=', workspaceId)
          .where('group_id', '=', groupId)
          .execute();
        if (userIds.length === 0) return;
        const unique = [...new Set(userIds)];
        await trx
          .insertInto('group_members')
          .values(
            unique.map((user_id) => ({
              workspace_id: workspaceId,
              group_id: groupId,
              user_id,
              user_seq: userSeqOf(user_id),
            })),
          )
          .execute();
      });
    },
  };
}
