/**
 * What every repository function closes over: the backend, the executor (the root database or
 * the current transaction), the clock and the id generator.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Backend } from './backend.ts';
import type { Database } from './schema.ts';

/** The context a repository is built on. */
export interface RepoContext {
  readonly backend: Backend;
  /** The root database, or the transaction when inside {@link Store.transaction}. */
  readonly db: Kysely<Database>;
  /** Set when `db` is a transaction. */
  readonly trx: Transaction<Database> | undefined;
  /** Epoch ms. */
  readonly now: () => number;
  readonly newId: () => string;
}

/** Runs `fn` in the current transaction, or in a new one when there is none. */
export function atomically<T>(ctx: RepoContext, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return ctx.trx !== undefined ? fn(ctx.trx) : ctx.db.transaction().execute(fn);
}

/** Parses a JSON text column (the store wrote it, so it is trusted to be JSON). */
export function parseJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** Bytes to the base64 text stored in the database. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Base64 text from the database back to bytes. */
export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** `undefined` → null, for optional inputs stored in nullable columns. */
export function orNull<T>(value: T | undefined): T | null {
  return value === undefined ? null : value;
}
