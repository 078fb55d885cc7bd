/**
 * Write races and freshness, on SQLite and on PostgreSQL: concurrent edits with one ETag (exactly
 * one wins), and a revoke through one process is in force on another process's next request.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadConfig } from '../src/config/load-config.ts';
import { buildApp } from '../src/http/app.ts';
import { SecretRegistry } from '../src/logging/secret-registry.ts';
import { startKeyhouse } from '../src/services/runtime.ts';
import { fixtureLocation, startHttpFixture } from './support/http-fixture.ts';

for (const store of ['sqlite', 'postgres'] as const) {
  describe(`concurrent permission edits (${store})`, async () => {
    const where = await fixtureLocation(store);
    if ('skip' in where) {
      test('skipped', { skip: where.skip }, () => undefined);
      return;
    }
    await where.cleanup();
    test('20 PUTs with the same ETag: exactly one succeeds, the rest get 412, nothing is lost', async () => {
      const f = await startHttpFixture({ store });
      try {
        const url = '/api/v1/workspaces/default/integrations/gh/permissions';
        const read = await f.call('admin', 'GET', url);
        const etag = read.headers.etag as string;
        const bodies = Array.from({ length: 20 }, (_, n) => ({
          admins: { level: 'MANAGE' },
          others: { level: n % 2 === 0 ? 'USE' : 'DENY' },
          users: [{ id: f.users.collaborator, level: (['USE', 'MANAGE', 'DENY'] as const)[n % 3] }],
          groups: [],
          allowedPipelines: [{ id: n % 2 === 0 ? 'build' : 'deploy' }],
        }));
        const answers = await Promise.all(
          bodies.map((b) => f.call('admin', 'PUT', url, b, { 'if-match': etag })),
        );
        const statuses = answers.map((a) => a.statusCode).sort();
        assert.deepEqual(statuses, [200, ...Array(19).fill(412)]);
        const winner = bodies[answers.findIndex((a) => a.statusCode === 200)]!;
        const after = await f.call('admin', 'GET', url);
        assert.deepEqual(after.json(), winner, 'the stored state is the winner’s request');
        const audit = await f.call(
          'admin',
          'GET',
          '/api/v1/workspaces/default/audit?action=integration.permissions.update',
        );
        assert.equal(
          (audit.json() as { items: unknown[] }).items.length,
          1,
          'one audit event, for the one change',
        );
        // Without If-Match: 428; with a made-up ETag: 412.
        assert.equal((await f.call('admin', 'PUT', url, winner)).statusCode, 428);
        assert.equal(
          (await f.call('admin', 'PUT', url, winner, { 'if-match': '"integration-gh-v999"' })).statusCode,
          412,
        );
      } finally {
        await f.close();
      }
    });
  });
}

describe('a revoke through one process is in force on another (PostgreSQL)', async () => {
  const where = await fixtureLocation('postgres');
  if ('skip' in where) {
    test('skipped', { skip: where.skip }, () => undefined);
    return;
  }
  test('the next request to the second process after the revoke is refused', async () => {
    const c = where.config;
    assert.equal(c.kind, 'postgres');
    const dir = mkdtempSync(join(tmpdir(), 'keyhouse-two-'));
    const env = {
      KEYHOUSE_DATA_DIR: dir,
      DATABASE_URL: c.kind === 'postgres' ? c.url : '',
      KEYHOUSE_MASTER_KEY: randomBytes(32).toString('base64'),
    };
    const quiet = { secrets: new SecretRegistry(), warn: () => undefined };
    const one = await startKeyhouse(loadConfig(env), quiet);
    const two = await startKeyhouse(loadConfig(env), quiet);
    const [app1, app2] = [
      await buildApp({ keyhouse: one.keyhouse }),
      await buildApp({ keyhouse: two.keyhouse }),
    ];
    try {
      const admin = { authorization: `Bearer ${one.bootstrapToken}` };
      const ws = '/api/v1/workspaces/default';
      const call = (
        app: typeof app1,
        method: string,
        url: string,
        body?: object,
        headers: Record<string, string> = {},
      ) =>
        app.inject({
          method: method as 'GET',
          url,
          headers: { ...admin, ...headers },
          ...(body ? { payload: body } : {}),
        });
      const member = (await call(app1, 'POST', `${ws}/members`, { login: 'dev', role: 'member' })).json() as {
        userId: string;
      };
      const token = (
        (await call(app1, 'POST', `${ws}/members/${member.userId}/tokens`, { name: 't' })).json() as {
          token: string;
        }
      ).token;
      await call(app1, 'POST', `${ws}/integrations`, {
        id: 'gh',
        name: 'GitHub',
        provider: 'github',
        credentialType: 'classic-pat',
        scope: { type: 'WORKSPACE' },
        credential: { token: `ghp_${randomBytes(27).toString('base64url').slice(0, 36)}` },
      });
      const asMember = { authorization: `Bearer ${token}` };
      for (let trial = 0; trial < 20; trial++) {
        const seen = await app2.inject({ method: 'GET', url: `${ws}/integrations/gh`, headers: asMember });
        assert.equal(seen.statusCode, 200, `trial ${trial}: visible before the revoke`);
        const etag = (await call(app1, 'GET', `${ws}/integrations/gh`)).headers.etag as string;
        const revoke = await call(
          app1,
          'PUT',
          `${ws}/integrations/gh/permissions`,
          {
            admins: { level: 'MANAGE' },
            others: { level: 'USE' },
            users: [{ id: member.userId, level: 'DENY' }],
            groups: [],
            allowedPipelines: 'ALL',
          },
          { 'if-match': etag },
        );
        assert.equal(revoke.statusCode, 200);
        const hidden = await app2.inject({ method: 'GET', url: `${ws}/integrations/gh`, headers: asMember });
        assert.equal(hidden.statusCode, 404, `trial ${trial}: the other process refuses at once`);
        const etag2 = (await call(app1, 'GET', `${ws}/integrations/gh`)).headers.etag as string;
        await call(
          app1,
          'PUT',
          `${ws}/integrations/gh/permissions`,
          {
            admins: { level: 'MANAGE' },
            others: { level: 'USE' },
            users: [],
            groups: [],
            allowedPipelines: 'ALL',
          },
          { 'if-match': etag2 },
        );
      }
    } finally {
      await app1.close();
      await app2.close();
      await one.close();
      await two.close();
      await where.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
