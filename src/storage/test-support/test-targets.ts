/**
 * Test support: the backends a suite runs against. SQLite gets a fresh temporary directory;
 * PostgreSQL gets a freshly created database on the loopback server, dropped afterwards. When
 * PostgreSQL is unreachable its target carries a skip reason, unless `KEYHOUSE_REQUIRE_POSTGRES=1`
 * demands it, in which case the reason becomes a failure.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { BackendKind } from '../backend.ts';
import type { StoreConfig } from '../store.ts';

/** The PostgreSQL server the suites use (loopback, trust auth); `KEYHOUSE_TEST_POSTGRES_URL` overrides. */
export const TEST_POSTGRES_URL =
  process.env['KEYHOUSE_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh, empty place to open a store in. */
export interface TestLocation {
  readonly config: StoreConfig;
  /** Deletes the directory or drops the database. */
  cleanup(): Promise<void>;
}

/** A backend a suite runs against. */
export interface TestTarget {
  readonly kind: BackendKind;
  /** Set when the target cannot run; the suite skips with this reason. */
  readonly skipReason: string | undefined;
  /** Set when the target cannot run but is required: the suite must fail with this. */
  readonly failReason: string | undefined;
  fresh(): Promise<TestLocation>;
}

/** A fresh SQLite data directory. */
export function sqliteTarget(): TestTarget {
  return {
    kind: 'sqlite',
    skipReason: undefined,
    failReason: undefined,
    async fresh() {
      const dataDir = mkdtempSync(join(tmpdir(), 'keyhouse-store-'));
      return {
        config: { kind: 'sqlite', dataDir },
        cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
      };
    },
  };
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A fresh PostgreSQL database per `fresh()`, or a skip/fail reason when the server is down. */
export async function postgresTarget(): Promise<TestTarget> {
  let reason: string | undefined;
  try {
    await adminQuery('select 1');
  } catch (error) {
    reason = `PostgreSQL at ${TEST_POSTGRES_URL} is unreachable: ${(error as Error).message}`;
  }
  const required = process.env['KEYHOUSE_REQUIRE_POSTGRES'] === '1';
  return {
    kind: 'postgres',
    skipReason: reason !== undefined && !required ? reason : undefined,
    failReason: reason !== undefined && required ? `${reason} (KEYHOUSE_REQUIRE_POSTGRES=1)` : undefined,
    async fresh() {
      const name = `keyhouse_test_${randomBytes(6).toString('hex')}`;
      await adminQuery(`create database ${name}`);
      return {
        config: { kind: 'postgres', url: withDatabase(TEST_POSTGRES_URL, name) },
        cleanup: () => adminQuery(`drop database if exists ${name} with (force)`),
      };
    },
  };
}

/** Both targets, printing why PostgreSQL is skipped when it is. */
export async function allTargets(): Promise<TestTarget[]> {
  const postgres = await postgresTarget();
  if (postgres.skipReason !== undefined) console.log(`# skipping PostgreSQL: ${postgres.skipReason}`);
  return [sqliteTarget(), postgres];
}
