/**
 * The initial schema. Portable: only `text`, `integer` and `bigint` columns, JSON as text,
 * booleans as 0/1. The few dialect differences (the change-log key, the append-only trigger)
 * are branched on the adapter.
 */
import { type CreateTableBuilder, type Kysely, type Migration, PostgresAdapter, sql } from 'kysely';

// Migrations must not depend on the live `Database` type, which moves on with later migrations.
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, untyped.
type AnyDb = Kysely<any>;

const isPostgres = (db: AnyDb): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * A foreign key on (workspace_id, column) → table (workspace_id, id): a row can only point at a
 * row of its own workspace, enforced by the database, not only by the repositories.
 */
const sameTenant =
  (name: string, column: string, table: string) =>
  (t: CreateTableBuilder<string, string>): CreateTableBuilder<string, string> =>
    t.addForeignKeyConstraint(name, ['workspace_id', column], table, ['workspace_id', 'id'], (fk) =>
      fk.onDelete('cascade'),
    );

async function createTenancy(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('workspaces')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('projects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scm_host', 'text')
    .addColumn('scm_full_name', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('projects_workspace_name', ['workspace_id', 'name'])
    .addUniqueConstraint('projects_workspace_id', ['workspace_id', 'id'])
    .execute();
  await db.schema
    .createTable('pipelines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('pipelines_workspace_id', ['workspace_id', 'id'])
    .$call(sameTenant('pipelines_project_fk', 'project_id', 'projects'))
    .execute();
  await db.schema.createIndex('pipelines_project').on('pipelines').columns(['project_id']).execute();
  await db.schema.createIndex('pipelines_workspace').on('pipelines').columns(['workspace_id']).execute();
}

async function createPeople(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('login', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text')
    .addColumn('email', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('memberships')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('role_source', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('memberships_pk', ['workspace_id', 'user_id'])
    .execute();
  await db.schema.createIndex('memberships_user').on('memberships').columns(['user_id']).execute();
  await db.schema
    .createTable('project_roles')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('role_source', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_roles_pk', ['project_id', 'user_id'])
    .$call(sameTenant('project_roles_project_fk', 'project_id', 'projects'))
    .execute();
  await db.schema
    .createIndex('project_roles_ws_user')
    .on('project_roles')
    .columns(['workspace_id', 'user_id'])
    .execute();
  await db.schema
    .createTable('groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('groups_workspace_name', ['workspace_id', 'name'])
    .addUniqueConstraint('groups_workspace_id', ['workspace_id', 'id'])
    .execute();
  await db.schema
    .createTable('group_members')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'user_id'])
    .$call(sameTenant('group_members_group_fk', 'group_id', 'groups'))
    .execute();
  await db.schema
    .createIndex('group_members_ws_user')
    .on('group_members')
    .columns(['workspace_id', 'user_id'])
    .execute();
}

async function createIntegrations(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('integrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('WORKSPACE', 'PROJECT')`))
    .addColumn('project_id', 'text')
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('credential_type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('all_pipelines_allowed', 'integer', (c) => c.notNull())
    .addColumn('verification', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addUniqueConstraint('integrations_workspace_id', ['workspace_id', 'id'])
    .$call(sameTenant('integrations_project_fk', 'project_id', 'projects'))
    .addCheckConstraint(
      'integrations_scope_project',
      sql`(scope = 'WORKSPACE' and project_id is null) or (scope = 'PROJECT' and project_id is not null)`,
    )
    .execute();
  await db.schema
    .createIndex('integrations_workspace')
    .on('integrations')
    .columns(['workspace_id', 'name'])
    .execute();
  await db.schema.createIndex('integrations_project').on('integrations').columns(['project_id']).execute();
  await db.schema
    .createTable('integration_entries')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('integration_id', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) =>
      c.notNull().check(sql`subject_type in ('user', 'group', 'admins', 'others')`),
    )
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) =>
      c.notNull().check(sql`level in ('DENY', 'DELETE_ONLY', 'USE', 'MANAGE')`),
    )
    .addColumn('expires_at', 'bigint')
    .addPrimaryKeyConstraint('integration_entries_pk', ['integration_id', 'subject_type', 'subject_id'])
    .$call(sameTenant('integration_entries_integration_fk', 'integration_id', 'integrations'))
    .execute();
  await db.schema
    .createIndex('integration_entries_subject')
    .on('integration_entries')
    .columns(['workspace_id', 'subject_type', 'subject_id'])
    .execute();
  await db.schema
    .createTable('integration_pipelines')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('integration_id', 'text', (c) => c.notNull())
    .addColumn('pipeline_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addPrimaryKeyConstraint('integration_pipelines_pk', ['integration_id', 'pipeline_id'])
    .$call(sameTenant('integration_pipelines_integration_fk', 'integration_id', 'integrations'))
    .$call(sameTenant('integration_pipelines_pipeline_fk', 'pipeline_id', 'pipelines'))
    .execute();
  await db.schema
    .createIndex('integration_pipelines_pipeline')
    .on('integration_pipelines')
    .columns(['pipeline_id'])
    .execute();
}

async function createKeysAndSecrets(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('integration_secrets')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('integration_id', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('iv', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('ciphertext', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('integration_secrets_pk', ['integration_id', 'field'])
    .$call(sameTenant('integration_secrets_integration_fk', 'integration_id', 'integrations'))
    .execute();
  await db.schema
    .createIndex('integration_secrets_key')
    .on('integration_secrets')
    .columns(['key_id'])
    .execute();
  // No foreign key to workspaces: a destroyed key stays as a tombstone after its workspace is gone.
  await db.schema
    .createTable('workspace_keys')
    .addColumn('key_id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('wrapped_key', 'text', (c) => c.notNull())
    .addColumn('master_key_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('destroyed_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('workspace_keys_workspace')
    .on('workspace_keys')
    .columns(['workspace_id'])
    .execute();
  await db.schema
    .createIndex('workspace_keys_master')
    .on('workspace_keys')
    .columns(['master_key_id'])
    .execute();
  await db.schema
    .createTable('master_key_check')
    .addColumn('master_key_id', 'text', (c) => c.primaryKey())
    .addColumn('check_value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

async function createAccess(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('prefix', 'text', (c) => c.notNull().unique())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('last_used_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('api_tokens_ws_user')
    .on('api_tokens')
    .columns(['workspace_id', 'user_id'])
    .execute();
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('last_seen_at', 'bigint')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').columns(['user_id']).execute();
}

async function createAuditAndChanges(db: AnyDb): Promise<void> {
  // No foreign key to workspaces: the audit trail outlives a deleted workspace.
  await db.schema
    .createTable('audit_events')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('request_id', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_events_pk', ['workspace_id', 'seq'])
    .execute();
  await db.schema.createIndex('audit_events_at').on('audit_events').columns(['workspace_id', 'at']).execute();
  await db.schema
    .createIndex('audit_events_target')
    .on('audit_events')
    .columns(['workspace_id', 'target_type', 'target_id'])
    .execute();
  await db.schema
    .createTable('audit_heads')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('changes')
    .$call((t) =>
      isPostgres(db)
        ? t.addColumn('revision', 'bigserial', (c) => c.primaryKey())
        : t.addColumn('revision', 'integer', (c) => c.primaryKey().autoIncrement()),
    )
    .addColumn('workspace_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ids', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
}

/** Refuses UPDATE and DELETE on audit_events at the database level. */
async function protectAudit(db: AnyDb): Promise<void> {
  if (isPostgres(db)) {
    await sql`create function keyhouse_audit_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_events is append-only'; end $$`.execute(db);
    await sql`create trigger audit_events_append_only before update or delete on audit_events
      for each row execute function keyhouse_audit_append_only()`.execute(db);
    return;
  }
  for (const op of ['update', 'delete']) {
    await sql`create trigger ${sql.raw(`audit_events_no_${op}`)} before ${sql.raw(op)} on audit_events
      begin select raise(abort, 'audit_events is append-only'); end`.execute(db);
  }
}

/** Migration 0001: every table of the first release. */
export const migration0001Initial: Migration = {
  async up(db: AnyDb): Promise<void> {
    await createTenancy(db);
    await createPeople(db);
    await createIntegrations(db);
    await createKeysAndSecrets(db);
    await createAccess(db);
    await createAuditAndChanges(db);
    await protectAudit(db);
  },
};
