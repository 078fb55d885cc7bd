import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { VERIFY_FAILED_EXIT_CODE } from './verify.ts';
import { type FakeApi, startFakeApi, verification } from './verify-fake-api.test-support.ts';

const ws = '/api/v1/workspaces/default';

describe('keyhouse verify', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi();
    api.answers.set(`GET ${ws}/integrations`, [
      200,
      {
        items: [
          { id: 'gh', name: 'GitHub' },
          { id: 'gl', name: 'GitLab' },
          { id: 'gone', name: 'Gone' },
        ],
        total: 3,
      },
    ]);
    api.answers.set(`POST ${ws}/integrations/gh/verify`, [200, verification('gh', 'verified')]);
    api.answers.set(`POST ${ws}/integrations/gl/verify`, [
      200,
      verification('gl', 'missing-scopes', [
        {
          code: 'scope_missing',
          severity: 'error',
          message: 'Feature push needs write_repository.',
          fix: 'Add it.',
        },
      ]),
    ]);
  });
  after(async () => api?.close());

  test('verifies one integration and prints status and findings', async () => {
    const r = await api.run(['verify', 'gl']);
    assert.equal(r.code, VERIFY_FAILED_EXIT_CODE);
    assert.match(r.stdout, /Status\s+missing-scopes/);
    assert.match(r.stdout, /scope_missing/);
    assert.match(r.stdout, /Add it\./);
  });

  test('a working integration exits 0', async () => {
    const r = await api.run(['verify', 'gh', '--json']);
    assert.equal(r.code, 0);
    assert.equal((JSON.parse(r.stdout) as { status: string }).status, 'verified');
  });

  test('--all verifies each, shows progress on a terminal and a summary table', async () => {
    const r = await api.run(['verify', '--all'], { stderrTTY: true, columns: 120 });
    assert.equal(r.code, VERIFY_FAILED_EXIT_CODE);
    const posted = api.seen.filter((s) => s.route.endsWith('/verify')).map((s) => s.route);
    assert.ok(posted.includes(`POST ${ws}/integrations/gone/verify`));
    assert.match(r.stderr, /Verifying 3\/3/);
    assert.match(r.stderr, /Verified 3 integrations, 2 not working\./);
    assert.match(r.stdout, /gh\s+GitHub\s+verified/);
    assert.match(r.stdout, /gl\s+GitLab\s+missing-scopes\s+Feature push/);
    assert.match(r.stdout, /gone\s+Gone\s+error \(not_found\)/);
  });

  test('needs an id or --all, not both', async () => {
    assert.equal((await api.run(['verify'])).code, 2);
    assert.equal((await api.run(['verify', 'gh', '--all'])).code, 2);
  });
});
