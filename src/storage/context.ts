/**
 * What every repository function closes over: the backend, the executor (the root database or
 * the current transaction), the clock and the id generator.
 */
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
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

/** Ids per `IN (…)` list: well under either backend's limit on bound parameters. */
export const IDS_PER_QUERY = 500;

/** `ids` without duplicates, in lists of at most {@link IDS_PER_QUERY}. */
export function idLists(ids: readonly string[]): string[][] {
  const unique = [...new Set(ids)];
  const lists: string[][] = [];
  for (let from = 0; from < unique.length; from += IDS_PER_QUERY)
    lists.push(unique.slice(from, from + IDS_PER_QUERY));
  return lists;
}

/** The ids of `ids` that `find` returns, asking it one list of ids at a time. */
export async function foundAmong(
  ids: readonly string[],
  find: (list: string[]) => Promise<readonly string[]>,
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const list of idLists(ids)) for (const id of await find(list)) found.add(id);
  return found;
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

/**
 * The sequence number of user `id` (`users.seq`, migration 0007) as a subselect, read in the
 * statement that writes a row naming the user: null when no such user exists.
 */
export function userSeqOf(id: string): RawBuilder<number | null> {
  return sql<number | null>`(select seq from users where id = ${id})`;
}
