import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { KeyhouseError } from '../core/errors.ts';
import { startVerificationFixture, type VerificationFixture } from './verification-fixture.test-support.ts';

const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

describe('verification service', () => {
  let f: VerificationFixture;
  before(async () => {
    f = await startVerificationFixture(T0);
  });
  after(async () => f?.close());

  test('verifies with the decrypted credential, stores the status, grows the history and audits', async () => {
    const id = await f.integration('main');
    const out = await f.runtime.keyhouse.verifyIntegration(f.admin, 'default', id);
    assert.equal(out.status, 'verified');
    const call = f.adapter.calls.at(-1)!;
    assert.equal(call.credential['token'], f.tokens.get(id));
    assert.deepEqual(call.features, ['clone']);
    assert.equal('__credential' in call.config, false, 'credential metadata is not config');
    assert.equal(f.registry.scrub(`x ${f.tokens.get(id)} y`).includes(f.tokens.get(id)!), false);

    const shown = await f.runtime.keyhouse.getIntegration(f.admin, 'default', id);
    assert.equal(shown.verification.status, 'verified');
    assert.equal(shown.verification.checkedAt, new Date(T0).toISOString());

    f.adapter.answer = () => ({ reach: 'invalid', checks: [], findings: [], requests: 1 });
    f.clock += 1000;
    assert.equal((await f.runtime.keyhouse.verifyIntegration(f.admin, 'default', id)).status, 'invalid');
    const history = await f.runtime.keyhouse.getVerificationHistory(f.admin, 'default', id);
    assert.deepEqual(
      history.items.map((h) => h.status),
      ['invalid', 'verified'],
    );
    const audit = JSON.stringify(await f.runtime.store.listAudit({ workspaceId: 'default', targetId: id }));
    assert.match(audit, /integration\.verify/);
    assert.equal(audit.includes(f.tokens.get(id)!), false, 'no secret in the audit log');
  });

  test('missing scopes come back with the fix; expiry uses the window', async () => {
    const id = await f.integration('narrow', { features: ['clone', 'push'] });
    f.adapter.answer = () => ({
      reach: 'ok',
      grantedScopes: ['read:org'],
      expiresAt: f.clock + 2 * DAY,
      checks: [],
      findings: [],
      requests: 1,
    });
    const out = await f.runtime.keyhouse.verifyIntegration(f.admin, 'default', id);
    assert.equal(out.status, 'missing-scopes');
    assert.ok(out.findings.some((x) => x.code === 'scope_missing' && /repo/.test(x.fix ?? '')));
    assert.ok(out.findings.some((x) => x.code === 'credential_expiring'));
  });

  test('doctor lists the checklist and records nothing', async () => {
    const id = await f.integration('doc');
    f.adapter.answer = () => ({
      reach: 'ok',
      grantedScopes: ['repo'],
      checks: [{ id: 'branch-exists', title: 'Branch exists', outcome: 'fail', fix: 'Create the branch.' }],
      findings: [
        { code: 'branch_missing', severity: 'error', message: 'No branch main.', check: 'branch-exists' },
      ],
      requests: 2,
    });
    const report = await f.runtime.keyhouse.doctor(f.admin, 'default', id);
    assert.equal(report.ok, false);
    const ids = report.checks.map((c) => c.id);
    for (const want of ['token-valid', 'scopes', 'clone-url-form', 'branch-exists', 'allow-list']) {
      assert.ok(ids.includes(want), want);
    }
    assert.equal(report.checks.find((c) => c.id === 'branch-exists')?.outcome, 'fail');
    assert.equal(report.checks.find((c) => c.id === 'clone-url-form')?.outcome, 'skipped');
    assert.deepEqual((await f.runtime.keyhouse.getVerificationHistory(f.admin, 'default', id)).items, []);
  });

  test('no request to a host whose rate limit says wait', async () => {
    const id = await f.integration('limited', { features: ['clone'], host: 'ghe.limited.test' });
    f.adapter.answer = () => ({
      reach: 'ok',
      grantedScopes: ['repo'],
      checks: [],
      findings: [],
      rateLimit: { remaining: 0, resetAt: f.clock + 3_600_000 },
      requests: 1,
    });
    await f.runtime.keyhouse.verifyIntegration(f.admin, 'default', id);
    const calls = f.adapter.calls.length;
    const out = await f.runtime.keyhouse.verifyIntegration(f.admin, 'default', id);
    assert.equal(out.status, 'rate-limited');
    assert.equal(f.adapter.calls.length, calls, 'the adapter was not called');
    f.clock += 3_600_001;
    await f.runtime.keyhouse.verifyIntegration(f.admin, 'default', id);
    assert.equal(f.adapter.calls.length, calls + 1);
  });

  test('an unknown integration is not found', async () => {
    await assert.rejects(
      f.runtime.keyhouse.verifyIntegration(f.admin, 'default', 'nope'),
      (e: unknown) => e instanceof KeyhouseError && e.code === 'not_found',
    );
  });

  test('diagnose names a visible integration from a Keyhouse permission error', async () => {
    await f.integration('Deploy Registry');
    const d = await f.runtime.keyhouse.diagnose(f.admin, 'default', {
      text: 'Missing permissions to the following integration: Deploy Registry',
    });
    assert.equal(d.layer, 'keyhouse-permission');
    assert.equal(d.integration?.name, 'Deploy Registry');
  });
});
