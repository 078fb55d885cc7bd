import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError } from '../config/config-error.ts';
import { prepareDataDir } from './data-dir.ts';

const root = mkdtempSync(join(tmpdir(), 'kh-data-dir-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('prepareDataDir', () => {
  test('creates a missing directory owner-only, with no warning', () => {
    const dir = join(root, 'new', 'nested');
    assert.deepEqual(prepareDataDir(dir), []);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
  });

  const cases: Array<[number, RegExp | undefined]> = [
    [0o700, undefined],
    [0o750, /readable by group or others \(mode 0750\)/],
    [0o755, /readable by group or others/],
    [0o777, /readable and writable by group or others/],
  ];
  for (const [mode, warning] of cases) {
    test(`an existing directory with mode ${mode.toString(8)} ${warning ? 'warns' : 'passes'}`, () => {
      const dir = join(root, `m${mode.toString(8)}`);
      mkdirSync(dir);
      chmodSync(dir, mode);
      const warnings = prepareDataDir(dir);
      if (warning === undefined) assert.deepEqual(warnings, []);
      else assert.match(warnings[0] ?? '', warning);
    });
  }

  test('a file in the way is refused, naming KEYHOUSE_DATA_DIR', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    assert.throws(
      () => prepareDataDir(file),
      (error: unknown) => error instanceof ConfigError && error.key === 'KEYHOUSE_DATA_DIR',
    );
  });
});
