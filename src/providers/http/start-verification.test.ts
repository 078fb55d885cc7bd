import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { readCatalogue } from '../../services/catalogue-loader.ts';
import type { Finding, VerifyInput } from '../types.ts';
import type { ConfigRead } from './config-check.ts';
import { missingCredentialField } from './config-check.ts';
import { type AuthHeaders, startVerification } from './start-verification.ts';
import { createReport } from './verification-report.ts';

const catalogue = await readCatalogue();

const token = randomBytes(12).toString('hex');

function input(overrides: Partial<VerifyInput> = {}): VerifyInput {
  return {
    catalogue,
    integrationId: 'int-1',
    provider: 'gitea',
    credentialType: 'pat',
    config: { apiBaseUrl: 'http://127.0.0.1:9/api' },
    features: [],
    credential: { token },
    now: 0,
    ...overrides,
  };
}

const badConfig: Finding = { code: 'config_invalid', severity: 'error', message: 'hostUrl: missing.' };
const readConfig = (config: unknown): ConfigRead<{ apiBaseUrl: string }> => {
  const base = (config as { apiBaseUrl?: unknown }).apiBaseUrl;
  return typeof base === 'string'
    ? { ok: true, value: { apiBaseUrl: base } }
    : { ok: false, findings: [badConfig] };
};
const auth = (verify: VerifyInput): AuthHeaders => {
  const secret = verify.credential['token'];
  return secret === undefined
    ? { ok: false, finding: missingCredentialField('token') }
    : { ok: true, headers: { authorization: `Bearer ${secret}` } };
};

describe('startVerification', () => {
  test('a bad config ends as unreachable with its findings, before any request', () => {
    const start = startVerification(input({ config: {} }), { readConfig, auth });
    assert.equal(start.finished?.reach, 'unreachable');
    assert.deepEqual(start.finished?.findings, [badConfig]);
    assert.equal(start.finished?.requests, 0);
  });

  test('a missing credential field ends as invalid; an unsupported type as unreachable', () => {
    const missing = startVerification(input({ credential: {} }), { readConfig, auth });
    assert.equal(missing.finished?.reach, 'invalid');
    assert.deepEqual(missing.finished?.findings, [missingCredentialField('token')]);
    const unsupported: Finding = {
      code: 'verification_unsupported',
      severity: 'warning',
      message: 'Not yet.',
    };
    const other = startVerification(input(), {
      readConfig,
      auth: () => ({ ok: false, finding: unsupported }),
    });
    assert.equal(other.finished?.reach, 'unreachable');
  });

  test('keeps the findings of a given report first', () => {
    const report = createReport();
    const early: Finding = { code: 'app_password_removed', severity: 'warning', message: 'Soon.' };
    report.finding(early);
    const start = startVerification(input({ config: {} }), { readConfig, auth, report });
    assert.deepEqual(start.finished?.findings, [early, badConfig]);
  });

  test('a usable config and credential give a client on the API base with the auth headers', async () => {
    const seen: { url: string; authorization: string | null }[] = [];
    const fetch = async (url: string | URL | Request, init?: RequestInit) => {
      seen.push({ url: String(url), authorization: new Headers(init?.headers).get('authorization') });
      return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const start = startVerification(input(), { readConfig, auth, http: { fetch } });
    assert.equal(start.finished, undefined);
    if (start.finished !== undefined) return;
    assert.deepEqual(start.config, { apiBaseUrl: 'http://127.0.0.1:9/api' });
    await start.client.request('/user');
    assert.deepEqual(seen, [{ url: 'http://127.0.0.1:9/api/user', authorization: `Bearer ${token}` }]);
    assert.deepEqual(start.report.findings, []);
  });
});
