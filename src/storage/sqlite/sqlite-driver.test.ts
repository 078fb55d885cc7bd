import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createSqliteDatabaseAdapter, openSqliteDatabase } from './sqlite-driver.ts';

test('opens with WAL, foreign keys, full synchronous and a busy timeout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kh-sqlite-'));
  try {
    const database = openSqliteDatabase(join(dir, 'x.db'), { busyTimeoutMs: 1234 });
    const pragma = (name: string) => Object.values(database.prepare(`pragma ${name}`).get() ?? {})[0];
    assert.equal(pragma('journal_mode'), 'wal');
    assert.equal(pragma('foreign_keys'), 1);
    assert.equal(pragma('synchronous'), 2);
    assert.equal(pragma('busy_timeout'), 1234);
    database.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('adapter marks row-returning statements as readers and reports changes', () => {
  const database = openSqliteDatabase(':memory:');
  const adapter = createSqliteDatabaseAdapter(database);
  assert.equal(adapter.prepare('create table t (x integer)').reader, false);
  adapter.prepare('create table t (x integer)').run([]);
  const insert = adapter.prepare('insert into t (x) values (?), (?)');
  assert.equal(insert.reader, false);
  assert.deepEqual(insert.run([1, 2]), { changes: 2, lastInsertRowid: 2 });
  assert.equal(adapter.prepare('insert into t (x) values (?) returning x').reader, true);
  const select = adapter.prepare('select x from t where x > ? order by x');
  assert.equal(select.reader, true);
  assert.deepEqual(
    select.all([0]).map((r) => (r as { x: number }).x),
    [1, 2],
  );
  assert.deepEqual(
    [...select.iterate([1])].map((r) => (r as { x: number }).x),
    [2],
  );
  adapter.close();
  adapter.close();
});
