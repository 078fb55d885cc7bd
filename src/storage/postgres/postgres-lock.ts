/**
 * PostgreSQL locks of the store: a session advisory lock around migrations (so processes starting
 * together migrate one at a time), a transaction advisory lock that orders change-log commits,
 * and a row lock on a workspace's audit-chain head.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type pg from 'pg';
import type { Database } from '../schema.ts';

/** Advisory lock key for migrations; distinct from Kysely's own migration lock key. */
export const MIGRATION_LOCK_KEY = 0x6b68_0001;
/** Advisory lock key that serialises change-log commits. */
export const CHANGE_LOG_LOCK_KEY = 0x6b68_0002;

/** Runs `fn` while one dedicated pool client holds the migration advisory lock. */
export async function withPostgresMigrationLock<T>(pool: pg.Pool, fn: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await fn();
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch((error: Error) => {
        broken = error;
      });
    }
  } finally {
    // A client whose unlock failed is destroyed, which also drops its session lock.
    client.release(broken);
  }
}

/** Locks `workspaceId`'s audit head row until `trx` ends. */
export async function lockPostgresAuditHead(trx: Transaction<Database>, workspaceId: string): Promise<void> {
  await trx
    .selectFrom('audit_heads')
    .select('seq')
    .where('workspace_id', '=', workspaceId)
    .forUpdate()
    .execute();
}

/**
 * Takes the change-log lock until `trx` ends, so a change row with a higher revision can never
 * commit before one with a lower revision (a reader would otherwise skip the late one).
 */
export async function lockPostgresChangeLog(trx: Kysely<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${CHANGE_LOG_LOCK_KEY})`.execute(trx);
}
