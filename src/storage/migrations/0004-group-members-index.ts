/**
 * Group members by user first: the index on (workspace, user) matched a lookup of one group's
 * members on the workspace alone, as well as the primary key does on the group, and SQLite without
 * statistics took it, reading every membership of the workspace for each group (storing 1,000
 * groups of a 50,000-entry workspace in one transaction took 7.4 s). On (user, workspace) it still
 * serves a member's groups and a user's deletion, and leaves a group's members to the key.
 */
import type { Kysely, Migration } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, untyped.
type AnyDb = Kysely<any>;

/** Migration 0004: `group_members_ws_user` (workspace, user) becomes `group_members_user` (user, workspace). */
export const migration0004GroupMembersIndex: Migration = {
  async up(db: AnyDb): Promise<void> {
    await db.schema.dropIndex('group_members_ws_user').execute();
    await db.schema
      .createIndex('group_members_user')
      .on('group_members')
      .columns(['user_id', 'workspace_id'])
      .execute();
  },
};
