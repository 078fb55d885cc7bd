/**
 * Foreign keys are checked and followed by lookups the planner plans: on PostgreSQL a query on the
 * referenced table for each new row (`… WHERE k1 = $1 AND k2 = $2 FOR KEY SHARE`), and on both
 * backends a query on the referencing table for each deleted row (`… WHERE workspace_id = ? AND
 * integration_id = ?`, to cascade). PostgreSQL plans them once per connection and keeps the
 * plan; SQLite plans them without statistics until its first refresh. On a fresh database, where
 * an index leads with the workspace alone, either planner may take it and read the whole
 * workspace for each row. So, before any statistics:
 *
 * - every referenced key is found through an index holding all its columns (PostgreSQL);
 * - every referencing row is found through an index on its columns other than the workspace.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { openStore, type Store } from './store.ts';
import { allTargets, type TestLocation } from './test-support/test-targets.ts';

interface ForeignKey {
  readonly name: string;
  /** The referencing table and columns. */
  readonly table: string;
  readonly columns: readonly string[];
  /** The referenced table and columns. */
  readonly target: string;
  readonly targetColumns: readonly string[];
}

/** The columns a lookup must find by index: all but the workspace (which every tenant row has). */
const selective = (columns: readonly string[]): readonly string[] =>
  columns.filter((c) => c !== 'workspace_id');

const mentions = (condition: string, column: string): boolean =>
  new RegExp(`\\b${column}\\b`).test(condition);

async function sqliteKeys(store: Store): Promise<ForeignKey[]> {
  const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(
    store.db,
  );
  const keys: ForeignKey[] = [];
  for (const { name: table } of tables.rows) {
    const rows = await sql<{ id: number; seq: number; table: string; from: string; to: string }>`
      select * from pragma_foreign_key_list(${table})`.execute(store.db);
    const ids = [...new Set(rows.rows.map((r) => r.id))];
    for (const id of ids) {
      const parts = rows.rows.filter((r) => r.id === id).sort((a, b) => a.seq - b.seq);
      keys.push({
        name: `${table}#${id}`,
        table,
        columns: parts.map((p) => p.from),
        target: parts[0]!.table,
        targetColumns: parts.map((p) => p.to),
      });
    }
  }
  return keys;
}

for (const target of await allTargets()) {
  describe(`foreign-key lookups before any statistics (${target.kind})`, {
    skip: target.skipReason ?? false,
  }, () => {
    let location: TestLocation;
    let store: Store;
    let client: pg.Client | undefined;

    before(async () => {
      if (target.failReason !== undefined) throw new Error(target.failReason);
      location = await target.fresh();
      store = await openStore(location.config);
      if (location.config.kind === 'postgres') {
        client = new pg.Client({ connectionString: location.config.url });
        await client.connect();
        await client.query('set plan_cache_mode = force_generic_plan');
      }
    });

    after(async () => {
      await client?.end();
      await store?.close();
      await location?.cleanup();
    });

    async function postgresKeys(): Promise<ForeignKey[]> {
      const columnsOf = (relation: string, keys: string) =>
        `array(select a.attname::text from unnest(${keys}) with ordinality k(attnum, n)
               join pg_attribute a on a.attrelid = ${relation} and a.attnum = k.attnum order by k.n)`;
      const { rows } = await client!.query<ForeignKey>(
        `select c.conname as name, c.conrelid::regclass::text as table, ${columnsOf('c.conrelid', 'c.conkey')} as columns,
                c.confrelid::regclass::text as target, ${columnsOf('c.confrelid', 'c.confkey')} as "targetColumns"
           from pg_constraint c where c.contype = 'f' order by c.conname`,
      );
      return rows;
    }

    /** PostgreSQL's generic plan of a select on `table` by `columns`. */
    async function postgresPlan(table: string, columns: readonly string[], lock: boolean): Promise<string> {
      const where = columns.map((column, k) => `"${column}" = $${k + 1}`).join(' and ');
      await client!.query(
        `prepare lookup as select 1 from only ${table} x where ${where}${lock ? ' for key share of x' : ''}`,
      );
      try {
        const args = columns.map(() => "'x'").join(', ');
        const { rows } = await client!.query<{ 'QUERY PLAN': string }>(`explain execute lookup(${args})`);
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      } finally {
        await client!.query('deallocate lookup');
      }
    }

    /** SQLite's plan of a select on `table` by `columns`. */
    async function sqlitePlan(table: string, columns: readonly string[]): Promise<string> {
      const where = columns.map((column) => `"${column}" = 'x'`).join(' and ');
      const plan = await sql<{ detail: string }>`explain query plan ${sql.raw(
        `select 1 from "${table}" where ${where}`,
      )}`.execute(store.db);
      return plan.rows.map((r) => r.detail).join('\n');
    }

    /**
     * The columns of `wanted` a plan finds by an index's leading columns, or none when it scans.
     * (PostgreSQL also reports a condition on an index's later column as an index condition, while
     * it reads the whole index: only the leading columns count.)
     */
    async function indexed(plan: string, wanted: readonly string[]): Promise<readonly string[]> {
      if (target.kind === 'sqlite') {
        const used = /SEARCH .* USING (?:COVERING )?(?:INDEX \S+|(?:INTEGER )?PRIMARY KEY) \((.*)\)/.exec(
          plan,
        )?.[1];
        return used === undefined ? [] : wanted.filter((c) => mentions(used, c));
      }
      const index = /(?:Index (?:Only )?Scan using|Bitmap Index Scan on) (\S+)/.exec(plan)?.[1];
      if (index === undefined) return [];
      const { rows } = await client!.query<{ columns: string[] }>(
        `select array(select a.attname::text from unnest(i.indkey) with ordinality k(attnum, n)
                      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum order by k.n) as columns
           from pg_index i where i.indexrelid = $1::regclass`,
        [index],
      );
      const leading: string[] = [];
      for (const column of rows[0]!.columns) {
        if (!wanted.includes(column)) break;
        leading.push(column);
      }
      return leading;
    }

    test('a fresh database has no statistics', async () => {
      if (target.kind === 'postgres') {
        const { rows } = await client!.query<{ n: string }>(
          `select count(*) as n from pg_stat_user_tables where last_analyze is not null or last_autoanalyze is not null`,
        );
        assert.equal(Number(rows[0]!.n), 0);
      } else {
        const exists = await sql<{ n: number }>`
          select count(*) as n from sqlite_master where name = 'sqlite_stat1'`.execute(store.db);
        if (exists.rows[0]!.n === 0) return;
        // Bookkeeping aside: Kysely's tables and the counters of `sequences` (migration 0007).
        const stats = await sql<{ tbl: string }>`
          select tbl from sqlite_stat1
          where stat is not null and tbl not like 'kysely%' and tbl <> 'sequences'`.execute(store.db);
        assert.deepEqual(stats.rows, []);
      }
    });

    test('every row referencing a key is found through an index on its columns other than the workspace', async () => {
      const keys = target.kind === 'postgres' ? await postgresKeys() : await sqliteKeys(store);
      const tenancy = keys.filter((k) => k.columns.length === 2);
      assert.ok(tenancy.length >= 9, `the tenancy keys (workspace and id): ${JSON.stringify(keys)}`);
      const refused: string[] = [];
      for (const key of keys) {
        const needed = selective(key.columns);
        if (needed.length === 0) continue; // a workspace's deletion reads the whole workspace anyway
        const plan =
          target.kind === 'postgres'
            ? await postgresPlan(key.table, key.columns, false)
            : await sqlitePlan(key.table, key.columns);
        const found = await indexed(plan, key.columns);
        if (!needed.every((c) => found.includes(c)))
          refused.push(`${key.name}: ${key.table} (${key.columns.join(', ')}):\n${plan}`);
      }
      assert.deepEqual(refused, []);
    });

    test('every referenced key is found through an index holding all its columns', {
      skip:
        target.kind === 'postgres'
          ? false
          : 'SQLite checks a referenced key through its unique index, not a planned query',
    }, async () => {
      const refused: string[] = [];
      for (const key of await postgresKeys()) {
        const plan = await postgresPlan(key.target, key.targetColumns, true);
        const found = await indexed(plan, key.targetColumns);
        if (!key.targetColumns.every((c) => found.includes(c)))
          refused.push(`${key.name} → ${key.target} (${key.targetColumns.join(', ')}):\n${plan}`);
      }
      assert.deepEqual(refused, []);
    });
  });
}
