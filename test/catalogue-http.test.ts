/** The catalogue over HTTP: least privilege, comparison, and clear errors for unknown ids. */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EXPECTED_PROVIDERS } from './catalogue-fixtures.ts';
import { type HttpFixture, startHttpFixture } from './support/http-fixture.ts';

describe('catalogue API', () => {
  let f: HttpFixture;
  before(async () => {
    f = await startHttpFixture({ seed: false });
  });
  after(() => f.close());

  test('lists every provider with its credential types and features', async () => {
    const res = await f.call('anonymous', 'GET', '/api/v1/catalogue/providers');
    assert.equal(res.statusCode, 200);
    const ids = (res.json() as { items: { id: string }[] }).items.map((p) => p.id).sort();
    for (const id of EXPECTED_PROVIDERS) assert.ok(ids.includes(id), `${id} is listed`);
  });

  test('least privilege for webhooks with a classic PAT is admin:repo_hook, with a creation link', async () => {
    const res = await f.call('anonymous', 'POST', '/api/v1/catalogue/least-privilege', {
      provider: 'github',
      credentialType: 'classic-pat',
      features: ['manage-webhooks'],
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { scopes: { scope: string }[]; tokenCreationUrl?: string };
    assert.deepEqual(
      body.scopes.map((s) => s.scope),
      ['admin:repo_hook'],
    );
    assert.match(
      body.tokenCreationUrl ?? '',
      /^https:\/\/github\.com\/settings\/tokens\/new\?.*scopes=admin:repo_hook/,
    );
  });

  test('compare names the missing scope and the excess one', async () => {
    const res = await f.call('anonymous', 'POST', '/api/v1/catalogue/compare', {
      provider: 'github',
      credentialType: 'classic-pat',
      features: ['manage-webhooks'],
      grantedScopes: ['read:org'],
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { ok: boolean; excess: string[] };
    assert.equal(body.ok, false);
    assert.ok(JSON.stringify(body).includes('admin:repo_hook'));
    assert.deepEqual(body.excess, ['read:org']);
  });

  test('unknown ids answer 400 naming the field, unknown providers 404', async () => {
    const bad = await f.call('anonymous', 'POST', '/api/v1/catalogue/least-privilege', {
      provider: 'nope',
      credentialType: 'x',
      features: [],
    });
    assert.equal(bad.statusCode, 400);
    assert.equal((bad.json() as { error: { code: string } }).error.code, 'validation_failed');
    const feature = await f.call('anonymous', 'POST', '/api/v1/catalogue/least-privilege', {
      provider: 'github',
      credentialType: 'classic-pat',
      features: ['fly'],
    });
    assert.equal(feature.statusCode, 400);
    assert.match(feature.body, /fly/);
    assert.equal((await f.call('anonymous', 'GET', '/api/v1/catalogue/providers/nope')).statusCode, 404);
  });
});
