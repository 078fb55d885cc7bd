import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createProgress, progressLine } from './progress.ts';
import { createTestIO } from './test-io.ts';

describe('progress display', () => {
  test('is silent when standard error is not a terminal', () => {
    const t = createTestIO();
    const p = createProgress(t.io, { label: 'Verifying', total: 3 });
    p.tick();
    p.done('done');
    assert.equal(t.stderr(), '');
    assert.equal(t.stdout(), '');
  });

  test('draws a counter on a terminal and clears it at the end', () => {
    const t = createTestIO({ stderrTTY: true, columns: 80 });
    const p = createProgress(t.io, { label: 'Verifying', total: 4, animate: false });
    p.tick(1, 'gh-main');
    p.tick(2);
    assert.match(t.stderr(), /Verifying 1\/4 \(25%\) gh-main/);
    assert.match(t.stderr(), /Verifying 3\/4 \(75%\)/);
    p.done('Verified 4 integrations.');
    assert.ok(t.stderr().endsWith('\r\u001b[2KVerified 4 integrations.\n'));
    assert.equal(t.stdout(), '');
  });

  test('counts without a total and neutralises control characters in names', () => {
    assert.equal(progressLine('*', 'Syncing', 7, undefined, ''), '* Syncing 7');
    const t = createTestIO({ stderrTTY: true });
    const p = createProgress(t.io, { label: 'x', animate: false });
    p.tick(1, 'bad\u001b[31mname');
    p.done();
    assert.ok(!t.stderr().includes('\u001b[31m'));
  });
});
