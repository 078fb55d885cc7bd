/**
 * Adapts Node's built-in `node:sqlite` `DatabaseSync` to the structural database interface that
 * Kysely's SQLite dialect asks for, and opens the database with the durability settings.
 */
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Options for {@link openSqliteDatabase}. */
export interface OpenSqliteDatabaseOptions {
  /** How long a writer waits for a lock held by another connection, in ms. Default 5000. */
  readonly busyTimeoutMs?: number;
}

function statementAdapter(stmt: StatementSync): SqliteStatement {
  const args = (parameters: ReadonlyArray<unknown>): SQLInputValue[] => parameters as SQLInputValue[];
  return {
    reader: stmt.columns().length > 0,
    all: (parameters) => stmt.all(...args(parameters)),
    run: (parameters) => {
      const { changes, lastInsertRowid } = stmt.run(...args(parameters));
      return { changes, lastInsertRowid };
    },
    iterate: (parameters) => stmt.iterate(...args(parameters)),
  };
}

/** Wraps an open `DatabaseSync` as Kysely's `SqliteDatabase`. */
export function createSqliteDatabaseAdapter(database: DatabaseSync): SqliteDatabase {
  return {
    prepare: (sqlText: string) => statementAdapter(database.prepare(sqlText)),
    close: () => {
      if (database.isOpen) database.close();
    },
  };
}

/**
 * Opens (creating if needed) a SQLite file with WAL, foreign keys, a busy timeout,
 * `synchronous = FULL` (an acknowledged commit is fsynced) and `secure_delete` (deleted key
 * material is overwritten in the file).
 */
export function openSqliteDatabase(file: string, options: OpenSqliteDatabaseOptions = {}): DatabaseSync {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const database = new DatabaseSync(file, { enableForeignKeyConstraints: true, timeout: busyTimeoutMs });
  try {
    database.exec('pragma journal_mode = wal');
    database.exec('pragma synchronous = full');
    database.exec('pragma foreign_keys = on');
    database.exec(`pragma busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    database.exec('pragma secure_delete = on');
    // Keeps each statistics refresh (`pragma optimize`) bounded: rows sampled per index.
    database.exec('pragma analysis_limit = 1000');
    return database;
  } catch (error) {
    database.close();
    throw error;
  }
}
