/**
 * Hidden means absent: for an integration at DENY for the caller, every route answers exactly as
 * for an id that never existed (status, body and headers other than date and request id), and the
 * integration is in no list or count.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type HttpFixture, startHttpFixture } from './support/http-fixture.ts';

const VOLATILE = new Set(['date', 'x-request-id', 'content-length', 'keep-alive', 'connection']);

function comparable(res: { statusCode: number; body: string; headers: Record<string, unknown> }) {
  const headers = Object.fromEntries(Object.entries(res.headers).filter(([k]) => !VOLATILE.has(k)));
  return { status: res.statusCode, body: res.body, headers };
}

describe('hidden integrations are indistinguishable from missing ones', () => {
  let f: HttpFixture;
  before(async () => {
    f = await startHttpFixture();
    const url = '/api/v1/workspaces/default/integrations/gh/permissions';
    const etag = (await f.call('admin', 'GET', url)).headers.etag as string;
    const res = await f.call(
      'admin',
      'PUT',
      url,
      {
        admins: { level: 'MANAGE' },
        others: { level: 'USE' },
        users: [{ id: f.users.member, level: 'DENY' }],
        groups: [],
        allowedPipelines: 'ALL',
      },
      { 'if-match': etag },
    );
    assert.equal(res.statusCode, 200);
  });
  after(() => f.close());

  const routes: [string, string, unknown?, Record<string, string>?][] = [
    ['GET', ''],
    ['PATCH', '', { name: 'x' }, { 'if-match': '"integration-ID-v1"' }],
    ['PUT', '/credential', { credential: { token: 'x'.repeat(40) } }, { 'if-match': '"integration-ID-v1"' }],
    ['DELETE', ''],
    ['GET', '/permissions'],
    [
      'PUT',
      '/permissions',
      {
        admins: { level: 'MANAGE' },
        others: { level: 'USE' },
        users: [],
        groups: [],
        allowedPipelines: 'ALL',
      },
      { 'if-match': '"integration-ID-v1"' },
    ],
    ['POST', '/allowed-pipelines', { pipelineId: 'build' }],
  ];
  for (const [method, suffix, body, headers] of routes) {
    test(`${method} …/integrations/{id}${suffix}`, async () => {
      const h = (id: string) =>
        Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, v.replace('ID', id)]));
      const hidden = await f.call(
        'member',
        method,
        `/api/v1/workspaces/default/integrations/gh${suffix}`,
        body,
        h('gh'),
      );
      const missing = await f.call(
        'member',
        method,
        `/api/v1/workspaces/default/integrations/never-existed${suffix}`,
        body,
        h('never-existed'),
      );
      assert.equal(hidden.statusCode, 404);
      assert.deepEqual(comparable(hidden), comparable(missing));
    });
  }

  test('check, explain and what-if answer the same for hidden and missing', async () => {
    for (const path of ['check', 'explain']) {
      const a = await f.call('member', 'POST', `/api/v1/workspaces/default/${path}`, {
        integrationId: 'gh',
        action: 'integration.view',
      });
      const b = await f.call('member', 'POST', `/api/v1/workspaces/default/${path}`, {
        integrationId: 'never-existed',
        action: 'integration.view',
      });
      assert.deepEqual(comparable(a), comparable(b));
    }
    const change = (id: string) => ({
      change: { kind: 'set-default', integrationId: id, which: 'others', level: 'USE' },
    });
    const a = await f.call('member', 'POST', '/api/v1/workspaces/default/what-if', change('gh'));
    const b = await f.call('member', 'POST', '/api/v1/workspaces/default/what-if', change('never-existed'));
    assert.equal(a.statusCode, 404);
    assert.deepEqual(comparable(a), comparable(b));
  });

  test('absent from the list and its count', async () => {
    const list = (await f.call('member', 'GET', '/api/v1/workspaces/default/integrations')).json() as {
      items: { id: string }[];
      total: number;
    };
    assert.equal(
      list.items.some((i) => i.id === 'gh'),
      false,
    );
    assert.equal(list.total, list.items.length);
    const adminList = (await f.call('admin', 'GET', '/api/v1/workspaces/default/integrations')).json() as {
      items: { id: string }[];
    };
    assert.ok(
      adminList.items.some((i) => i.id === 'gh'),
      'the admin still sees it',
    );
  });

  test('the DENY does not break a pipeline allowed to use the integration', async () => {
    const run = await f.call('admin', 'POST', '/api/v1/workspaces/default/runs/check', {
      pipelineId: 'build',
      integrationIds: ['gh'],
    });
    assert.equal((run.json() as { allowed: boolean }).allowed, true);
  });
});
