/**
 * Integrations: scope, provider, credential type, name, non-secret config, verification status,
 * and (through `integration-permissions.ts`) permissions and allowed pipelines. Secrets are
 * written with them but never read back here.
 */
import type { Kysely, Selectable } from 'kysely';
import type { IntegrationScope } from '../core/policy/types.ts';
import { atomically, idLists, orNull, parseJson, type RepoContext } from './context.ts';
import { StorageError } from './errors.ts';
import {
  integrationPermissionRepo,
  missingOrConflict,
  type PermissionSet,
  readPermissions,
  writePermissions,
} from './integration-permissions.ts';
import { writeSecrets } from './integration-secrets.ts';
import type { Database, IntegrationTable } from './schema.ts';
import type {
  ConditionalResult,
  EncryptedField,
  Integration,
  JsonObject,
  JsonValue,
  VerificationCandidate,
} from './types.ts';

/** Input of `createIntegration`. Permissions are explicit: the policy engine owns the defaults. */
export interface CreateIntegrationInput extends PermissionSet {
  readonly id?: string;
  readonly workspaceId: string;
  readonly scope: IntegrationScope;
  readonly provider: string;
  readonly credentialType: string;
  readonly name: string;
  readonly config: JsonObject;
  readonly createdBy?: string | null;
  /** Encrypted secret fields, stored in the same transaction. */
  readonly secrets?: readonly EncryptedField[];
}

/** Changes accepted by `updateIntegration`. */
export interface UpdateIntegrationInput {
  readonly name?: string;
  readonly config?: JsonObject;
}

/** Filters of `listIntegrations`. */
export interface ListIntegrationsFilter {
  /** Only PROJECT integrations of this project. */
  readonly projectId?: string;
  readonly provider?: string;
  /**
   * Only these integrations (ids that are not the workspace's are left out): read by id when
   * there are at most {@link READ_BY_IDS_UP_TO}, else the workspace's are read and these kept.
   */
  readonly ids?: readonly string[];
}

/**
 * Up to this many ids, `listIntegrations` reads the integrations by id, a list of ids per query;
 * beyond, reading the whole workspace's is cheaper than the queries.
 */
export const READ_BY_IDS_UP_TO = 5_000;

type Row = Selectable<IntegrationTable>;

function scopeOf(row: Row): IntegrationScope {
  return row.scope === 'PROJECT' && row.project_id !== null
    ? { type: 'PROJECT', projectId: row.project_id }
    : { type: 'WORKSPACE' };
}

/** Row and permission set → record. */
export function toIntegration(row: Row, set: PermissionSet): Integration {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    scope: scopeOf(row),
    provider: row.provider,
    credentialType: row.credential_type,
    name: row.name,
    config: parseJson<JsonObject>(row.config),
    permissions: set.permissions,
    allowedPipelines: set.allowedPipelines,
    verification: row.verification === null ? null : parseJson<JsonValue>(row.verification),
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/** By name, then id, in code-unit order: the same on both backends, whatever their collation. */
function byNameThenId(x: Row, y: Row): number {
  if (x.name !== y.name) return x.name < y.name ? -1 : 1;
  return x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
}

/** Reads integrations matching the filter with their permissions, by name then id. */
export async function readIntegrations(
  db: Kysely<Database>,
  filter: { readonly workspaceId?: string; readonly id?: string } & ListIntegrationsFilter,
): Promise<Integration[]> {
  const { ids, ...rest } = filter;
  if (ids !== undefined && ids.length > READ_BY_IDS_UP_TO) {
    const wanted = new Set(ids);
    return (await readIntegrations(db, rest)).filter((i) => wanted.has(i.id));
  }
  const rows: Row[] = [];
  const sets = new Map<string, PermissionSet>();
  const read = async (idList: readonly string[] | undefined) => {
    let query = db.selectFrom('integrations').selectAll();
    if (filter.workspaceId !== undefined) query = query.where('workspace_id', '=', filter.workspaceId);
    if (filter.id !== undefined) query = query.where('id', '=', filter.id);
    if (idList !== undefined) query = query.where('id', 'in', idList);
    if (filter.projectId !== undefined) query = query.where('project_id', '=', filter.projectId);
    if (filter.provider !== undefined) query = query.where('provider', '=', filter.provider);
    const found = await query.execute();
    if (found.length === 0) return;
    rows.push(...found);
    const all = new Map(found.map((r) => [r.id, r.all_pipelines_allowed === 1]));
    const permissions =
      idList !== undefined
        ? { integrationIds: found.map((r) => r.id) }
        : {
            ...(filter.workspaceId === undefined ? {} : { workspaceId: filter.workspaceId }),
            ...(filter.id === undefined ? {} : { integrationId: filter.id }),
          };
    for (const [id, set] of await readPermissions(db, permissions, all)) sets.set(id, set);
  };
  if (ids === undefined) await read(undefined);
  else for (const list of idLists(ids)) await read(list);
  return rows.sort(byNameThenId).map((row) => toIntegration(row, sets.get(row.id)!));
}

const loadOne = async (db: Kysely<Database>, workspaceId: string, id: string) =>
  (await readIntegrations(db, { workspaceId, id }))[0];

/** Integration functions bound to a context. */
export function integrationRepo(ctx: RepoContext) {
  return {
    ...integrationPermissionRepo(ctx, loadOne),
    /** Creates an integration with its permissions and secrets in one transaction (version 1). */
    async createIntegration(input: CreateIntegrationInput): Promise<Integration> {
      if (input.scope.type === 'PROJECT' && !input.scope.projectId) {
        throw new StorageError('invalid', 'A PROJECT integration needs its project id');
      }
      const now = ctx.now();
      const row: Row = {
        id: input.id ?? ctx.newId(),
        workspace_id: input.workspaceId,
        scope: input.scope.type,
        project_id: input.scope.type === 'PROJECT' ? input.scope.projectId : null,
        provider: input.provider,
        credential_type: input.credentialType,
        name: input.name,
        config: JSON.stringify(input.config),
        all_pipelines_allowed: input.allowedPipelines === 'ALL' ? 1 : 0,
        verification: null,
        created_by: orNull(input.createdBy),
        created_at: now,
        updated_at: now,
        version: 1,
      };
      return atomically(ctx, async (trx) => {
        await trx.insertInto('integrations').values(row).execute();
        await writePermissions(trx, row.workspace_id, row.id, input);
        if (input.secrets !== undefined) await writeSecrets(trx, row.workspace_id, row.id, input.secrets);
        return (await loadOne(trx, row.workspace_id, row.id))!;
      });
    },
    /** An integration of the workspace, with permissions. */
    async getIntegration(workspaceId: string, id: string): Promise<Integration | undefined> {
      return loadOne(ctx.db, workspaceId, id);
    },
    /** The workspace's integrations, by name. Filtering by caller's level is the policy engine's job. */
    async listIntegrations(workspaceId: string, filter: ListIntegrationsFilter = {}): Promise<Integration[]> {
      return readIntegrations(ctx.db, { ...filter, workspaceId });
    },
    /**
     * Every integration of every workspace with what a verification schedule needs: no
     * permissions, entries or secrets, so a scheduler's look for due work reads one row per
     * integration. In no particular order (a sort would read the table through its key).
     */
    async listVerificationCandidates(): Promise<VerificationCandidate[]> {
      const rows = await ctx.db
        .selectFrom('integrations')
        .select(['id', 'workspace_id', 'provider', 'config', 'verification', 'created_at'])
        .execute();
      return rows.map((row) => ({
        id: row.id,
        workspaceId: row.workspace_id,
        provider: row.provider,
        config: parseJson<JsonObject>(row.config),
        verification: row.verification === null ? null : parseJson<JsonValue>(row.verification),
        createdAt: row.created_at,
      }));
    },
    /** Updates name or config if the version is still `expectedVersion`; bumps the version. */
    async updateIntegration(
      workspaceId: string,
      id: string,
      expectedVersion: number,
      input: UpdateIntegrationInput,
    ): Promise<ConditionalResult<Integration>> {
      return atomically(ctx, async (trx) => {
        const r = await trx
          .updateTable('integrations')
          .set((eb) => ({
            version: eb('version', '+', 1),
            updated_at: ctx.now(),
            ...(input.name === undefined ? {} : { name: input.name }),
            ...(input.config === undefined ? {} : { config: JSON.stringify(input.config) }),
          }))
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', id)
          .where('version', '=', expectedVersion)
          .executeTakeFirst();
        if (r.numUpdatedRows === 0n) return missingOrConflict(trx, workspaceId, id);
        return { status: 'updated', value: (await loadOne(trx, workspaceId, id))! };
      });
    },
    /** Records the latest verification status; does not change the version (not a user edit). */
    async setIntegrationVerification(
      workspaceId: string,
      id: string,
      verification: JsonValue,
    ): Promise<boolean> {
      const r = await ctx.db
        .updateTable('integrations')
        .set({ verification: JSON.stringify(verification) })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    /** Deletes an integration with its entries and secrets; conditional when a version is given. */
    async deleteIntegration(
      workspaceId: string,
      id: string,
      expectedVersion?: number,
    ): Promise<'deleted' | 'conflict' | 'not_found'> {
      let query = ctx.db
        .deleteFrom('integrations')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id);
      if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
      const r = await query.executeTakeFirst();
      if (r.numDeletedRows > 0n) return 'deleted';
      return (await missingOrConflict(ctx.db, workspaceId, id)).status;
    },
  };
}
