import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type DiagnoseInput, diagnose, LAYERS, SCAN_LIMIT } from './index.ts';

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 3000 }),
  fc.string({ unit: 'grapheme', maxLength: 500 }),
  fc.string({ maxLength: 500 }),
);

/** Noise that cannot spell a rule phrase: every phrase has a letter, this alphabet has none. */
const noise = fc.string({
  unit: fc.constantFrom('0', '7', ' ', '\n', '#', ':', '/', '.', '\u00e9'),
  maxLength: 400,
});

describe('diagnose, for any input', () => {
  test('never throws and always answers a known layer', () => {
    fc.assert(
      fc.property(anyText, fc.option(fc.integer()), fc.option(fc.string()), (text, status, provider) => {
        const input: DiagnoseInput = {
          text,
          ...(status === null ? {} : { status }),
          ...(provider === null ? {} : { provider }),
        };
        const result = diagnose(input);
        assert.ok(LAYERS.includes(result.layer));
        assert.ok(result.confidence >= 0 && result.confidence <= 1);
        assert.ok(result.steps.length > 0);
      }),
      { numRuns: 500 },
    );
  });

  test('survives malformed input from untyped callers', () => {
    fc.assert(
      fc.property(
        fc.anything(),
        fc.anything(),
        fc.anything(),
        fc.anything(),
        (text, status, provider, list) => {
          const input = { text, status, provider, integrations: list } as unknown as DiagnoseInput;
          assert.ok(LAYERS.includes(diagnose(input).layer));
        },
      ),
      { numRuns: 300 },
    );
    assert.equal(diagnose(undefined as unknown as DiagnoseInput).layer, 'unknown');
    assert.equal(diagnose({ text: { toString: () => ({}) } } as unknown as DiagnoseInput).layer, 'unknown');
  });

  test('answers unknown, with nothing matched, for random noise', () => {
    fc.assert(
      fc.property(fc.oneof(noise, fc.string({ unit: 'binary-ascii', maxLength: 60 })), (text) => {
        const result = diagnose({ text });
        assert.equal(result.layer, 'unknown', `matched ${result.matched.join(', ')}`);
        assert.equal(result.confidence, 0);
        assert.deepEqual(result.matched, []);
      }),
      { numRuns: 500 },
    );
  });

  test('is deterministic', () => {
    fc.assert(
      fc.property(anyText, fc.option(fc.constantFrom(401, 403, 404, 429)), (text, status) => {
        const input = { text, ...(status === null ? {} : { status }) };
        assert.deepEqual(diagnose(input), diagnose(input));
      }),
      { numRuns: 300 },
    );
  });

  test('keeps its answer when a real error is wrapped in noise', () => {
    const errors: readonly [string, string][] = [
      ['git@github.com: Permission denied (publickey).', 'ssh-key'],
      ['denied: requested access to the resource is denied', 'registry-credential'],
      [
        'An error occurred (AccessDenied) when calling the PutObject operation: Access Denied',
        'backup-storage',
      ],
      ['Missing permissions to the following integration: Docker Hub', 'keyhouse-permission'],
    ];
    fc.assert(
      fc.property(noise, fc.constantFrom(...errors), noise, (before, [error, layer], after) => {
        assert.equal(diagnose({ text: `${before}\n${error}\n${after}` }).layer, layer);
      }),
      { numRuns: 300 },
    );
  });

  test('matches phrases whatever their case and line wrapping', () => {
    const wrapped = 'UNAUTHORIZED: Incorrect Username Or\n   Password';
    assert.equal(diagnose({ text: wrapped }).layer, 'registry-credential');
  });
});

describe('diagnose, on large and adversarial input', () => {
  const TEN_KB = 10 * 1024;
  const adversarial = [
    'a'.repeat(TEN_KB),
    ' '.repeat(TEN_KB),
    'permission to '.repeat(TEN_KB / 14),
    `missing permissions to the following integration:${' '.repeat(TEN_KB)}x`,
    `missing permissions to the following integrations: ${'a, '.repeat(TEN_KB / 3)}`,
    "repository '".repeat(TEN_KB / 12),
    'x509: certificate '.repeat(TEN_KB / 18),
    '\u{1F600}'.repeat(TEN_KB / 2),
    String.fromCharCode(...Array.from({ length: TEN_KB }, (_, i) => (i * 7919) % 65536)),
    `${'0 '.repeat(TEN_KB / 2 - 40)}fatal: Authentication failed for 'https://github.com/o/r.git'`,
  ];

  test('10,000 diagnoses of 10 KB texts finish in bounded time', (t) => {
    const integrations = [
      { id: 'i1', name: 'GitHub', provider: 'github', config: { host: 'https://github.com' } },
    ];
    const started = performance.now();
    for (let i = 0; i < 10_000; i++) {
      const text = adversarial[i % adversarial.length]!;
      diagnose({ text, status: 403, integrations });
    }
    const elapsed = performance.now() - started;
    t.diagnostic(`10,000 diagnoses of 10 KB texts: ${Math.round(elapsed)} ms`);
    assert.ok(elapsed < 60_000, `took ${elapsed} ms`);
  });

  test('scans only the head and tail of a huge text, so its cost is bounded', (t) => {
    const filler = '0'.repeat(20 * 1024 * 1024);
    const started = performance.now();
    const atEnd = diagnose({ text: `${filler}\nHost key verification failed.` });
    const inMiddle = diagnose({ text: `${filler}Host key verification failed.${filler}` });
    const elapsed = performance.now() - started;
    t.diagnostic(`two 20-40 MB texts: ${Math.round(elapsed)} ms (window ${SCAN_LIMIT} characters)`);
    assert.equal(atEnd.layer, 'ssh-key');
    assert.equal(inMiddle.layer, 'unknown');
    assert.ok(elapsed < 5_000, `took ${elapsed} ms`);
  });
});
