import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { inspect } from 'node:util';
import { Worker } from 'node:worker_threads';
import { ConfigError } from '../config/config-error.ts';
import { keyIdOf } from './key-material.ts';
import {
  assertKeyCheck,
  createMasterKey,
  generateMasterKey,
  keyCheckValue,
  loadMasterKey,
  MasterKeyMismatchError,
} from './master-key.ts';

const root = mkdtempSync(join(tmpdir(), 'kh-master-key-'));
after(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshDir = () => join(root, `d${counter++}`);

function expectConfigError(run: () => unknown, key: string, fragment: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.key, key);
    assert.ok(error.message.includes(fragment), error.message);
    return true;
  });
}

describe('master key from the environment', () => {
  test('accepts base64 of 32 bytes and derives the documented key id', () => {
    const bytes = randomBytes(32);
    const loaded = loadMasterKey({ kind: 'inline', secret: bytes.toString('base64') });
    assert.equal(loaded.origin, 'inline');
    assert.deepEqual(loaded.warnings, []);
    assert.equal(loaded.key.id, keyIdOf(bytes));
    assert.match(loaded.key.id, /^[0-9a-f]{16}$/);
    assert.ok(loaded.key.bytes.equals(bytes));
  });

  for (const length of [0, 16, 31, 33, 64]) {
    test(`refuses ${length} bytes, naming KEYHOUSE_MASTER_KEY`, () => {
      const text = length === 0 ? '!!' : randomBytes(length).toString('base64');
      expectConfigError(
        () => loadMasterKey({ kind: 'inline', secret: text }),
        'KEYHOUSE_MASTER_KEY',
        '32 bytes',
      );
    });
  }

  test('never shows the key when serialised or inspected', () => {
    const key = generateMasterKey();
    const base64 = key.bytes.toString('base64');
    const hex = key.bytes.toString('hex');
    for (const shown of [
      JSON.stringify(key),
      inspect(key, { showHidden: false }),
      String(Object.keys(key)),
    ]) {
      assert.ok(!shown.includes(base64) && !shown.includes(hex), shown);
    }
    assert.equal(JSON.stringify({ key }), `{"key":{"id":"${key.id}"}}`);
  });
});

describe('master key file', () => {
  test('first start creates <dataDir>/master.key, owner-only, and warns; the next start reuses it', () => {
    const dir = freshDir();
    const path = join(dir, 'master.key');
    const first = loadMasterKey({ kind: 'default', path });
    assert.equal(first.origin, 'generated');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(first.warnings.length, 1);
    assert.match(first.warnings[0] ?? '', /KEYHOUSE_MASTER_KEY/);
    assert.match(first.warnings[0] ?? '', /backup/);
    const second = loadMasterKey({ kind: 'default', path });
    assert.equal(second.origin, 'data-dir');
    assert.equal(second.key.id, first.key.id);
    assert.equal(readFileSync(path, 'latin1').trim(), first.key.bytes.toString('base64'));
  });

  test('processes starting together agree on one generated key', async () => {
    const path = join(freshDir(), 'master.key');
    const moduleUrl = new URL('./master-key.ts', import.meta.url).href;
    const code = `import { workerData, parentPort } from 'node:worker_threads';
      const { loadMasterKey } = await import(workerData.moduleUrl);
      parentPort.postMessage(loadMasterKey({ kind: 'default', path: workerData.path }).key.id);`;
    const ids = await Promise.all(
      Array.from({ length: 8 }, () => {
        const worker = new Worker(code, { eval: true, workerData: { moduleUrl, path } });
        return new Promise<string>((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
        }).finally(() => worker.terminate());
      }),
    );
    assert.equal(new Set(ids).size, 1);
  });

  for (const mode of [0o600, 0o400]) {
    test(`accepts a key file with mode ${mode.toString(8)}`, () => {
      const path = join(root, `ok-${counter++}.key`);
      const bytes = randomBytes(32);
      writeFileSync(path, `${bytes.toString('base64')}\n`, { mode });
      chmodSync(path, mode);
      assert.equal(loadMasterKey({ kind: 'file', path }).key.id, keyIdOf(bytes));
    });
  }

  for (const mode of [0o644, 0o640, 0o604, 0o660, 0o666, 0o700 | 0o020]) {
    test(`refuses a key file with mode ${mode.toString(8)}`, () => {
      const path = join(root, `loose-${counter++}.key`);
      writeFileSync(path, randomBytes(32).toString('base64'));
      chmodSync(path, mode);
      expectConfigError(() => loadMasterKey({ kind: 'file', path }), 'KEYHOUSE_MASTER_KEY_FILE', 'chmod 600');
    });
  }

  test('accepts exactly 32 raw bytes', () => {
    const path = join(root, `raw-${counter++}.key`);
    const bytes = randomBytes(32);
    writeFileSync(path, bytes, { mode: 0o600 });
    assert.equal(loadMasterKey({ kind: 'file', path }).key.id, keyIdOf(bytes));
  });

  test('refuses a file holding a key of the wrong length', () => {
    const path = join(root, `short-${counter++}.key`);
    writeFileSync(path, randomBytes(16).toString('base64'), { mode: 0o600 });
    expectConfigError(() => loadMasterKey({ kind: 'file', path }), 'KEYHOUSE_MASTER_KEY_FILE', '32 bytes');
  });

  test('refuses a missing file and a directory', () => {
    expectConfigError(
      () => loadMasterKey({ kind: 'file', path: join(root, 'absent.key') }),
      'KEYHOUSE_MASTER_KEY_FILE',
      'ENOENT',
    );
    expectConfigError(
      () => loadMasterKey({ kind: 'file', path: root }),
      'KEYHOUSE_MASTER_KEY_FILE',
      'regular file',
    );
  });
});

describe('key-check value', () => {
  test('the recorded key passes, any other key is refused without revealing either', () => {
    const key = generateMasterKey();
    const recorded = keyCheckValue(key);
    assert.match(recorded, /^[0-9a-f]{64}$/);
    assertKeyCheck(createMasterKey(key.bytes), recorded);
    const other = generateMasterKey();
    assert.throws(
      () => assertKeyCheck(other, recorded),
      (error: unknown) => {
        assert.ok(error instanceof MasterKeyMismatchError);
        assert.ok(!error.message.includes(other.bytes.toString('base64')));
        assert.ok(error.message.includes(other.id));
        return true;
      },
    );
    assert.throws(() => assertKeyCheck(key, recorded.slice(0, 32)), MasterKeyMismatchError);
  });

  test('differs from the key id, so neither can be derived from the other', () => {
    const key = generateMasterKey();
    assert.ok(!keyCheckValue(key).startsWith(key.id));
  });
});
