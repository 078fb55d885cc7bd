/**
 * The append-only audit log. Each event is chained to the previous event of its workspace:
 * `hash = sha256(prevHash + "\n" + canonicalJson(event))`, and `audit_heads` holds the last
 * (seq, hash) so a deleted tail is detected too. Appends are serialised per workspace.
 */
import type { Kysely, Selectable } from 'kysely';
import { canonicalJson, sha256Hex } from './canonical-json.ts';
import { atomically, parseJson, type RepoContext } from './context.ts';
import type { AuditEventTable, Database } from './schema.ts';
import type { AuditEvent, AuditEventInput, JsonValue } from './types.ts';

/** `prevHash` of the first event of every workspace. */
export const GENESIS_HASH = '0'.repeat(64);

/** Filters of `listAudit`. */
export interface AuditFilter {
  readonly workspaceId: string;
  readonly actor?: string;
  readonly action?: string;
  readonly targetType?: string;
  readonly targetId?: string;
  /** Epoch ms, inclusive. */
  readonly since?: number;
  /** Epoch ms, exclusive. */
  readonly until?: number;
  /** Cursor: only events with a greater seq. */
  readonly afterSeq?: number;
  /** Cursor: only events with a smaller seq. */
  readonly beforeSeq?: number;
  /** Default 100, at most 1000. */
  readonly limit?: number;
  /** Default `desc` (newest first). */
  readonly order?: 'asc' | 'desc';
}

/** The result of `verifyAuditChain`. */
export type AuditVerification =
  | { readonly ok: true; readonly count: number; readonly headHash: string }
  | {
      readonly ok: false;
      /** The first seq at which the chain is broken. */
      readonly firstBadSeq: number;
      readonly reason: 'missing' | 'unexpected' | 'prev-hash-mismatch' | 'hash-mismatch' | 'head-mismatch';
    };

/** The hash of an event given its predecessor's hash. */
export function auditHash(prevHash: string, event: Omit<AuditEvent, 'prevHash' | 'hash'>): string {
  const body = {
    workspaceId: event.workspaceId,
    seq: event.seq,
    at: event.at,
    actor: event.actor,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    before: event.before,
    after: event.after,
    requestId: event.requestId,
  };
  return sha256Hex(`${prevHash}\n${canonicalJson(body)}`);
}

/** Row → record. */
export function toAuditEvent(row: Selectable<AuditEventTable>): AuditEvent {
  return {
    workspaceId: row.workspace_id,
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    before: row.before === null ? null : parseJson<JsonValue>(row.before),
    after: row.after === null ? null : parseJson<JsonValue>(row.after),
    requestId: row.request_id,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

async function head(db: Kysely<Database>, workspaceId: string) {
  return db.selectFrom('audit_heads').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
}

/** Audit functions bound to a context. */
export function auditRepo(ctx: RepoContext) {
  return {
    /**
     * Appends an event to its workspace's chain, in the current transaction (call it inside the
     * transaction of the change it records, so neither commits without the other).
     */
    async appendAudit(input: AuditEventInput): Promise<AuditEvent> {
      return atomically(ctx, async (trx) => {
        await trx
          .insertInto('audit_heads')
          .values({ workspace_id: input.workspaceId, seq: 0, hash: GENESIS_HASH })
          .onConflict((oc) => oc.column('workspace_id').doNothing())
          .execute();
        await ctx.backend.lockAuditHead(trx, input.workspaceId);
        const last = (await head(trx, input.workspaceId))!;
        const unchained = {
          workspaceId: input.workspaceId,
          seq: last.seq + 1,
          at: input.at ?? ctx.now(),
          actor: input.actor,
          action: input.action,
          targetType: input.targetType,
          targetId: input.targetId ?? null,
          before: input.before ?? null,
          after: input.after ?? null,
          requestId: input.requestId ?? null,
        };
        const event: AuditEvent = {
          ...unchained,
          prevHash: last.hash,
          hash: auditHash(last.hash, unchained),
        };
        await trx
          .insertInto('audit_events')
          .values({
            workspace_id: event.workspaceId,
            seq: event.seq,
            at: event.at,
            actor: event.actor,
            action: event.action,
            target_type: event.targetType,
            target_id: event.targetId,
            before: event.before === null ? null : canonicalJson(event.before),
            after: event.after === null ? null : canonicalJson(event.after),
            request_id: event.requestId,
            prev_hash: event.prevHash,
            hash: event.hash,
          })
          .execute();
        await trx
          .updateTable('audit_heads')
          .set({ seq: event.seq, hash: event.hash })
          .where('workspace_id', '=', event.workspaceId)
          .execute();
        return event;
      });
    },
    /** Events of a workspace matching the filters. */
    async listAudit(filter: AuditFilter): Promise<AuditEvent[]> {
      let q = ctx.db.selectFrom('audit_events').selectAll().where('workspace_id', '=', filter.workspaceId);
      if (filter.actor !== undefined) q = q.where('actor', '=', filter.actor);
      if (filter.action !== undefined) q = q.where('action', '=', filter.action);
      if (filter.targetType !== undefined) q = q.where('target_type', '=', filter.targetType);
      if (filter.targetId !== undefined) q = q.where('target_id', '=', filter.targetId);
      if (filter.since !== undefined) q = q.where('at', '>=', filter.since);
      if (filter.until !== undefined) q = q.where('at', '<', filter.until);
      if (filter.afterSeq !== undefined) q = q.where('seq', '>', filter.afterSeq);
      if (filter.beforeSeq !== undefined) q = q.where('seq', '<', filter.beforeSeq);
      const limit = Math.max(1, Math.min(filter.limit ?? 100, 1000));
      const rows = await q
        .orderBy('seq', filter.order ?? 'desc')
        .limit(limit)
        .execute();
      return rows.map(toAuditEvent);
    },
    /** Walks a workspace's chain; reports the first edited, inserted or deleted event. */
    async verifyAuditChain(workspaceId: string): Promise<AuditVerification> {
      let expected = 1;
      let prev = GENESIS_HASH;
      for (;;) {
        const rows = await ctx.db
          .selectFrom('audit_events')
          .selectAll()
          .where('workspace_id', '=', workspaceId)
          .where('seq', '>=', expected)
          .orderBy('seq')
          .limit(1000)
          .execute();
        for (const row of rows) {
          if (row.seq !== expected) return { ok: false, firstBadSeq: expected, reason: 'missing' };
          if (row.prev_hash !== prev)
            return { ok: false, firstBadSeq: row.seq, reason: 'prev-hash-mismatch' };
          const event = toAuditEvent(row);
          if (auditHash(prev, event) !== row.hash)
            return { ok: false, firstBadSeq: row.seq, reason: 'hash-mismatch' };
          prev = row.hash;
          expected++;
        }
        if (rows.length < 1000) break;
      }
      const h = await head(ctx.db, workspaceId);
      const count = expected - 1;
      if ((h?.seq ?? 0) !== count || (h?.hash ?? GENESIS_HASH) !== prev) {
        return { ok: false, firstBadSeq: expected, reason: 'head-mismatch' };
      }
      const stray = await ctx.db
        .selectFrom('audit_events')
        .select('seq')
        .where('workspace_id', '=', workspaceId)
        .where('seq', '<', 1)
        .executeTakeFirst();
      if (stray) return { ok: false, firstBadSeq: stray.seq, reason: 'unexpected' };
      return { ok: true, count, headHash: prev };
    },
  };
}
