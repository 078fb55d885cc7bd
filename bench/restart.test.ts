import assert from 'node:assert/strict';
import { test } from 'node:test';
import { postgresTarget, sqliteTarget } from '../src/storage/test-support/test-targets.ts';
import { measureRestarts } from './restart.ts';
import { generateWorkspace, STORED_TEST_SHAPE } from './workspace-generator.ts';

const TINY = { ...STORED_TEST_SHAPE, seed: 9 };

for (const target of [sqliteTarget(), await postgresTarget()]) {
  test(`restart benchmark (${target.kind}): each restarted index decides like one built from the data`, {
    skip: target.skipReason ?? false,
  }, async () => {
    if (target.failReason !== undefined) throw new Error(target.failReason);
    const timings = await measureRestarts(target, generateWorkspace(TINY), 2);
    assert.equal(timings.length, 2);
    // Every table's rows: users' memberships and project roles, groups and theirs, the
    // integrations with their entries (each also has an admins and an others row).
    assert.ok(timings.every((t) => t.rows >= 60 + 6 + 40 + 200 + 40 + 2 * 40));
    assert.ok(
      timings.every((t) =>
        [t.openMs, t.snapshotMs, t.buildMs, t.rowObjectsMs].every((ms) => ms > 0 && Number.isFinite(ms)),
      ),
    );
  });
}
