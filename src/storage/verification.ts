/**
 * Verification history and leases. Every verification of an integration is appended to its
 * history (status, findings, checks, identity, requests made; never a secret). A lease lets one
 * process at a time verify an integration: it is taken by a conditional upsert that succeeds only
 * when the lease is free, expired, or already held by the same owner, which is atomic on both
 * PostgreSQL and SQLite.
 */
import type { Kysely, Selectable } from 'kysely';
import { parseJson, type RepoContext } from './context.ts';
import type { JsonObject, JsonValue } from './types.ts';

/** A row of `verification_history`. */
export interface VerificationHistoryTable {
  id: string;
  workspace_id: string;
  integration_id: string;
  at: number;
  status: string;
  findings: string;
  checks: string;
  identity: string | null;
  requests: number;
  actor: string;
}

/** A row of `verification_leases`. */
export interface VerificationLeaseTable {
  integration_id: string;
  owner: string;
  until: number;
}

/** The tables of migration 0002, as Kysely sees them. */
export interface VerificationTables {
  verification_history: VerificationHistoryTable;
  verification_leases: VerificationLeaseTable;
}

/** One verification of an integration, as recorded. */
export interface VerificationRecord {
  readonly id: string;
  readonly workspaceId: string;
  readonly integrationId: string;
  /** Epoch ms. */
  readonly at: number;
  readonly status: string;
  readonly findings: readonly JsonValue[];
  readonly checks: readonly JsonValue[];
  readonly identity: JsonObject | null;
  /** Requests sent to the host for this verification. */
  readonly requests: number;
  /** The user who asked, or `scheduler`. */
  readonly actor: string;
}

/** Input of `appendVerificationHistory`. */
export interface AppendVerificationInput {
  readonly workspaceId: string;
  readonly integrationId: string;
  /** Epoch ms; the store's clock when absent. */
  readonly at?: number;
  readonly status: string;
  readonly findings: readonly JsonValue[];
  readonly checks: readonly JsonValue[];
  readonly identity?: JsonObject | null;
  readonly requests: number;
  readonly actor: string;
}

/** Options of `listVerificationHistory`. */
export interface VerificationHistoryQuery {
  /** Newest first; default 50, at most 500. */
  readonly limit?: number;
  /** Only entries strictly older than this epoch ms (paging). */
  readonly before?: number;
}

function toRecord(row: Selectable<VerificationHistoryTable>): VerificationRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    integrationId: row.integration_id,
    at: Number(row.at),
    status: row.status,
    findings: parseJson<JsonValue[]>(row.findings),
    checks: parseJson<JsonValue[]>(row.checks),
    identity: row.identity === null ? null : parseJson<JsonObject>(row.identity),
    requests: Number(row.requests),
    actor: row.actor,
  };
}

/** Verification functions bound to a context. */
export function verificationRepo(ctx: RepoContext) {
  // The live `Database` type belongs to the schema module; these tables are added by 0002.
  const db = () => ctx.db as unknown as Kysely<VerificationTables>;
  return {
    /** Appends one verification to an integration's history. */
    async appendVerificationHistory(input: AppendVerificationInput): Promise<VerificationRecord> {
      const row: VerificationHistoryTable = {
        id: ctx.newId(),
        workspace_id: input.workspaceId,
        integration_id: input.integrationId,
        at: input.at ?? ctx.now(),
        status: input.status,
        findings: JSON.stringify(input.findings),
        checks: JSON.stringify(input.checks),
        identity:
          input.identity === undefined || input.identity === null ? null : JSON.stringify(input.identity),
        requests: input.requests,
        actor: input.actor,
      };
      await db().insertInto('verification_history').values(row).execute();
      return toRecord(row);
    },
    /** An integration's verifications, newest first. */
    async listVerificationHistory(
      workspaceId: string,
      integrationId: string,
      query: VerificationHistoryQuery = {},
    ): Promise<VerificationRecord[]> {
      let q = db()
        .selectFrom('verification_history')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('integration_id', '=', integrationId);
      if (query.before !== undefined) q = q.where('at', '<', query.before);
      const rows = await q
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(Math.min(Math.max(query.limit ?? 50, 1), 500))
        .execute();
      return rows.map(toRecord);
    },
    /**
     * Takes or renews the lease on an integration for `ttlMs`. True when `owner` holds it now;
     * false when another owner holds an unexpired lease.
     */
    async acquireVerificationLease(integrationId: string, owner: string, ttlMs: number): Promise<boolean> {
      const now = ctx.now();
      const until = now + ttlMs;
      const r = await db()
        .insertInto('verification_leases')
        .values({ integration_id: integrationId, owner, until })
        .onConflict((oc) =>
          oc
            .column('integration_id')
            .doUpdateSet({ owner, until })
            .where((eb) =>
              eb.or([
                eb('verification_leases.until', '<=', now),
                eb('verification_leases.owner', '=', owner),
              ]),
            ),
        )
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
    /** Gives a lease back (only the owner can). True when it was held by `owner`. */
    async releaseVerificationLease(integrationId: string, owner: string): Promise<boolean> {
      const r = await db()
        .deleteFrom('verification_leases')
        .where('integration_id', '=', integrationId)
        .where('owner', '=', owner)
        .executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
    /** The current holder of an integration's lease and until when, if any. */
    async getVerificationLease(integrationId: string): Promise<{ owner: string; until: number } | undefined> {
      const row = await db()
        .selectFrom('verification_leases')
        .select(['owner', 'until'])
        .where('integration_id', '=', integrationId)
        .executeTakeFirst();
      return row && { owner: row.owner, until: Number(row.until) };
    },
  };
}
