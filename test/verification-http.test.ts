/**
 * Verification over HTTP with a fake GitHub adapter: verify stores the status and grows the
 * history, DENY hides the routes (404), DELETE_ONLY may not verify (403), the doctor lists its
 * checks, diagnose names the integration of a Keyhouse permission error; no credential leaks.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { overrideAdapter } from '../src/providers/registry.ts';
import type { VerifyInput } from '../src/providers/types.ts';
import { DEFAULT_CATALOGUE_DIR } from '../src/services/catalogue-loader.ts';
import { type HttpFixture, startHttpFixture } from './support/http-fixture.ts';

describe('verification over HTTP', () => {
  let f: HttpFixture;
  let restore: () => void;
  const calls: VerifyInput[] = [];
  const base = '/api/v1/workspaces/default/integrations/gh';

  before(async () => {
    restore = overrideAdapter({
      id: 'github',
      async verify(input) {
        calls.push(input);
        return {
          reach: 'ok',
          identity: { account: 'octocat', accountType: 'user' },
          grantedScopes: ['repo', 'admin:org'],
          checks: [{ id: 'token-valid', title: 'Token valid', outcome: 'pass' }],
          findings: [],
          rateLimit: { limit: 5000, remaining: 4999 },
          requests: 1,
        };
      },
    });
    f = await startHttpFixture();
  });
  after(async () => {
    restore?.();
    await f?.close();
  });

  test('verify stores the status and the history grows', async () => {
    const res = await f.call('member', 'POST', `${base}/verify`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as {
      status: string;
      identity: { account: string };
      findings: { code: string }[];
    };
    assert.equal(body.status, 'excess-scopes');
    assert.equal(body.identity.account, 'octocat');
    assert.ok(body.findings.some((x) => x.code === 'scope_excess'));
    const shown = (await f.call('member', 'GET', base)).json() as { verification: { status: string } };
    assert.equal(shown.verification.status, 'excess-scopes');
    await f.call('admin', 'POST', `${base}/verify`);
    const history = await f.call('member', 'GET', `${base}/verification/history`);
    assert.equal(history.statusCode, 200);
    const items = (history.json() as { items: { status: string; actor: string }[] }).items;
    assert.equal(items.length, 2);
    assert.deepEqual([items[0]?.actor, items[1]?.actor], [f.users.admin, f.users.member]);
  });

  test('the doctor lists its checks', async () => {
    const res = await f.call('collaborator', 'GET', `${base}/doctor`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { ok: boolean; checks: { id: string; outcome: string }[] };
    const ids = body.checks.map((c) => c.id);
    assert.deepEqual(ids.slice(0, 5), [
      'token-valid',
      'scopes',
      'clone-url-form',
      'branch-exists',
      'allow-list',
    ]);
    assert.equal(body.checks.find((c) => c.id === 'token-valid')?.outcome, 'pass');
  });

  test('diagnose names the integration of a Keyhouse permission error', async () => {
    const res = await f.call('member', 'POST', '/api/v1/workspaces/default/diagnose', {
      text: 'Missing permissions to the following integration: GitHub',
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { layer: string; integration?: { id: string; name: string } };
    assert.equal(body.layer, 'keyhouse-permission');
    assert.deepEqual(body.integration, { id: 'gh', name: 'GitHub' });
  });

  test('an invalid diagnose body is a 400 with a code', async () => {
    const res = await f.call('member', 'POST', '/api/v1/workspaces/default/diagnose', { text: '' });
    assert.equal(res.statusCode, 400);
    assert.equal((res.json() as { error: { code: string } }).error.code, 'validation_failed');
  });

  test('DENY hides every verification route (404); DELETE_ONLY may not verify (403)', async () => {
    const current = await f.call('admin', 'GET', `${base}/permissions`);
    const permissions = current.json() as { users: { id: string; level: string }[] };
    const put = await f.call(
      'admin',
      'PUT',
      `${base}/permissions`,
      {
        ...permissions,
        users: [
          ...permissions.users,
          { id: f.users.member, level: 'DENY' },
          { id: f.users.collaborator, level: 'DELETE_ONLY' },
        ],
      },
      { 'if-match': String(current.headers.etag) },
    );
    assert.equal(put.statusCode, 200, put.body);
    const before = calls.length;
    for (const [method, path] of [
      ['POST', `${base}/verify`],
      ['GET', `${base}/verification/history`],
      ['GET', `${base}/doctor`],
    ] as const) {
      const denied = await f.call('member', method, path);
      assert.equal(denied.statusCode, 404, `${method} ${path}`);
      assert.equal((denied.json() as { error: { code: string } }).error.code, 'not_found');
    }
    assert.equal((await f.call('collaborator', 'POST', `${base}/verify`)).statusCode, 403);
    assert.equal(calls.length, before, 'the adapter is never called for a refused caller');
    const diag = await f.call('member', 'POST', '/api/v1/workspaces/default/diagnose', {
      text: 'Missing permissions to the following integration: GitHub',
    });
    assert.equal(
      (diag.json() as { integration?: unknown }).integration,
      undefined,
      'a hidden integration is not named',
    );
  });

  test('the credential the adapter got never reaches a response or a log line', () => {
    const token = calls[0]?.credential['token'];
    assert.ok(token && token.length > 20);
    assert.equal(
      f.bodies.some((b) => b.includes(token)),
      false,
    );
    assert.equal(
      f.logs.some((l) => l.includes(token)),
      false,
    );
  });
});

describe('verification reads the catalogue the server started with', () => {
  let f: HttpFixture | undefined;
  let restore: (() => void) | undefined;
  let dir: string | undefined;
  const seen: VerifyInput[] = [];

  after(async () => {
    restore?.();
    await f?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  test('an adapter gets the catalogue of the configured folder, not the repository copy', async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyhouse-catalogue-'));
    cpSync(fileURLToPath(DEFAULT_CATALOGUE_DIR), dir, { recursive: true });
    const file = join(dir, 'github.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^name: GitHub$/m, 'name: GitHub (this server)'));
    restore = overrideAdapter({
      id: 'github',
      async verify(input) {
        seen.push(input);
        return { reach: 'ok', checks: [], findings: [], requests: 0 };
      },
    });
    f = await startHttpFixture({ catalogueDir: dir });
    const res = await f.call('admin', 'POST', '/api/v1/workspaces/default/integrations/gh/verify');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.catalogue.providers['github']?.name, 'GitHub (this server)');
  });
});
