/**
 * PostgreSQL checks every foreign key of a new row with a query on the referenced table
 * (`SELECT 1 FROM ONLY t x WHERE k1 = $1 AND k2 = $2 FOR KEY SHARE OF x`), planned once per
 * connection and kept. On a fresh database nothing has statistics yet, and where another index
 * leads with one of the key's columns the planner may take it and read every row sharing that
 * column (the whole workspace) for each check, for as long as the connection lives. Every key
 * must be checked through an index that holds all of its columns.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { openStore } from '../store.ts';
import { postgresTarget, type TestLocation } from '../test-support/test-targets.ts';

const target = await postgresTarget();
let location: TestLocation | undefined;
let client: pg.Client | undefined;

before(async () => {
  if (target.skipReason !== undefined) return;
  if (target.failReason !== undefined) throw new Error(target.failReason);
  location = await target.fresh();
  await (await openStore(location.config)).close();
  if (location.config.kind !== 'postgres') throw new Error('not PostgreSQL');
  client = new pg.Client({ connectionString: location.config.url });
  await client.connect();
});

after(async () => {
  await client?.end();
  await location?.cleanup();
});

interface ForeignKey {
  readonly name: string;
  readonly target: string;
  readonly columns: string[];
}

test('every foreign key is checked through an index holding all its referenced columns, before any statistics', {
  skip: target.skipReason ?? false,
}, async () => {
  const db = client!;
  const { rows: analyzed } = await db.query<{ n: string }>(
    `select count(*) as n from pg_stat_user_tables where last_analyze is not null or last_autoanalyze is not null`,
  );
  assert.equal(Number(analyzed[0]!.n), 0, 'a fresh database: no table has statistics');
  const { rows: keys } = await db.query<ForeignKey>(
    `select c.conname as name, c.confrelid::regclass::text as target,
            array(select a.attname::text from unnest(c.confkey) with ordinality k(attnum, n)
                  join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.attnum order by k.n) as columns
       from pg_constraint c where c.contype = 'f' order by c.conname`,
  );
  assert.ok(keys.length >= 10, `the schema's foreign keys (${keys.length})`);
  assert.ok(
    keys.some((k) => k.columns.length === 2),
    'the tenancy keys (workspace and id) are among them',
  );
  const refused: string[] = [];
  await db.query('set plan_cache_mode = force_generic_plan');
  for (const key of keys) {
    const where = key.columns.map((column, k) => `"${column}" = $${k + 1}`).join(' and ');
    const statement = `rk_${key.name}`.slice(0, 60);
    await db.query(
      `prepare ${statement} as select 1 from only ${key.target} x where ${where} for key share of x`,
    );
    const args = key.columns.map(() => "'x'").join(', ');
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(`explain execute ${statement}(${args})`);
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    const condition = /Index Cond: (.*)/.exec(plan)?.[1] ?? '';
    const covered = key.columns.every((column) => new RegExp(`\\b${column}\\b`).test(condition));
    if (!/Index (Only )?Scan/.test(plan) || !covered) refused.push(`${key.name} → ${key.target}:\n${plan}`);
    await db.query(`deallocate ${statement}`);
  }
  assert.deepEqual(refused, []);
});
