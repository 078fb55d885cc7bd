import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type FakeApi, startFakeApi } from './verify-fake-api.test-support.ts';

const doctor = (ok: boolean) => ({
  integrationId: 'gh',
  provider: 'github',
  status: ok ? 'verified' : 'missing-scopes',
  ok,
  checkedAt: '2026-01-01T00:00:00.000Z',
  checks: [
    { id: 'token-valid', title: 'Token valid', outcome: 'pass' },
    {
      id: 'branch-exists',
      title: 'Branch exists',
      outcome: ok ? 'pass' : 'fail',
      fix: 'Create branch main.',
    },
    {
      id: 'allow-list',
      title: 'Repository in the allow-list',
      outcome: 'skipped',
      detail: 'Not a GitHub App.',
    },
  ],
});

describe('keyhouse doctor', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi();
  });
  after(async () => api?.close());

  test('prints each check with its result and the fix of a failed one; exit 7 when one fails', async () => {
    api.answers.set('GET /api/v1/workspaces/default/integrations/gh/doctor', [200, doctor(false)]);
    const r = await api.run(['doctor', 'gh'], { columns: 140 });
    assert.equal(r.code, 7);
    assert.match(r.stdout, /Branch exists\s+FAIL\s+-\s+Create branch main\./);
    assert.match(r.stdout, /Repository in the allow-list\s+skip\s+Not a GitHub App\.\s+-/);
  });

  test('exit 0 when nothing fails', async () => {
    api.answers.set('GET /api/v1/workspaces/default/integrations/gh/doctor', [200, doctor(true)]);
    assert.equal((await api.run(['doctor', 'gh'])).code, 0);
  });

  test('a hidden integration is not found', async () => {
    assert.equal((await api.run(['doctor', 'nope'])).code, 5);
  });
});
