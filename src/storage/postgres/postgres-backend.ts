/**
 * The PostgreSQL backend: a `pg` pool driven by Kysely's PostgreSQL dialect, with advisory locks
 * for migrations and the change log, and row locks for audit chains.
 */
import { Kysely, PostgresDialect } from 'kysely';
import type { Backend } from '../backend.ts';
import type { Database } from '../schema.ts';
import { createPostgresPool, type PostgresPoolOptions } from './postgres-driver.ts';
import { lockPostgresAuditHead, lockPostgresChangeLog, withPostgresMigrationLock } from './postgres-lock.ts';

/** Options for {@link openPostgresBackend}. */
export type PostgresBackendOptions = PostgresPoolOptions;

/** Opens the PostgreSQL backend and checks that the server answers. */
export async function openPostgresBackend(options: PostgresBackendOptions): Promise<Backend> {
  const pool = createPostgresPool(options);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await db.destroy();
    throw error;
  }
  let closed = false;
  return {
    kind: 'postgres',
    db,
    withMigrationLock: (fn) => withPostgresMigrationLock(pool, fn),
    lockAuditHead: lockPostgresAuditHead,
    lockChangeLog: lockPostgresChangeLog,
    // Autovacuum analyzes changed tables.
    refreshStatistics: async () => {},
    committed: () => undefined,
    async eachRow(trx, query, onRow) {
      const { rows } = await trx.executeQuery<Record<string, unknown>>(query);
      for (let k = 0; k < rows.length; k++) onRow(Object.values(rows[k]!));
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}
