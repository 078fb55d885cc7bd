import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { isCredentialKey, REDACTED, redactValue } from './redact.ts';
import { SCRUB_MIN_LENGTH, SecretRegistry, secretForms } from './secret-registry.ts';

describe('isCredentialKey', () => {
  const cases: Array<[string, boolean]> = [
    ['Authorization', true],
    ['SET-COOKIE', true],
    ['x-api-key', true],
    ['private_key', true],
    ['privateKey', true],
    ['secretAccessKey', true],
    ['githubToken', true],
    ['webhook_secret', true],
    ['appPassword', true],
    ['credentials', true],
    ['masterKey', true],
    ['accessKeyId', false],
    ['tokenType', false],
    ['keyId', false],
    ['fingerprint', false],
    ['secretFields', false],
    ['name', false],
  ];
  for (const [name, expected] of cases) {
    test(`${name} → ${expected}`, () => assert.equal(isCredentialKey(name), expected));
  }
});

describe('redactValue', () => {
  test('redacts credential keys at any depth and leaves the input untouched', () => {
    const input = { a: { b: [{ Password: 'p', keep: 1 }] }, token: null };
    const output = redactValue(input) as typeof input;
    assert.deepEqual(output, { a: { b: [{ Password: REDACTED, keep: 1 }] }, token: null });
    assert.equal(input.a.b[0]?.Password, 'p');
  });

  test('scrubs registered values, turns errors into plain objects, cuts cycles', () => {
    const registry = new SecretRegistry();
    const secret = randomBytes(16).toString('hex');
    registry.register(secret);
    const cyclic: Record<string, unknown> = { note: `has ${secret}` };
    cyclic['self'] = cyclic;
    const error = new Error(`failed ${secret}`);
    const output = JSON.stringify(redactValue({ cyclic, error, buffer: Buffer.from(secret) }, registry));
    assert.ok(!output.includes(secret));
    assert.match(output, /\[Circular\]/);
    assert.match(output, /"type":"Error"/);
    assert.match(output, /\[Buffer 32 bytes\]/);
  });

  test('a __proto__ key stays data', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
    const output = redactValue(parsed) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(output), Object.prototype);
    assert.deepEqual(Object.keys(output), ['__proto__']);
  });
});

describe('SecretRegistry', () => {
  test('ignores values too short to scrub safely', () => {
    const registry = new SecretRegistry();
    registry.register('a'.repeat(SCRUB_MIN_LENGTH - 1));
    assert.equal(registry.size, 0);
    assert.equal(registry.scrub('aaaaaaa'), 'aaaaaaa');
  });

  test('replaces every occurrence, overlapping secrets included', () => {
    const registry = new SecretRegistry();
    registry.register('abcdefgh12');
    registry.register('abcdefgh1234');
    assert.equal(registry.scrub('abcdefgh1234 abcdefgh12 abcdefgh'), '*** *** abcdefgh');
  });

  test('every form is at least the minimum length', () => {
    for (const form of secretForms('exactly8')) assert.ok(form.length >= SCRUB_MIN_LENGTH);
  });

  test('scrubbing cost grows with the text, not with the number of secrets', () => {
    const few = new SecretRegistry();
    const many = new SecretRegistry();
    for (let i = 0; i < 10; i += 1) few.register(randomBytes(20).toString('base64url'));
    for (let i = 0; i < 10_000; i += 1) many.register(randomBytes(20).toString('base64url'));
    const line = JSON.stringify({ text: randomBytes(600).toString('base64') });
    const time = (registry: SecretRegistry) => {
      const runs = Array.from({ length: 7 }, () => {
        const start = performance.now();
        for (let i = 0; i < 300; i += 1) registry.scrub(line);
        return performance.now() - start;
      });
      return runs.sort((a, b) => a - b)[3] ?? 0;
    };
    time(few);
    time(many);
    const ratio = time(many) / time(few);
    assert.ok(ratio < 5, `10,000 secrets cost ${ratio.toFixed(1)}× what 10 cost`);
  });
});
