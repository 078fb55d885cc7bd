/**
 * Integration permissions in normalised tables: `integration_entries` (admins, others, users,
 * groups, each with an optional expiry) and `integration_pipelines` (the allowed list, when not
 * ALL). Updates are conditional on the integration's version (the ETag).
 */
import type { Kysely } from 'kysely';
import type {
  AllowedPipelines,
  Entry,
  IntegrationPermissions,
  Level,
  PipelineEntry,
  SubjectEntry,
} from '../core/policy/types.ts';
import { atomically, type RepoContext, userSeqOf } from './context.ts';
import type { Database } from './schema.ts';
import type { ConditionalResult, Integration } from './types.ts';

/** The permission part of an integration. */
export interface PermissionSet {
  readonly permissions: IntegrationPermissions;
  readonly allowedPipelines: AllowedPipelines;
}

/** Which integrations to read permissions for. */
export interface PermissionFilter {
  readonly workspaceId?: string;
  readonly integrationId?: string;
  /** Only these integrations (at most `IDS_PER_QUERY` of them: one `IN` list). */
  readonly integrationIds?: readonly string[];
}

const withExpiry = <T extends object>(value: T, expiresAt: number | null): T =>
  expiresAt === null ? value : { ...value, expiresAt };

/** Writes `set` as the integration's entries and allowed list, replacing what was there. */
export async function writePermissions(
  db: Kysely<Database>,
  workspaceId: string,
  integrationId: string,
  set: PermissionSet,
): Promise<void> {
  await db.deleteFrom('integration_entries').where('integration_id', '=', integrationId).execute();
  await db.deleteFrom('integration_pipelines').where('integration_id', '=', integrationId).execute();
  const base = { workspace_id: workspaceId, integration_id: integrationId };
  const entry = (subject_type: string, subject_id: string, e: Entry) => ({
    ...base,
    subject_type,
    subject_id,
    level: e.level,
    expires_at: e.expiresAt ?? null,
    // A user entry carries the user's number (migration 0007), read by the snapshot instead of the id.
    user_seq: subject_type === 'user' ? userSeqOf(subject_id) : null,
  });
  const { admins, others, users, groups } = set.permissions;
  await db
    .insertInto('integration_entries')
    .values([
      entry('admins', '', admins),
      entry('others', '', others),
      ...users.map((u) => entry('user', u.id, u)),
      ...groups.map((g) => entry('group', g.id, g)),
    ])
    .execute();
  if (set.allowedPipelines !== 'ALL' && set.allowedPipelines.length > 0) {
    await db
      .insertInto('integration_pipelines')
      .values(
        set.allowedPipelines.map((p) => ({ ...base, pipeline_id: p.id, expires_at: p.expiresAt ?? null })),
      )
      .execute();
  }
}

interface Collected {
  admins: Entry;
  others: Entry;
  users: SubjectEntry[];
  groups: SubjectEntry[];
  pipelines: PipelineEntry[];
}

const empty = (): Collected => ({
  admins: { level: 'MANAGE' },
  others: { level: 'USE' },
  users: [],
  groups: [],
  pipelines: [],
});

/**
 * The reads of {@link readPermissions}: one integration's entries and allowed list by the primary
 * keys alone, which lead with the integration id (unique across workspaces; each row's workspace
 * is its integration's, by the tenancy foreign key). Given the workspace as well, SQLite picked
 * the index then on (workspace, subject) and read every entry of the workspace to find one
 * integration's: at 50,000 entries, creating 5,000 integrations one after another took 166 s
 * instead of 3.8. (Since migration 0006 no index of these tables leads with the workspace; a
 * workspace's reads go through its integrations.)
 */
export function permissionReads(db: Kysely<Database>, filter: PermissionFilter) {
  let entries = db.selectFrom('integration_entries').selectAll();
  let pipelines = db.selectFrom('integration_pipelines').selectAll();
  if (filter.integrationId !== undefined) {
    entries = entries.where('integration_id', '=', filter.integrationId);
    pipelines = pipelines.where('integration_id', '=', filter.integrationId);
  } else if (filter.integrationIds !== undefined) {
    entries = entries.where('integration_id', 'in', filter.integrationIds);
    pipelines = pipelines.where('integration_id', 'in', filter.integrationIds);
  } else if (filter.workspaceId !== undefined) {
    // Through the workspace's integrations: the keys lead with the integration id, and no index
    // of these tables leads with the workspace (migration 0006).
    const ids = db.selectFrom('integrations').select('id').where('workspace_id', '=', filter.workspaceId);
    entries = entries.where('workspace_id', '=', filter.workspaceId).where('integration_id', 'in', ids);
    pipelines = pipelines.where('workspace_id', '=', filter.workspaceId).where('integration_id', 'in', ids);
  }
  return { entries: entries.orderBy('subject_id'), pipelines: pipelines.orderBy('pipeline_id') };
}

/**
 * Reads entries and allowed lists, keyed by integration id. `allPipelines` says, per integration,
 * whether its list is ALL (from `integrations.all_pipelines_allowed`); only those integrations
 * are returned.
 */
export async function readPermissions(
  db: Kysely<Database>,
  filter: PermissionFilter,
  allPipelines: ReadonlyMap<string, boolean>,
): Promise<Map<string, PermissionSet>> {
  const { entries, pipelines } = permissionReads(db, filter);
  const byId = new Map<string, Collected>();
  const of = (id: string) => byId.get(id) ?? byId.set(id, empty()).get(id)!;
  for (const row of await entries.execute()) {
    const c = of(row.integration_id);
    const e = withExpiry({ level: row.level as Level }, row.expires_at);
    if (row.subject_type === 'admins') c.admins = e;
    else if (row.subject_type === 'others') c.others = e;
    else (row.subject_type === 'user' ? c.users : c.groups).push({ id: row.subject_id, ...e });
  }
  for (const row of await pipelines.execute()) {
    of(row.integration_id).pipelines.push(withExpiry({ id: row.pipeline_id }, row.expires_at));
  }
  const result = new Map<string, PermissionSet>();
  for (const [id, all] of allPipelines) {
    const c = byId.get(id) ?? empty();
    const { pipelines: list, ...permissions } = c;
    result.set(id, { permissions, allowedPipelines: all ? 'ALL' : list });
  }
  return result;
}

/** Permission functions bound to a context. `load` reads an integration back after a write. */
export function integrationPermissionRepo(
  ctx: RepoContext,
  load: (db: Kysely<Database>, workspaceId: string, id: string) => Promise<Integration | undefined>,
) {
  return {
    /**
     * Replaces an integration's permissions and allowed pipelines if its version is still
     * `expectedVersion`; bumps the version. Of N concurrent calls with the same version exactly
     * one gets `updated`, the others `conflict`.
     */
    async updateIntegrationPermissions(
      workspaceId: string,
      id: string,
      expectedVersion: number,
      set: PermissionSet,
    ): Promise<ConditionalResult<Integration>> {
      return atomically(ctx, async (trx) => {
        const bumped = await trx
          .updateTable('integrations')
          .set((eb) => ({
            version: eb('version', '+', 1),
            updated_at: ctx.now(),
            all_pipelines_allowed: set.allowedPipelines === 'ALL' ? 1 : 0,
          }))
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', id)
          .where('version', '=', expectedVersion)
          .executeTakeFirst();
        if (bumped.numUpdatedRows === 0n) return missingOrConflict(trx, workspaceId, id);
        await writePermissions(trx, workspaceId, id, set);
        const value = await load(trx, workspaceId, id);
        return value ? { status: 'updated', value } : { status: 'not_found' };
      });
    },
    /**
     * Adds one pipeline to an integration's allowed list (grant-and-retry), unconditionally;
     * bumps the version. A no-op on the list when it is ALL or already holds the pipeline
     * (the expiry is then updated).
     */
    async allowPipeline(
      workspaceId: string,
      id: string,
      pipelineId: string,
      expiresAt?: number,
    ): Promise<Integration | undefined> {
      return atomically(ctx, async (trx) => {
        const r = await trx
          .updateTable('integrations')
          .set((eb) => ({ version: eb('version', '+', 1), updated_at: ctx.now() }))
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', id)
          .returning('all_pipelines_allowed')
          .executeTakeFirst();
        if (r === undefined) return undefined;
        if (r.all_pipelines_allowed === 0) {
          const row = { workspace_id: workspaceId, integration_id: id, pipeline_id: pipelineId };
          await trx
            .insertInto('integration_pipelines')
            .values({ ...row, expires_at: expiresAt ?? null })
            .onConflict((oc) =>
              oc.columns(['integration_id', 'pipeline_id']).doUpdateSet({ expires_at: expiresAt ?? null }),
            )
            .execute();
        }
        return load(trx, workspaceId, id);
      });
    },
  };
}

/** After a conditional update touched no row: was it missing, or was the version stale? */
export async function missingOrConflict(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
): Promise<
  { readonly status: 'conflict'; readonly currentVersion: number } | { readonly status: 'not_found' }
> {
  const row = await db
    .selectFrom('integrations')
    .select('version')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? { status: 'conflict', currentVersion: row.version } : { status: 'not_found' };
}
