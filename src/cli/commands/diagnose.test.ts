import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type FakeApi, startFakeApi } from './verify-fake-api.test-support.ts';

const route = 'POST /api/v1/workspaces/default/diagnose';

describe('keyhouse diagnose', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi();
    api.answers.set(route, [
      200,
      {
        layer: 'keyhouse-permission',
        confidence: 0.95,
        title: 'The pipeline may not use the integration',
        explanation: 'The integration does not allow this pipeline.',
        steps: ['Add the pipeline to the allowed list of GitHub.', 'Retry the run.'],
        integration: { id: 'gh', name: 'GitHub' },
        matched: ['keyhouse-missing-permissions'],
        alternatives: [{ layer: 'git-credential', confidence: 0.2, rule: 'r', title: 't' }],
      },
    ]);
  });
  after(async () => api?.close());

  test('reads the text from standard input and sends status and provider', async () => {
    const r = await api.run(['diagnose', '--status', '403', '--provider', 'github'], {
      stdin: 'Missing permissions to the following integration: GitHub\n',
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(api.seen.at(-1)?.body, {
      text: 'Missing permissions to the following integration: GitHub\n',
      status: 403,
      provider: 'github',
    });
    assert.match(r.stdout, /Layer\s+keyhouse-permission/);
    assert.match(r.stdout, /Integration\s+GitHub \(gh\)/);
    assert.match(r.stdout, /1\. Add the pipeline/);
    assert.match(r.stdout, /Also possible: git-credential \(20%\)/);
  });

  test('--text instead of standard input', async () => {
    const r = await api.run(['diagnose', '--text', 'denied', '--json']);
    assert.equal(r.code, 0);
    assert.deepEqual(api.seen.at(-1)?.body, { text: 'denied' });
  });

  test('refuses an empty text and a status that is not HTTP', async () => {
    assert.equal((await api.run(['diagnose'], { stdin: '  ' })).code, 2);
    assert.equal((await api.run(['diagnose', '--text', 'x', '--status', '9000'])).code, 2);
  });
});
