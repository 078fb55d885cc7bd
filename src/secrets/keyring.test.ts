import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type FieldBinding, SecretDecryptError } from './crypto.ts';
import {
  generateDataKey,
  Keyring,
  rewrapAll,
  unwrapDataKey,
  type WrappedDataKey,
  wrapDataKey,
} from './keyring.ts';
import { generateMasterKey } from './master-key.ts';

const place = (workspaceId: string, field = 'token'): FieldBinding => ({
  workspaceId,
  integrationId: randomUUID(),
  field,
  version: 1,
});

describe('wrapping data keys', () => {
  test('wrap then unwrap gives the same key', () => {
    const master = generateMasterKey();
    const dataKey = generateDataKey();
    const wrapped = wrapDataKey(master, 'ws-1', dataKey);
    assert.equal(wrapped.keyId, dataKey.id);
    assert.equal(wrapped.masterKeyId, master.id);
    assert.equal(wrapped.wrapped.length, 60);
    assert.ok(!wrapped.wrapped.includes(dataKey.bytes));
    assert.ok(unwrapDataKey(master, wrapped).bytes.equals(dataKey.bytes));
  });

  test('a wrapped key moved to another workspace, or under another master, or altered, is refused', () => {
    const master = generateMasterKey();
    const wrapped = wrapDataKey(master, 'ws-1', generateDataKey());
    const other = generateMasterKey();
    const cases: Array<[string, () => unknown]> = [
      ['other workspace', () => unwrapDataKey(master, { ...wrapped, workspaceId: 'ws-2' })],
      ['other master', () => unwrapDataKey(other, wrapped)],
      ['other master claiming its id', () => unwrapDataKey(other, { ...wrapped, masterKeyId: other.id })],
      ['other key id', () => unwrapDataKey(master, { ...wrapped, keyId: generateDataKey().id })],
      ['short', () => unwrapDataKey(master, { ...wrapped, wrapped: wrapped.wrapped.subarray(0, 56) })],
    ];
    for (const [name, run] of cases) assert.throws(run, SecretDecryptError, name);
    fc.assert(
      fc.property(fc.nat(60 * 8 - 1), (bit) => {
        const bytes = Buffer.from(wrapped.wrapped);
        bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        assert.throws(() => unwrapDataKey(master, { ...wrapped, wrapped: bytes }), SecretDecryptError);
      }),
      { numRuns: 480 },
    );
  });
});

describe('rewrapAll (keys rotate)', () => {
  test('every value stays decryptable, the master key id changes, ciphertexts are untouched', () => {
    const oldMaster = generateMasterKey();
    const ring = new Keyring(oldMaster);
    const stored: WrappedDataKey[] = [];
    const values: Array<{ binding: FieldBinding; sealed: ReturnType<Keyring['encrypt']>; plain: string }> =
      [];
    for (let w = 0; w < 20; w += 1) {
      const workspaceId = `ws-${w}`;
      stored.push(ring.createWorkspaceKey(workspaceId));
      for (let i = 0; i < 10; i += 1) {
        const binding = place(workspaceId);
        const plain = randomBytes(24).toString('base64');
        values.push({ binding, plain, sealed: ring.encrypt(binding, plain) });
      }
    }
    const newMaster = generateMasterKey();
    const rewrapped = rewrapAll(stored, oldMaster, newMaster);
    assert.equal(rewrapped.length, stored.length);
    assert.ok(rewrapped.every((key) => key.masterKeyId === newMaster.id && key.masterKeyId !== oldMaster.id));
    assert.deepEqual(
      rewrapped.map((key) => key.keyId),
      stored.map((key) => key.keyId),
    );
    const fresh = new Keyring(newMaster);
    for (const key of rewrapped) fresh.add(key);
    for (const { binding, sealed, plain } of values) assert.equal(fresh.decrypt(binding, sealed), plain);
    // The old master no longer opens the new set.
    assert.throws(() => new Keyring(oldMaster).add(rewrapped[0] as WrappedDataKey), SecretDecryptError);
  });

  test('an interrupted rotation resumes: keys already re-wrapped pass through', () => {
    const oldMaster = generateMasterKey();
    const newMaster = generateMasterKey();
    const stored = Array.from({ length: 6 }, (_, i) => wrapDataKey(oldMaster, `ws-${i}`, generateDataKey()));
    const half = [...rewrapAll(stored.slice(0, 3), oldMaster, newMaster), ...stored.slice(3)];
    const done = rewrapAll(half, oldMaster, newMaster);
    assert.deepEqual(done.slice(0, 3), half.slice(0, 3));
    for (const key of done) assert.equal(unwrapDataKey(newMaster, key).id, key.keyId);
  });

  test('a key under neither master stops the rotation', () => {
    const stray = wrapDataKey(generateMasterKey(), 'ws', generateDataKey());
    assert.throws(() => rewrapAll([stray], generateMasterKey(), generateMasterKey()), SecretDecryptError);
  });

  test('Keyring.withMaster keeps the current key and counts of each workspace', () => {
    const oldMaster = generateMasterKey();
    const ring = new Keyring(oldMaster);
    const first = ring.createWorkspaceKey('ws');
    const second = ring.createWorkspaceKey('ws');
    const earlier = place('ws');
    const sealedEarly = ring.encrypt(earlier, 'a');
    assert.equal(sealedEarly.keyId, second.keyId);
    const newMaster = generateMasterKey();
    const next = ring.withMaster(newMaster, rewrapAll([second, first], oldMaster, newMaster));
    assert.equal(next.masterKeyId, newMaster.id);
    assert.equal(next.encrypt(place('ws'), 'b').keyId, second.keyId);
    assert.equal(next.decrypt(earlier, sealedEarly), 'a');
    assert.equal(next.counts().get(second.keyId), 2);
  });
});

describe('Keyring', () => {
  test('a workspace never decrypts with another workspace key', () => {
    const ring = new Keyring(generateMasterKey());
    ring.createWorkspaceKey('a');
    ring.createWorkspaceKey('b');
    const binding = place('a');
    const sealed = ring.encrypt(binding, 'value');
    assert.throws(() => ring.decrypt({ ...binding, workspaceId: 'b' }, sealed), SecretDecryptError);
  });

  test('destroying a workspace key makes its values unreadable (crypto-shredding)', () => {
    const ring = new Keyring(generateMasterKey());
    ring.createWorkspaceKey('gone');
    ring.createWorkspaceKey('kept');
    const gone = place('gone');
    const kept = place('kept');
    const sealedGone = ring.encrypt(gone, 'x');
    const sealedKept = ring.encrypt(kept, 'y');
    ring.destroyWorkspace('gone');
    assert.throws(() => ring.decrypt(gone, sealedGone), SecretDecryptError);
    assert.throws(() => ring.encrypt(gone, 'z'));
    assert.equal(ring.decrypt(kept, sealedKept), 'y');
  });

  test('warns once at the threshold and refuses past the limit', () => {
    const warnings: string[] = [];
    const ring = new Keyring(generateMasterKey(), {
      warnAt: 3,
      limit: 5,
      onWarning: (message) => warnings.push(message),
    });
    ring.createWorkspaceKey('ws');
    for (let i = 0; i < 5; i += 1) ring.encrypt(place('ws'), 'v');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /rotate/);
    assert.throws(() => ring.encrypt(place('ws'), 'v'), /encryption limit/);
  });

  test('a persisted count resumes', () => {
    const master = generateMasterKey();
    const wrapped = new Keyring(master).createWorkspaceKey('ws');
    const ring = new Keyring(master, { limit: 10 });
    ring.add(wrapped, { encryptions: 10 });
    assert.throws(() => ring.encrypt(place('ws'), 'v'), /encryption limit/);
  });
});
