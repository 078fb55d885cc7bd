import assert from 'node:assert/strict';
import { test } from 'node:test';
import { postgresTarget, sqliteTarget } from '../src/storage/test-support/test-targets.ts';
import { measureCatchUp } from './catch-up.ts';
import { generateWorkspace, STORED_TEST_SHAPE } from './workspace-generator.ts';

for (const target of [sqliteTarget(), await postgresTarget()]) {
  test(`catch-up benchmark (${target.kind}): every write replayed, none rebuilt`, {
    skip: target.skipReason ?? false,
  }, async () => {
    if (target.failReason !== undefined) throw new Error(target.failReason);
    const timings = await measureCatchUp(target, generateWorkspace(STORED_TEST_SHAPE), 5);
    assert.equal(timings.replay.length, 5);
    assert.equal(timings.idle.length, 5);
    assert.equal(timings.rebuild.length, 5);
    assert.ok([...timings.replay, ...timings.rebuild].every((ms) => ms > 0 && Number.isFinite(ms)));
  });
}
