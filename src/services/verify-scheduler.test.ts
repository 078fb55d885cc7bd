import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { startVerificationFixture, type VerificationFixture } from './verification-fixture.test-support.ts';
import { createVerifyScheduler } from './verify-scheduler.ts';

const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

describe('verification scheduler', () => {
  let f: VerificationFixture;
  beforeEach(async () => {
    f = await startVerificationFixture(T0);
  });
  afterEach(async () => f?.close());

  test('verifies each due integration once per interval, recorded as the scheduler', async () => {
    const ids = [await f.integration('a'), await f.integration('b'), await f.integration('c')];
    const scheduler = createVerifyScheduler(f.runtime.keyhouse.context);
    assert.equal((await scheduler.tick()).due, 0, 'new integrations wait for their slot');
    f.clock = T0 + 2 * DAY;
    const first = await scheduler.tick();
    assert.equal(first.verified, 3);
    assert.equal(f.adapter.calls.length, 3);
    assert.equal((await scheduler.tick()).due, 0, 'verified once per slot');
    f.clock += DAY;
    assert.equal((await scheduler.tick()).verified, 3);
    const history = await f.runtime.keyhouse.getVerificationHistory(f.admin, 'default', ids[0]!);
    assert.deepEqual(
      history.items.map((h) => h.actor),
      ['scheduler', 'scheduler'],
    );
  });

  test("never exceeds a host's rate limit: waits for its reset", async () => {
    for (const n of ['a', 'b', 'c', 'd']) await f.integration(n);
    f.adapter.answer = () => ({
      reach: 'ok',
      grantedScopes: ['repo'],
      checks: [],
      findings: [],
      rateLimit: { limit: 5000, remaining: 0, resetAt: f.clock + 3_600_000 },
      requests: 1,
    });
    const scheduler = createVerifyScheduler(f.runtime.keyhouse.context);
    f.clock = T0 + 2 * DAY;
    const first = await scheduler.tick();
    assert.equal(f.adapter.calls.length, 1);
    assert.deepEqual([first.verified, first.deferred], [1, 3]);
    f.clock += 3_599_000;
    await scheduler.tick();
    assert.equal(f.adapter.calls.length, 1, 'nothing before the reset');
    f.clock += 2_000;
    await scheduler.tick();
    assert.equal(f.adapter.calls.length, 2, 'one more after the reset, then wait again');
  });

  test('an integration leased by another process is left to it', async () => {
    const id = await f.integration('a');
    await f.integration('b');
    f.clock = T0 + 2 * DAY;
    await f.runtime.store.acquireVerificationLease(id, 'other-process', 60_000);
    const report = await createVerifyScheduler(f.runtime.keyhouse.context, { owner: 'me' }).tick();
    assert.deepEqual([report.verified, report.leased], [1, 1]);
    assert.ok(!f.adapter.calls.some((c) => c.integrationId === id));
  });

  test('two schedulers at once verify each integration once', async () => {
    for (const n of ['a', 'b', 'c', 'd', 'e', 'f']) await f.integration(n);
    f.clock = T0 + 2 * DAY;
    const ctx = f.runtime.keyhouse.context;
    const [x, y] = await Promise.all([
      createVerifyScheduler(ctx, { owner: 'p1', concurrency: 3 }).tick(),
      createVerifyScheduler(ctx, { owner: 'p2', concurrency: 3 }).tick(),
    ]);
    assert.equal(x.verified + y.verified, 6);
    assert.equal(new Set(f.adapter.calls.map((c) => c.integrationId)).size, 6);
    assert.equal(f.adapter.calls.length, 6);
  });
});
