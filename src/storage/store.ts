/**
 * The store: `openStore(config)` opens SQLite (default, one process) or PostgreSQL (many
 * processes), runs the migrations under a lock, and returns typed repository functions for every
 * resource. `transaction(fn)` runs several of them atomically.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { tokenRepo } from './api-tokens.ts';
import { auditRepo } from './audit.ts';
import type { Backend, BackendKind } from './backend.ts';
import { changeRepo } from './changes.ts';
import type { RepoContext } from './context.ts';
import { StorageError, translateDriverError } from './errors.ts';
import { groupRepo } from './groups.ts';
import { secretRepo } from './integration-secrets.ts';
import { integrationRepo } from './integrations.ts';
import { runMigrations } from './migrate.ts';
import { openPostgresBackend } from './postgres/postgres-backend.ts';
import { projectRepo } from './projects.ts';
import type { Database } from './schema.ts';
import { snapshotRepo } from './snapshot.ts';
import { openSqliteBackend } from './sqlite/sqlite-backend.ts';
import { userRepo } from './users.ts';
import { verificationRepo } from './verification.ts';
import { workspaceRepo } from './workspaces.ts';

/** Options common to both backends. */
export interface StoreOptions {
  /** Clock, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
  /** Id generator. Default `randomUUID`. */
  readonly newId?: () => string;
  /** Run pending migrations on open. Default true. */
  readonly migrate?: boolean;
}

/** Where the data lives. */
export type StoreConfig =
  | (StoreOptions & { readonly kind: 'sqlite'; readonly dataDir: string; readonly busyTimeoutMs?: number })
  | (StoreOptions & {
      readonly kind: 'postgres';
      readonly url: string;
      readonly maxConnections?: number;
      readonly connectionTimeoutMs?: number;
      /** Told about errors of idle pooled connections (the process keeps running). */
      readonly onIdleError?: (error: Error) => void;
    });

function buildRepos(ctx: RepoContext) {
  return translated({
    ...workspaceRepo(ctx),
    ...projectRepo(ctx),
    ...userRepo(ctx),
    ...groupRepo(ctx),
    ...integrationRepo(ctx),
    ...secretRepo(ctx),
    ...tokenRepo(ctx),
    ...auditRepo(ctx),
    ...changeRepo(ctx),
    ...snapshotRepo(ctx),
    ...verificationRepo(ctx),
  });
}

/** Every repository function (see each resource file for the documentation of each). */
export type Repositories = ReturnType<typeof buildRepos>;

/** The repositories bound to one transaction, plus the raw Kysely transaction. */
export type StoreTransaction = Repositories & { readonly trx: Transaction<Database> };

/** An open store. */
export type Store = Repositories & {
  readonly kind: BackendKind;
  /** The root Kysely instance, for queries the repositories do not cover. */
  readonly db: Kysely<Database>;
  /**
   * Runs `fn` in one transaction (SQLite: `BEGIN IMMEDIATE`); commits when it resolves, rolls
   * back when it throws. Use the repositories of `tx`, never the store's, inside `fn`.
   */
  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T>;
  /** Runs pending migrations under the migration lock; returns the names this call applied. */
  migrate(): Promise<string[]>;
  /**
   * Refreshes the query planner's statistics where needed (SQLite; done at open, every ten
   * minutes and every 1,000 committed transactions on its own). A bulk import calls it when done.
   */
  refreshStatistics(): Promise<void>;
  /** Closes connections and releases the data-directory lock. Idempotent. */
  close(): Promise<void>;
};

// biome-ignore lint/suspicious/noExplicitAny: any function shape is passed through unchanged.
type AnyFn = (...args: any[]) => Promise<unknown>;

/** Wraps each function so driver constraint errors surface as `StorageError`s. */
function translated<T extends Record<string, AnyFn>>(repos: T): T {
  const out: Record<string, AnyFn> = {};
  for (const [name, fn] of Object.entries(repos)) {
    out[name] = (...args) =>
      fn(...args).catch((error: unknown) => {
        throw translateDriverError(error);
      });
  }
  return out as T;
}

async function openBackend(config: StoreConfig): Promise<Backend> {
  if (config.kind === 'sqlite') {
    return openSqliteBackend({
      dataDir: config.dataDir,
      ...(config.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: config.busyTimeoutMs }),
    });
  }
  try {
    return await openPostgresBackend({
      url: config.url,
      ...(config.maxConnections === undefined ? {} : { max: config.maxConnections }),
      ...(config.connectionTimeoutMs === undefined
        ? {}
        : { connectionTimeoutMs: config.connectionTimeoutMs }),
      ...(config.onIdleError === undefined ? {} : { onIdleError: config.onIdleError }),
    });
  } catch (error) {
    throw new StorageError('unavailable', 'PostgreSQL is unreachable or refused the connection', {
      cause: error,
    });
  }
}

/**
 * Opens the store and (unless `migrate: false`) brings the schema up to date.
 * @throws StorageError `data_dir_locked`, `unavailable` or `migration_failed`.
 */
export async function openStore(config: StoreConfig): Promise<Store> {
  const backend = await openBackend(config);
  try {
    if (config.migrate !== false) await runMigrations(backend);
    await backend.refreshStatistics();
  } catch (error) {
    await backend.close();
    throw error;
  }
  const base = { backend, now: config.now ?? Date.now, newId: config.newId ?? randomUUID };
  const repos = buildRepos({ ...base, db: backend.db, trx: undefined });
  return {
    ...repos,
    kind: backend.kind,
    db: backend.db,
    async transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
      try {
        const result = await backend.db
          .transaction()
          .execute((trx) => fn({ ...buildRepos({ ...base, db: trx, trx }), trx }));
        backend.committed();
        return result;
      } catch (error) {
        throw translateDriverError(error);
      }
    },
    migrate: () => runMigrations(backend),
    refreshStatistics: () => backend.refreshStatistics(),
    close: () => backend.close(),
  };
}
