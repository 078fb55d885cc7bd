/**
 * Authentication edges on every protected route: missing, malformed, unknown, wrong-secret,
 * revoked and expired tokens all answer 401 with the same body; only public routes answer
 * anonymously. Tokens are stored as hashes only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { routesOf } from '../src/http/app.ts';
import { type HttpFixture, startHttpFixture } from './support/http-fixture.ts';

describe('authentication', () => {
  let f: HttpFixture;
  const bad: Record<string, string> = {};
  before(async () => {
    f = await startHttpFixture();
    const make = async (name: string) => {
      const res = await f.call(
        'admin',
        'POST',
        `/api/v1/workspaces/default/members/${f.users.member}/tokens`,
        { name, expiresInDays: 1 },
      );
      return (res.json() as { token: string; apiToken: { id: string } }).token;
    };
    bad['revoked'] = await make('to revoke');
    const revokedId = /^kh_([0-9a-f]{16})_/.exec(bad['revoked'])![1]!;
    // The member revokes their own token.
    const del = await f.app.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${revokedId}`,
      headers: { authorization: `Bearer ${bad['revoked']}` },
    });
    assert.equal(del.statusCode, 204);
    bad['expired'] = await make('to expire');
    const expiredId = /^kh_([0-9a-f]{16})_/.exec(bad['expired'])![1]!;
    await f.runtime.store.db
      .updateTable('api_tokens')
      .set({ expires_at: Date.now() - 1000 })
      .where('id', '=', expiredId)
      .execute();
    const good = f.tokens.member;
    bad['wrong secret'] = `${good.slice(0, 20)}${good.at(20) === 'A' ? 'B' : 'A'}${good.slice(21)}`;
    bad['unknown'] = `kh_${'0123456789abcdef'}_${'x'.repeat(43)}`;
    bad['malformed'] = 'not-a-token';
    bad['basic scheme'] = '';
  });
  after(() => f.close());

  test('every protected route answers 401, with one body, for every bad credential', async () => {
    const routes = routesOf(f.app).filter((r) => r.auth === 'user');
    assert.ok(routes.length > 40);
    let reference: string | undefined;
    for (const route of routes) {
      const url = route.url.replace(/:([A-Za-z]+)/g, 'x');
      for (const [what, token] of [['none', undefined], ...Object.entries(bad)] as [
        string,
        string | undefined,
      ][]) {
        const headers: Record<string, string> =
          what === 'basic scheme'
            ? { authorization: `Basic ${Buffer.from(`admin:${f.tokens.admin}`).toString('base64')}` }
            : token
              ? { authorization: `Bearer ${token}` }
              : {};
        const res = await f.app.inject({
          method: route.method as 'GET',
          url,
          headers,
          ...(route.method === 'GET' ? {} : { payload: {} }),
        });
        assert.equal(res.statusCode, 401, `${route.method} ${route.url} with ${what} token`);
        reference ??= res.body;
        assert.equal(res.body, reference);
      }
    }
  });

  test('public routes answer anonymously', async () => {
    for (const route of routesOf(f.app).filter(
      (r) => r.auth === 'public' && !r.url.includes('*') && r.method === 'GET',
    )) {
      const res = await f.app.inject({ method: 'GET', url: route.url.replace(/:([A-Za-z]+)/g, 'github') });
      assert.ok(res.statusCode < 400, `${route.url} answered ${res.statusCode}`);
    }
  });

  test('the store keeps token hashes only', async () => {
    const rows = await f.runtime.store.db.selectFrom('api_tokens').selectAll().execute();
    const dump = JSON.stringify(rows);
    for (const token of [f.tokens.admin, f.tokens.member, f.tokens.collaborator]) {
      assert.equal(dump.includes(token.slice(20)), false);
    }
  });
});
