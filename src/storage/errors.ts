/**
 * Errors raised by the storage layer. Each carries a stable `code` the HTTP layer maps to the
 * error registry, and the driver error as `cause`. Expected outcomes (not found, version
 * conflict) are return values, not errors.
 */

/** Stable storage error codes. */
export const STORAGE_ERROR_CODES = [
  /** Another live process holds the SQLite data directory. */
  'data_dir_locked',
  /** A unique constraint refused the write (duplicate login, name, prefix…). */
  'duplicate',
  /** A foreign key refused the write (unknown workspace, project, user, pipeline…). */
  'reference_missing',
  /** The database could not be reached or refused the connection. */
  'unavailable',
  /** A migration failed; the database is left at the last complete migration. */
  'migration_failed',
  /** The input cannot be stored as given (e.g. a PROJECT scope without its project). */
  'invalid',
] as const;

/** One of {@link STORAGE_ERROR_CODES}. */
export type StorageErrorCode = (typeof STORAGE_ERROR_CODES)[number];

/** An error from the storage layer. */
export class StorageError extends Error {
  /** Stable code, see {@link STORAGE_ERROR_CODES}. */
  readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
    this.code = code;
  }
}

function driverCode(error: unknown): string {
  const e = error as { code?: unknown; errcode?: unknown; message?: unknown };
  return `${String(e.code ?? '')} ${String(e.errcode ?? '')} ${String(e.message ?? '')}`;
}

/**
 * Translates a driver error for a constraint violation into a {@link StorageError}; anything
 * else is returned unchanged. Understands SQLite (`SQLITE_CONSTRAINT_*`) and PostgreSQL
 * (SQLSTATE 23505 / 23503) errors.
 */
export function translateDriverError(error: unknown): unknown {
  if (error instanceof StorageError) return error;
  const text = driverCode(error);
  if (/\b23505\b|UNIQUE constraint failed|PRIMARY KEY constraint|\b(1555|2067)\b/.test(text)) {
    return new StorageError('duplicate', 'A record with the same unique key already exists', {
      cause: error,
    });
  }
  if (/\b23503\b|FOREIGN KEY constraint failed|\b787\b/.test(text)) {
    return new StorageError('reference_missing', 'A referenced record does not exist', { cause: error });
  }
  return error;
}
