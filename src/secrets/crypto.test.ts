import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  decodeEncryptedField,
  decryptField,
  type EncryptedField,
  encodeEncryptedField,
  encryptField,
  type FieldBinding,
  IV_BYTES,
  SecretDecryptError,
  TAG_BYTES,
} from './crypto.ts';
import { generateDataKey } from './keyring.ts';

const binding = (): FieldBinding => ({
  workspaceId: randomUUID(),
  integrationId: randomUUID(),
  field: 'token',
  version: 3,
});
const canary = () => `canary-${randomBytes(18).toString('base64url')}`;

function assertRejected(run: () => unknown): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof SecretDecryptError, String(error));
    assert.equal(error.message, 'secret could not be decrypted');
    return true;
  });
}

function flipBit(buffer: Buffer, bit: number): Buffer {
  const copy = Buffer.from(buffer);
  copy[bit >> 3] = (copy[bit >> 3] ?? 0) ^ (1 << (bit & 7));
  return copy;
}

describe('encryptField', () => {
  test('round-trips any string, including empty and non-ASCII', () => {
    const key = generateDataKey();
    const place = binding();
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (value) => {
        assert.equal(decryptField(key, place, encryptField(key, place, value)), value);
      }),
      { numRuns: 500 },
    );
  });

  test('100,000 encryptions under one key: 0 repeated IVs, every IV 12 bytes, every tag 16 bytes', () => {
    const key = generateDataKey();
    const place = binding();
    const ivs = new Set<string>();
    let badLengths = 0;
    for (let index = 0; index < 100_000; index += 1) {
      const sealed = encryptField(key, place, 'x');
      if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) badLengths += 1;
      ivs.add(sealed.iv.toString('hex'));
    }
    assert.equal(badLengths, 0);
    assert.equal(ivs.size, 100_000);
  });

  test('the ciphertext does not contain the plaintext', () => {
    const key = generateDataKey();
    const secret = canary();
    const text = encodeEncryptedField(encryptField(key, binding(), secret));
    assert.ok(!text.includes(secret));
    assert.ok(!text.includes(Buffer.from(secret).toString('base64url')));
  });
});

describe('decryptField rejects tampering (one generic error)', () => {
  const key = generateDataKey();
  const place = binding();
  const sealed = encryptField(key, place, canary());
  const parts = ['ciphertext', 'iv', 'tag'] as const;

  test('2,000 random single-bit flips over ciphertext, IV and tag: 100% rejected', () => {
    let rejected = 0;
    fc.assert(
      fc.property(fc.constantFrom(...parts), fc.nat(), (part, seed) => {
        const target = sealed[part];
        const altered: EncryptedField = { ...sealed, [part]: flipBit(target, seed % (target.length * 8)) };
        assertRejected(() => decryptField(key, place, altered));
        rejected += 1;
      }),
      { numRuns: 2_000 },
    );
    assert.equal(rejected, 2_000);
  });

  test('single-bit flips anywhere in the text form (key id included): 100% rejected', () => {
    const text = encodeEncryptedField(sealed);
    fc.assert(
      fc.property(fc.nat(text.length * 8 - 1), (bit) => {
        const altered = flipBit(Buffer.from(text, 'latin1'), bit).toString('latin1');
        assertRejected(() => decryptField(key, place, decodeEncryptedField(altered)));
      }),
      { numRuns: 2_000 },
    );
    assert.equal(decryptField(key, place, decodeEncryptedField(text)).startsWith('canary-'), true);
  });

  for (const length of [0, 4, 8, 12, 15]) {
    test(`tag cut to ${length} bytes: rejected`, () => {
      assertRejected(() => decryptField(key, place, { ...sealed, tag: sealed.tag.subarray(0, length) }));
    });
  }

  test('with authTagLength 16 the decipher refuses a 4-byte tag prefix and accepts the full tag', () => {
    // Node 24 still decrypts with a 4-byte tag prefix when authTagLength is not given (DEP0182).
    const rawKey = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', rawKey, iv, { authTagLength: 16 });
    const ciphertext = Buffer.concat([cipher.update('value'), cipher.final()]);
    const tag = cipher.getAuthTag();
    const strict = createDecipheriv('aes-256-gcm', rawKey, iv, { authTagLength: 16 });
    assert.throws(() => strict.setAuthTag(tag.subarray(0, 4)));
    const full = createDecipheriv('aes-256-gcm', rawKey, iv, { authTagLength: 16 });
    full.setAuthTag(tag);
    assert.equal(Buffer.concat([full.update(ciphertext), full.final()]).toString(), 'value');
  });

  const moves: Array<[string, Partial<FieldBinding>]> = [
    ['another workspace', { workspaceId: randomUUID() }],
    ['another integration', { integrationId: randomUUID() }],
    ['another field', { field: 'password' }],
    ['an older version', { version: 2 }],
    ['a newer version', { version: 4 }],
  ];
  for (const [name, change] of moves) {
    test(`ciphertext moved to ${name}: rejected`, () => {
      assertRejected(() => decryptField(key, { ...place, ...change }, sealed));
    });
  }

  test('a wrong key is rejected, with its own id or with the right id claimed', () => {
    const other = generateDataKey();
    assertRejected(() => decryptField(other, place, sealed));
    assertRejected(() => decryptField(other, place, { ...sealed, keyId: other.id }));
  });

  test('the AAD encoding cannot be confused by separators inside ids', () => {
    const a = { ...place, integrationId: 'a","b', field: 'c' };
    const b = { ...place, integrationId: 'a', field: 'b","c' };
    assertRejected(() => decryptField(key, b, encryptField(key, a, 'v')));
  });

  test('malformed text forms are rejected with the same error', () => {
    for (const text of ['', 'kh1', 'kh2.0123456789abcdef.a.b.c', `kh1.${key.id}.!!.b.c`, 'kh1.XYZ.a.b.c']) {
      assertRejected(() => decryptField(key, place, decodeEncryptedField(text)));
    }
  });
});
