/**
 * What the store needs from a database backend: a Kysely instance, a migration lock and a way to
 * serialise writers of one workspace's audit chain. `sqlite/` and `postgres/` each provide one.
 */
import type { CompiledQuery, Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

/** The two supported backends. */
export type BackendKind = 'sqlite' | 'postgres';

/** An open database backend. */
export interface Backend {
  readonly kind: BackendKind;
  readonly db: Kysely<Database>;
  /** Runs `fn` while holding the cross-process migration lock. */
  withMigrationLock<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Serialises appends to `workspaceId`'s audit chain until `trx` ends. Called after the chain
   * head row exists; a no-op where write transactions are already serial.
   */
  lockAuditHead(trx: Transaction<Database>, workspaceId: string): Promise<void>;
  /** Serialises commits of change-log rows so revisions become visible in order. */
  lockChangeLog(trx: Transaction<Database>): Promise<void>;
  /**
   * Refreshes the query planner's statistics where the database needs to be asked (SQLite:
   * `PRAGMA optimize`, which analyzes the tables that changed enough); PostgreSQL's autovacuum
   * does it on its own.
   */
  refreshStatistics(): Promise<void>;
  /**
   * Runs a select inside `trx` and hands each row to `onRow` as its column values, in the
   * select's order, as the rows come: the bulk reads of a policy snapshot, which would otherwise
   * hold every row as an object at once (SQLite steps its statement and returns arrays;
   * PostgreSQL's rows are taken apart in column order).
   */
  eachRow(
    trx: Transaction<Database>,
    query: CompiledQuery,
    onRow: (values: readonly unknown[]) => void,
  ): Promise<void>;
  /** Told after each committed transaction (SQLite refreshes its statistics every so many). */
  committed(): void;
  /** Closes connections and releases every lock. Idempotent. */
  close(): Promise<void>;
}
