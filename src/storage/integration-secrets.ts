/**
 * Encrypted secret fields of integrations, workspace data keys (wrapped by a master key) and the
 * master-key check values. The store only ever sees ciphertext and wrapped keys.
 */
import type { Kysely, Selectable } from 'kysely';
import { atomically, fromBase64, type RepoContext, toBase64 } from './context.ts';
import { missingOrConflict } from './integration-permissions.ts';
import type { Database, WorkspaceKeyTable } from './schema.ts';
import type { EncryptedField, WorkspaceKey } from './types.ts';

/** Input of `createWorkspaceKey`. */
export interface CreateWorkspaceKeyInput {
  readonly workspaceId: string;
  readonly keyId: string;
  readonly wrappedKey: Uint8Array;
  readonly masterKeyId: string;
}

/** Replaces every secret field of an integration with `fields`. */
export async function writeSecrets(
  db: Kysely<Database>,
  workspaceId: string,
  integrationId: string,
  fields: readonly EncryptedField[],
): Promise<void> {
  await db.deleteFrom('integration_secrets').where('integration_id', '=', integrationId).execute();
  if (fields.length === 0) return;
  await db
    .insertInto('integration_secrets')
    .values(
      fields.map((f) => ({
        workspace_id: workspaceId,
        integration_id: integrationId,
        field: f.field,
        key_id: f.keyId,
        iv: toBase64(f.iv),
        tag: toBase64(f.tag),
        ciphertext: toBase64(f.ciphertext),
        version: f.version,
      })),
    )
    .execute();
}

/** Row → record. */
export function toWorkspaceKey(row: Selectable<WorkspaceKeyTable>): WorkspaceKey {
  return {
    workspaceId: row.workspace_id,
    keyId: row.key_id,
    wrappedKey: fromBase64(row.wrapped_key),
    masterKeyId: row.master_key_id,
    createdAt: row.created_at,
    destroyedAt: row.destroyed_at,
  };
}

/** Secret, data-key and key-check functions bound to a context. */
export function secretRepo(ctx: RepoContext) {
  return {
    /**
     * Replaces an integration's secret fields (credential replaced) and bumps its version; when
     * `expectedVersion` is given the replace is conditional on it.
     */
    async replaceIntegrationSecrets(
      workspaceId: string,
      integrationId: string,
      expectedVersion: number | undefined,
      fields: readonly EncryptedField[],
    ): Promise<
      { readonly status: 'updated'; readonly version: number } | Awaited<ReturnType<typeof missingOrConflict>>
    > {
      return atomically(ctx, async (trx) => {
        let bump = trx
          .updateTable('integrations')
          .set((eb) => ({ version: eb('version', '+', 1), updated_at: ctx.now() }))
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', integrationId);
        if (expectedVersion !== undefined) bump = bump.where('version', '=', expectedVersion);
        const row = await bump.returning('version').executeTakeFirst();
        if (row === undefined) return missingOrConflict(trx, workspaceId, integrationId);
        await writeSecrets(trx, workspaceId, integrationId, fields);
        return { status: 'updated', version: row.version };
      });
    },
    /** The encrypted secret fields of an integration (for the secrets module to decrypt). */
    async getIntegrationSecrets(workspaceId: string, integrationId: string): Promise<EncryptedField[]> {
      const rows = await ctx.db
        .selectFrom('integration_secrets')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('integration_id', '=', integrationId)
        .orderBy('field')
        .execute();
      return rows.map((r) => ({
        field: r.field,
        keyId: r.key_id,
        iv: fromBase64(r.iv),
        tag: fromBase64(r.tag),
        ciphertext: fromBase64(r.ciphertext),
        version: r.version,
      }));
    },
    /** Stores a new wrapped data key for a workspace. */
    async createWorkspaceKey(input: CreateWorkspaceKeyInput): Promise<WorkspaceKey> {
      const row = {
        workspace_id: input.workspaceId,
        key_id: input.keyId,
        wrapped_key: toBase64(input.wrappedKey),
        master_key_id: input.masterKeyId,
        created_at: ctx.now(),
        destroyed_at: null,
      };
      await ctx.db.insertInto('workspace_keys').values(row).execute();
      return toWorkspaceKey(row);
    },
    /** A data key by id (destroyed keys come back with `destroyedAt` set and no key bytes). */
    async getWorkspaceKey(keyId: string): Promise<WorkspaceKey | undefined> {
      const row = await ctx.db
        .selectFrom('workspace_keys')
        .selectAll()
        .where('key_id', '=', keyId)
        .executeTakeFirst();
      return row && toWorkspaceKey(row);
    },
    /** The newest live data key of a workspace. */
    async getActiveWorkspaceKey(workspaceId: string): Promise<WorkspaceKey | undefined> {
      const row = await ctx.db
        .selectFrom('workspace_keys')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('destroyed_at', 'is', null)
        .orderBy('created_at', 'desc')
        .orderBy('key_id', 'desc')
        .executeTakeFirst();
      return row && toWorkspaceKey(row);
    },
    /** Live data keys, optionally only those wrapped by one master key (for rotation). */
    async listWorkspaceKeys(filter: { readonly masterKeyId?: string } = {}): Promise<WorkspaceKey[]> {
      let query = ctx.db.selectFrom('workspace_keys').selectAll().where('destroyed_at', 'is', null);
      if (filter.masterKeyId !== undefined) query = query.where('master_key_id', '=', filter.masterKeyId);
      return (await query.orderBy('key_id').execute()).map(toWorkspaceKey);
    },
    /**
     * Re-wraps a data key under a new master key, only if it is still wrapped by
     * `fromMasterKeyId` (so two rotations cannot interleave). True when re-wrapped.
     */
    async rewrapWorkspaceKey(
      keyId: string,
      fromMasterKeyId: string,
      wrappedKey: Uint8Array,
      toMasterKeyId: string,
    ): Promise<boolean> {
      const r = await ctx.db
        .updateTable('workspace_keys')
        .set({ wrapped_key: toBase64(wrappedKey), master_key_id: toMasterKeyId })
        .where('key_id', '=', keyId)
        .where('master_key_id', '=', fromMasterKeyId)
        .where('destroyed_at', 'is', null)
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    /** The key-check value recorded for a master key. */
    async getMasterKeyCheck(masterKeyId: string): Promise<string | undefined> {
      const row = await ctx.db
        .selectFrom('master_key_check')
        .select('check_value')
        .where('master_key_id', '=', masterKeyId)
        .executeTakeFirst();
      return row?.check_value;
    },
    /** Every recorded master key id with its check value. */
    async listMasterKeyChecks(): Promise<{ masterKeyId: string; checkValue: string; createdAt: number }[]> {
      const rows = await ctx.db.selectFrom('master_key_check').selectAll().orderBy('created_at').execute();
      return rows.map((r) => ({
        masterKeyId: r.master_key_id,
        checkValue: r.check_value,
        createdAt: r.created_at,
      }));
    },
    /** Records a master key's check value (`duplicate` if one exists). */
    async putMasterKeyCheck(masterKeyId: string, checkValue: string): Promise<void> {
      await ctx.db
        .insertInto('master_key_check')
        .values({ master_key_id: masterKeyId, check_value: checkValue, created_at: ctx.now() })
        .execute();
    },
  };
}
