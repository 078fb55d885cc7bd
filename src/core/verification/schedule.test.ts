import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_VERIFY_INTERVAL_MS, isDue, lastSlot, phaseOf } from './schedule.ts';

const DAY = DEFAULT_VERIFY_INTERVAL_MS;
const T0 = Date.UTC(2026, 0, 1);

describe('verification schedule', () => {
  test('phases spread a thousand integrations over the day', () => {
    const perHour = new Array<number>(24).fill(0);
    for (let i = 0; i < 1000; i++) perHour[Math.floor(phaseOf(`integration-${i}`, DAY) / 3_600_000)]! += 1;
    // Even spread is ~42 per hour; no hour gets more than twice that or none.
    assert.ok(Math.max(...perHour) < 84, `busiest hour: ${Math.max(...perHour)}`);
    assert.ok(Math.min(...perHour) > 0);
  });

  test('due once per interval, at its slot', () => {
    const id = 'gh-main';
    const slot = lastSlot(id, T0 + 3 * DAY, DAY);
    assert.equal(isDue(id, slot - 1, T0, slot, DAY), true);
    assert.equal(isDue(id, slot, T0, slot, DAY), false, 'just checked');
    assert.equal(isDue(id, slot, T0, slot + DAY - 1, DAY), false, 'before the next slot');
    assert.equal(isDue(id, slot, T0, slot + DAY, DAY), true, 'at the next slot');
  });

  test('a new integration waits for its first slot', () => {
    const created = T0 + 5 * DAY;
    const next = lastSlot('new', created, DAY) + DAY;
    assert.equal(isDue('new', undefined, created, next - 1, DAY), false);
    assert.equal(isDue('new', undefined, created, next, DAY), true);
  });

  test('the last slot is at most one interval back and lands on the phase', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.integer({ min: 0, max: 2 ** 45 }),
        fc.integer({ min: 1, max: 10 * DAY }),
        (id, now, interval) => {
          const slot = lastSlot(id, now, interval);
          assert.ok(slot <= now && now - slot < interval);
          assert.equal((((slot - phaseOf(id, interval)) % interval) + interval) % interval, 0);
        },
      ),
    );
  });
});
