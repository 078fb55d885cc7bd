/**
 * SQLite's planner statistics: `refreshStatistics` runs `PRAGMA optimize` at open, every ten
 * minutes, every 1,000 commits and on demand, so the planner knows each table's size and each
 * index's selectivity. The plans that once depended on them (a group's members, an integration's
 * entries found through the workspace's index, reading the whole workspace each time) no longer
 * do since migrations 0004 and 0006: they use the keys before and after a refresh.
 * `foreign-key-plans.test.ts` checks every foreign key's lookup on a fresh database.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CompiledQuery } from 'kysely';
import { openStore, type Store } from '../store.ts';
import { REFRESH_STATISTICS_EVERY_COMMITS } from './sqlite-backend.ts';

const DELETE_INTEGRATION = 'delete from "integrations" where "workspace_id" = ? and "id" = ?';
const GROUP_MEMBERS =
  'select "user_id" from "group_members" where "workspace_id" = ? and "group_id" = ? order by "user_id"';

/** The row count SQLite's statistics hold for `table` (its first index's), or undefined when none. */
async function statisticsRows(store: Store, table: string): Promise<number | undefined> {
  const tables = await store.db.executeQuery<{ n: number }>(
    CompiledQuery.raw(`select count(*) as n from sqlite_master where name = 'sqlite_stat1'`),
  );
  if (tables.rows[0]!.n === 0) return undefined;
  const rows = await store.db.executeQuery<{ stat: string | null }>(
    CompiledQuery.raw('select stat from sqlite_stat1 where tbl = ? and stat is not null', [table]),
  );
  return rows.rows.length === 0 ? undefined : Number(rows.rows[0]!.stat!.split(' ')[0]);
}

async function plan(store: Store, statement: string): Promise<string> {
  const rows = await store.db.executeQuery<{ detail: string }>(
    CompiledQuery.raw(`explain query plan ${statement}`, ['w', 'x']),
  );
  return rows.rows.map((r) => r.detail).join(' | ');
}

/**
 * Runs `fn` on a store with workspace `w` in a fresh data directory, removed afterwards;
 * `reopen` closes the store and opens it again.
 */
async function withStore(fn: (store: Store, reopen: () => Promise<Store>) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kh-stats-'));
  let store = await openStore({ kind: 'sqlite', dataDir });
  try {
    await store.createWorkspace({ id: 'w', name: 'w' });
    await fn(store, async () => {
      await store.close();
      store = await openStore({ kind: 'sqlite', dataDir });
      return store;
    });
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test('refreshStatistics gathers statistics; entries and group members are found by their keys before and after', () =>
  withStore(async (store) => {
    await store.transaction(async (tx) => {
      for (let u = 0; u < 50; u++) {
        await tx.createUser({ id: `u${u}`, login: `u${u}` });
        await tx.setMembership({
          workspaceId: 'w',
          userId: `u${u}`,
          role: 'member',
          roleSource: { kind: 'manual' },
        });
      }
      for (let g = 0; g < 10; g++) {
        await tx.createGroup({ id: `g${g}`, workspaceId: 'w', name: `g${g}` });
        await tx.setGroupMembers(
          'w',
          `g${g}`,
          Array.from({ length: 10 }, (_, k) => `u${(g * 7 + k) % 50}`),
        );
      }
      for (let i = 0; i < 100; i++) await tx.createIntegration(integration(i));
    });
    // Without statistics (the test's premise), and with them: the keys.
    assert.equal(await statisticsRows(store, 'integration_entries'), undefined);
    const keys = async () => {
      const cascade = await plan(store, DELETE_INTEGRATION);
      assert.match(
        cascade,
        /integration_entries USING (COVERING )?INDEX sqlite_autoindex_integration_entries_1 \(integration_id=\?\)/,
        cascade,
      );
      const members = await plan(store, GROUP_MEMBERS);
      assert.match(
        members,
        /group_members USING (COVERING )?INDEX sqlite_autoindex_group_members_1 \(group_id=\?\)/,
        members,
      );
    };
    await keys();
    await store.refreshStatistics();
    // 100 integrations with eight user entries each and their admins and others entries.
    assert.equal(await statisticsRows(store, 'integration_entries'), 1_000);
    await keys();
  }));

test('a store reopened after data grew refreshes the statistics on open', () =>
  withStore(async (store, reopen) => {
    await store.transaction(async (tx) => {
      for (let i = 0; i < 60; i++) await tx.createIntegration(integration(i));
    });
    assert.equal(await statisticsRows(store, 'integration_entries'), undefined, 'not yet');
    assert.equal(await statisticsRows(await reopen(), 'integration_entries'), 600);
  }));

test(`every ${REFRESH_STATISTICS_EVERY_COMMITS} committed transactions refresh the statistics`, () =>
  withStore(async (store) => {
    // One write per transaction, as the API makes them.
    let commits = 0;
    for (; commits < 60; commits++)
      await store.transaction((tx) => tx.createIntegration(integration(commits)));
    for (; commits < REFRESH_STATISTICS_EVERY_COMMITS - 1; commits++)
      await store.transaction((tx) => tx.renameGroup('w', 'none', `n${commits}`));
    assert.equal(await statisticsRows(store, 'integration_entries'), undefined, 'not yet');
    await store.transaction((tx) => tx.renameGroup('w', 'none', 'last'));
    // The refresh is queued on the connection ahead of the next statement.
    assert.equal(await statisticsRows(store, 'integration_entries'), 600);
  }));

/** Integration `i` of workspace `w`, with eight user entries. */
function integration(i: number) {
  return {
    id: `i${i}`,
    workspaceId: 'w',
    scope: { type: 'WORKSPACE' as const },
    provider: 'github',
    credentialType: 'classic-pat',
    name: `i${i}`,
    config: {},
    permissions: {
      admins: { level: 'MANAGE' as const },
      others: { level: 'USE' as const },
      users: Array.from({ length: 8 }, (_, k) => ({ id: `u${(i + k * 3) % 50}`, level: 'USE' as const })),
      groups: [],
    },
    allowedPipelines: 'ALL' as const,
  };
}
