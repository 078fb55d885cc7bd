import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { generateApiToken, hashApiToken, parseApiToken, verifyApiToken } from './api-tokens.ts';
import { fingerprint } from './fingerprint.ts';

describe('API tokens', () => {
  test('have the documented shape and hash', () => {
    const generated = generateApiToken();
    assert.match(generated.token, /^kh_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    assert.ok(generated.token.startsWith(`kh_${generated.id}_`));
    assert.equal(generated.hash, createHash('sha256').update(generated.token).digest('hex'));
    assert.equal(hashApiToken(generated.token), generated.hash);
    const secret = generated.token.slice(`kh_${generated.id}_`.length);
    assert.equal(Buffer.from(secret, 'base64url').length, 32);
  });

  test('1,000 tokens are all different', () => {
    const tokens = new Set(Array.from({ length: 1_000 }, () => generateApiToken().token));
    assert.equal(tokens.size, 1_000);
  });

  test('parse accepts generated tokens and splits id and secret', () => {
    for (let i = 0; i < 200; i += 1) {
      const { token, id } = generateApiToken();
      const parsed = parseApiToken(token);
      assert.equal(parsed?.id, id);
      assert.equal(`kh_${id}_${parsed?.secret}`, token);
    }
  });

  test('parse refuses anything malformed without throwing', () => {
    const { token } = generateApiToken();
    const bad: unknown[] = [
      undefined,
      null,
      42,
      '',
      'kh_',
      token.slice(0, -1),
      `${token}x`,
      token.replace('kh_', 'KH_'),
      token.replace('kh_', 'gh_'),
      ` ${token}`,
      `${token}\n`,
      `${token.slice(0, 3)}${'G'.repeat(16)}${token.slice(19)}`,
      token.replace(/_([^_]*)$/, '.$1'),
    ];
    for (const value of bad) assert.equal(parseApiToken(value), undefined, String(value));
    fc.assert(fc.property(fc.string(), (text) => parseApiToken(text) === undefined || /^kh_/.test(text)));
  });

  test('verify matches only the exact token', () => {
    const { token, hash } = generateApiToken();
    assert.equal(verifyApiToken(token, hash), true);
    assert.equal(verifyApiToken(`${token.slice(0, -1)}A`, hash), token.endsWith('A'));
    assert.equal(verifyApiToken(generateApiToken().token, hash), false);
    assert.equal(verifyApiToken(token, hash.slice(0, 63)), false);
  });
});

describe('fingerprint', () => {
  test('shows the last 4 characters and a SHA-256 prefix, never more', () => {
    const { token } = generateApiToken();
    const shown = fingerprint(token);
    const digest = createHash('sha256').update(token).digest('hex');
    assert.equal(shown, `…${token.slice(-4)} sha256:${digest.slice(0, 12)}`);
    assert.ok(!shown.includes(token.slice(-8)));
  });

  test('a short secret shows no tail', () => {
    assert.match(fingerprint('hunter2hunter'), /^… sha256:[0-9a-f]{12}$/);
  });

  test('different secrets give different fingerprints', () => {
    const seen = new Set(Array.from({ length: 500 }, () => fingerprint(generateApiToken().token)));
    assert.equal(seen.size, 500);
  });
});
