/**
 * Creates the `pg` pool for PostgreSQL: 64-bit integers read as JavaScript numbers (epoch-ms
 * timestamps, sequence numbers), a connection timeout, and an `error` listener so that an idle
 * client losing its connection never crashes the process.
 */
import pg from 'pg';

/** Options for {@link createPostgresPool}. */
export interface PostgresPoolOptions {
  readonly url: string;
  /** Maximum connections. Default 10. */
  readonly max?: number;
  /** How long to wait for a connection before failing, in ms. Default 5000. */
  readonly connectionTimeoutMs?: number;
  /** Told about errors of idle clients (the pool has already discarded them). */
  readonly onIdleError?: (error: Error) => void;
}

const INT8_OID = 20;

function int8AsNumber(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${value} exceeds the safe integer range`);
  return n;
}

/** A `types` config that parses int8 as number and leaves every other type to `pg`. */
export const postgresTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? int8AsNumber
      : pg.types.getTypeParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** Creates a pool for `options.url`; the caller ends it. */
export function createPostgresPool(options: PostgresPoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000,
    types: postgresTypes,
  });
  pool.on('error', (error) => {
    options.onIdleError?.(error);
  });
  return pool;
}
