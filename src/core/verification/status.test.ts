import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readCatalogue } from '../../services/catalogue-loader.ts';
import { computeVerification, statusOf } from './status.ts';
import type { IntrospectionFacts, VerificationFinding, VerificationStatus } from './types.ts';

const catalogue = await readCatalogue();
const NOW = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

const finding = (code: string, severity: VerificationFinding['severity'] = 'error'): VerificationFinding => ({
  code,
  severity,
  message: code,
});

function facts(over: Partial<IntrospectionFacts> = {}): IntrospectionFacts {
  return { reach: 'ok', checks: [], findings: [], ...over };
}

const CASES: readonly [
  name: string,
  features: string[],
  facts: IntrospectionFacts,
  want: VerificationStatus,
][] = [
  ['enough scopes, nothing more', ['clone'], facts({ grantedScopes: ['repo'] }), 'verified'],
  ['a scope no feature needs', ['clone'], facts({ grantedScopes: ['repo', 'admin:org'] }), 'excess-scopes'],
  ['a missing scope', ['clone'], facts({ grantedScopes: ['read:org'] }), 'missing-scopes'],
  ['no scope at all', ['clone', 'push'], facts({ grantedScopes: [] }), 'missing-scopes'],
  ['401 from the host', ['clone'], facts({ reach: 'invalid' }), 'invalid'],
  ['network failure', ['clone'], facts({ reach: 'unreachable' }), 'unreachable'],
  ['rate limited', ['clone'], facts({ reach: 'rate-limited' }), 'rate-limited'],
  [
    'expires within the window',
    ['clone'],
    facts({ grantedScopes: ['repo'], expiresAt: NOW + 3 * DAY }),
    'expiring',
  ],
  [
    'expires after the window',
    ['clone'],
    facts({ grantedScopes: ['repo'], expiresAt: NOW + 30 * DAY }),
    'verified',
  ],
  ['expired', ['clone'], facts({ grantedScopes: ['repo'], expiresAt: NOW - DAY }), 'expired'],
  ['expired beats missing scopes', ['clone'], facts({ grantedScopes: [], expiresAt: NOW - DAY }), 'expired'],
  [
    'invalid beats expired',
    ['clone'],
    facts({ reach: 'invalid', expiresAt: NOW - DAY, findings: [finding('credential_invalid')] }),
    'invalid',
  ],
  ['missing beats expiring', ['clone'], facts({ grantedScopes: [], expiresAt: NOW + DAY }), 'missing-scopes'],
  [
    'expiring beats excess',
    ['clone'],
    facts({ grantedScopes: ['repo', 'gist'], expiresAt: NOW + DAY }),
    'expiring',
  ],
  [
    'a failed probe is an error: never verified',
    ['clone'],
    facts({ grantedScopes: ['repo'], findings: [finding('repository_not_in_allow_list')] }),
    'missing-scopes',
  ],
  [
    'an adapter warning alone keeps verified',
    ['clone'],
    facts({ grantedScopes: ['repo'], findings: [finding('sso_unknown', 'warning')] }),
    'verified',
  ],
  [
    'probe-only credential with a scope_missing finding',
    ['push'],
    facts({ findings: [finding('scope_missing')] }),
    'missing-scopes',
  ],
];

describe('verification status', () => {
  for (const [name, features, intro, want] of CASES) {
    test(`${name} → ${want}`, () => {
      const out = computeVerification({
        catalogue,
        provider: 'github',
        credentialType: 'classic-pat',
        features,
        introspection: intro,
        now: NOW,
      });
      assert.equal(out.status, want);
    });
  }

  test('a missing scope names what to add and the prefilled token link', () => {
    const out = computeVerification({
      catalogue,
      provider: 'github',
      credentialType: 'classic-pat',
      features: ['clone'],
      host: 'github.example.com',
      introspection: facts({ grantedScopes: ['read:org'] }),
      now: NOW,
    });
    const missing = out.findings.find((f) => f.code === 'scope_missing');
    assert.ok(missing);
    assert.equal(missing.severity, 'error');
    assert.match(missing.fix ?? '', /Add repo/);
    assert.match(missing.fix ?? '', /https:\/\/github\.example\.com\/settings\/tokens\/new\?.*scopes=repo/);
    const check = out.checks.find((c) => c.id === 'scopes');
    assert.equal(check?.outcome, 'fail');
  });

  test('the expiry window is configurable', () => {
    const intro = facts({ grantedScopes: ['repo'], expiresAt: NOW + 20 * DAY });
    const base = { catalogue, provider: 'github', credentialType: 'classic-pat', features: ['clone'] };
    assert.equal(computeVerification({ ...base, introspection: intro, now: NOW }).status, 'verified');
    assert.equal(
      computeVerification({ ...base, introspection: intro, now: NOW, expiryWindowDays: 30 }).status,
      'expiring',
    );
  });

  test("our scope and expiry findings replace the adapter's, others are kept", () => {
    const intro = facts({
      grantedScopes: ['repo'],
      expiresAt: NOW + 60 * DAY,
      findings: [
        finding('scope_missing'),
        finding('credential_expiring', 'warning'),
        finding('sso_required'),
      ],
    });
    const out = computeVerification({
      catalogue,
      provider: 'github',
      credentialType: 'classic-pat',
      features: ['clone'],
      introspection: intro,
      now: NOW,
    });
    assert.deepEqual(
      out.findings.map((f) => f.code),
      ['sso_required'],
    );
  });

  test('an unknown feature is a catalogue warning, not a crash', () => {
    const out = computeVerification({
      catalogue,
      provider: 'github',
      credentialType: 'classic-pat',
      features: ['no-such-feature'],
      introspection: facts({ grantedScopes: ['repo'] }),
      now: NOW,
    });
    assert.equal(out.status, 'verified');
    assert.equal(out.findings[0]?.code, 'catalogue_mismatch');
    assert.equal(out.checks.find((c) => c.id === 'scopes')?.outcome, 'skipped');
  });

  test('a token-valid check is added when the adapter has none', () => {
    const out = computeVerification({
      catalogue,
      provider: 'github',
      credentialType: 'classic-pat',
      features: [],
      introspection: facts({ reach: 'invalid' }),
      now: NOW,
    });
    assert.equal(out.checks.find((c) => c.id === 'token-valid')?.outcome, 'fail');
  });

  test('statusOf follows the documented precedence', () => {
    assert.equal(
      statusOf('ok', [finding('credential_expiring', 'warning'), finding('scope_excess', 'warning')]),
      'expiring',
    );
    assert.equal(statusOf('ok', [finding('provider_unreachable'), finding('scope_missing')]), 'unreachable');
    assert.equal(
      statusOf('ok', [finding('credential_expired'), finding('rate_limited', 'warning')]),
      'expired',
    );
    assert.equal(statusOf('ok', []), 'verified');
  });
});
