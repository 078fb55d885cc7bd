/**
 * The SQLite backend: lock the data directory, open `keyhouse.db` in it with the durability
 * pragmas, and drive it through Kysely with write transactions that start `BEGIN IMMEDIATE`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  Kysely,
  type QueryCompiler,
  SqliteAdapter,
  SqliteDriver,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
} from 'kysely';
import type { Backend } from '../backend.ts';
import type { Database } from '../schema.ts';
import { createSqliteDatabaseAdapter, openSqliteDatabase } from './sqlite-driver.ts';
import { acquireDataDirLock } from './sqlite-lock.ts';

/** Name of the database file inside the data directory. */
export const SQLITE_FILE_NAME = 'keyhouse.db';

/**
 * How often the connection refreshes the planner's statistics (`PRAGMA optimize`). Without them
 * SQLite cannot tell a workspace id (one value for every row of a one-workspace install) from a
 * group or integration id, and may read a whole workspace's rows through the workspace's index
 * to find one group's members or to cascade one integration's deletion to its entries.
 */
export const REFRESH_STATISTICS_EVERY_MS = 10 * 60 * 1000;

/**
 * Committed transactions between two refreshes, so a burst of writes (an import in the first
 * minutes) is not planned blind until the timer comes round; cheap when no table grew enough.
 */
export const REFRESH_STATISTICS_EVERY_COMMITS = 1000;

/** Options for {@link openSqliteBackend}. */
export interface SqliteBackendOptions {
  readonly dataDir: string;
  readonly busyTimeoutMs?: number;
}

/** Starts every transaction as a write transaction, so writers queue instead of failing to upgrade. */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** SQLite runs DDL inside transactions, so each migration can be atomic. */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** Kysely's SQLite dialect with `BEGIN IMMEDIATE` transactions and transactional migrations. */
export class KeyhouseSqliteDialect implements Dialect {
  readonly #database: ReturnType<typeof createSqliteDatabaseAdapter>;

  constructor(database: ReturnType<typeof createSqliteDatabaseAdapter>) {
    this.#database = database;
  }
  createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database });
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

/**
 * Opens the SQLite backend in `dataDir` (created with mode 0700 if missing).
 * @throws StorageError `data_dir_locked` when another live process holds the directory; in that
 *   case nothing in the directory is touched.
 */
export async function openSqliteBackend(options: SqliteBackendOptions): Promise<Backend> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const lock = acquireDataDirLock(options.dataDir);
  let db: Kysely<Database>;
  let file: DatabaseSync;
  try {
    file = openSqliteDatabase(
      join(options.dataDir, SQLITE_FILE_NAME),
      options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs },
    );
    db = new Kysely<Database>({ dialect: new KeyhouseSqliteDialect(createSqliteDatabaseAdapter(file)) });
  } catch (error) {
    lock.release();
    throw error;
  }
  let closed = false;
  const refreshStatistics = async (): Promise<void> => {
    // Through Kysely's one connection, so never inside another caller's transaction.
    await sql`pragma optimize=0x10002`.execute(db);
  };
  // A bounded refresh now and then, as SQLite advises for a long-lived connection; a failed one
  // (the database busy) waits for the next.
  const timer = setInterval(
    () => void refreshStatistics().catch(() => undefined),
    REFRESH_STATISTICS_EVERY_MS,
  );
  timer.unref();
  let commits = 0;
  return {
    kind: 'sqlite',
    db,
    // The data-directory lock already makes this process the only one; Kysely's single
    // connection serialises migrators inside it.
    withMigrationLock: (fn) => fn(),
    // Write transactions are `BEGIN IMMEDIATE` on one connection: already serial.
    lockAuditHead: async () => {},
    lockChangeLog: async () => {},
    refreshStatistics,
    committed() {
      commits++;
      // Queued behind the connection's current work; a failed one waits for the next.
      if (commits % REFRESH_STATISTICS_EVERY_COMMITS === 0) void refreshStatistics().catch(() => undefined);
    },
    // On the one connection, which `trx` holds: the statement reads inside that transaction, and
    // no other query can run on the connection until it ends.
    async eachRow(_trx, query, onRow) {
      const statement = file.prepare(query.sql);
      statement.setReturnArrays(true);
      for (const row of statement.iterate(...(query.parameters as SQLInputValue[])))
        onRow(row as unknown as readonly unknown[]);
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      try {
        await db.destroy();
      } finally {
        lock.release();
      }
    },
  };
}
