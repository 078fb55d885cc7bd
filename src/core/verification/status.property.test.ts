import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { readCatalogue } from '../../services/catalogue-loader.ts';
import { computeVerification, statusOf } from './status.ts';
import type { IntrospectionFacts, VerificationFinding } from './types.ts';

const catalogue = await readCatalogue();
const github = catalogue.providers['github']!;
const SCOPES = Object.keys(github.scopeSets['oauth']!.scopes);
const FEATURES = Object.keys(github.features);
const NOW = Date.UTC(2026, 0, 1);
const CODES = [
  'credential_invalid',
  'credential_expired',
  'credential_expiring',
  'provider_unreachable',
  'rate_limited',
  'scope_missing',
  'scope_excess',
  'sso_required',
  'branch_missing',
  'note',
];

const findingArb: fc.Arbitrary<VerificationFinding> = fc.record({
  code: fc.constantFrom(...CODES),
  severity: fc.constantFrom('error' as const, 'warning' as const, 'info' as const),
  message: fc.string({ maxLength: 20 }),
});

const factsArb: fc.Arbitrary<IntrospectionFacts> = fc.record(
  {
    reach: fc.constantFrom(
      'ok' as const,
      'invalid' as const,
      'unreachable' as const,
      'rate-limited' as const,
    ),
    grantedScopes: fc.subarray(SCOPES),
    expiresAt: fc.integer({ min: NOW - 30 * 86_400_000, max: NOW + 60 * 86_400_000 }),
    checks: fc.constant([]),
    findings: fc.array(findingArb, { maxLength: 6 }),
  },
  { requiredKeys: ['reach', 'checks', 'findings'] },
);

const inputArb = fc.record({
  features: fc.subarray(FEATURES),
  introspection: factsArb,
  expiryWindowDays: fc.integer({ min: 1, max: 365 }),
  credentialType: fc.constantFrom('classic-pat', 'oauth-app'),
});

test('status is a pure function of its input, and the input is left alone', () => {
  fc.assert(
    fc.property(inputArb, (x) => {
      const input = { catalogue, provider: 'github', now: NOW, ...x };
      const before = JSON.stringify(x);
      const a = computeVerification(input);
      const b = computeVerification(input);
      assert.deepEqual(a, b);
      assert.equal(JSON.stringify(x), before);
    }),
    { numRuns: 300 },
  );
});

test('never verified while a finding is an error', () => {
  fc.assert(
    fc.property(inputArb, (x) => {
      const out = computeVerification({ catalogue, provider: 'github', now: NOW, ...x });
      if (out.findings.some((f) => f.severity === 'error')) assert.notEqual(out.status, 'verified');
    }),
    { numRuns: 500 },
  );
});

test('the order of findings does not change the status', () => {
  fc.assert(
    fc.property(factsArb, fc.integer(), (facts, seed) => {
      const shuffled = [...facts.findings].sort(
        (p, q) => ((seed ^ p.message.length) % 3) - ((seed ^ q.message.length) % 3),
      );
      assert.equal(statusOf(facts.reach, facts.findings), statusOf(facts.reach, [...shuffled].reverse()));
    }),
  );
});
