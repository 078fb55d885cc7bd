/**
 * The Gitea adapter against a local Gitea: enough scopes, scopes named by a 403 (granted ones in
 * the newer wording, required ones only in the older), invalid tokens, the admin role for
 * webhooks, branch and clone URL, 429 back-off, and recorded examples.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Catalogue } from '../src/core/catalogue/index.ts';
import { createGiteaAdapter, parseScopeRefusal } from '../src/providers/gitea/index.ts';
import { loadFixtures, shapeDifferences } from '../src/providers/http/test-support/fake-server.ts';
import type { Introspection, VerifyInput } from '../src/providers/types.ts';
import { readCatalogue } from '../src/services/catalogue-loader.ts';
import { type FakeGitea, startGiteaFake } from './fakes/gitea/gitea-fake.ts';

const REPOS = [
  { owner: 'acme', name: 'widgets', access: { alice: 'admin', bob: 'write' } as const, branches: ['main'] },
];
let catalogue: Catalogue;
let fake: FakeGitea;
before(async () => {
  catalogue = await readCatalogue();
  fake = await startGiteaFake({ repositories: REPOS });
});
after(() => fake.close());

function input(token: string, overrides: Partial<VerifyInput> = {}): VerifyInput {
  return {
    catalogue,
    integrationId: 'int-1',
    provider: 'gitea',
    credentialType: 'access-token',
    config: { apiBaseUrl: fake.apiBaseUrl, owner: 'acme', repository: 'widgets', branch: 'main' },
    features: ['clone', 'list-repositories'],
    credential: { token },
    now: Date.now(),
    ...overrides,
  };
}
const codes = (result: Introspection) => result.findings.map((finding) => finding.code);
const check = (result: Introspection, id: string) => result.checks.find((entry) => entry.id === id)?.outcome;

describe('Gitea adapter', () => {
  test('parses both wordings of the scope refusal', () => {
    assert.deepEqual(
      parseScopeRefusal(
        'token does not have at least one of required scope(s), required=[read:user read:repository], token scope=write:issue,read:package',
      ),
      {
        required: ['read:user', 'read:repository'],
        granted: ['write:issue', 'read:package'],
      },
    );
    assert.deepEqual(
      parseScopeRefusal('token does not have at least one of required scope(s): [read:user]'),
      { required: ['read:user'] },
    );
    assert.equal(parseScopeRefusal('not found'), undefined);
  });

  test('a token with enough scopes passes every probe and check', async () => {
    const token = fake.addToken({ user: 'alice', scopes: ['read:user', 'read:repository'] });
    const result = await createGiteaAdapter().verify(input(token));
    assert.equal(result.reach, 'ok');
    assert.equal(result.identity?.account, 'alice');
    assert.deepEqual(codes(result), []);
    assert.equal(result.grantedScopes, undefined, 'Gitea does not list scopes unless it refuses');
    for (const id of ['token-valid', 'scopes', 'repository-access', 'branch-exists', 'clone-url-form'])
      assert.equal(check(result, id), 'pass', id);
    assert.equal(result.requests, 4);
    assert.ok(!JSON.stringify(result).includes(token));
  });

  test('a 403 in the newer wording yields the granted scopes and the missing ones', async () => {
    const token = fake.addToken({ user: 'alice', scopes: ['read:repository'] });
    const result = await createGiteaAdapter().verify(input(token));
    assert.equal(result.reach, 'ok');
    assert.deepEqual(result.grantedScopes, ['read:repository']);
    const missing = result.findings.filter((finding) => finding.code === 'scope_missing');
    assert.equal(missing.length, 1);
    assert.match(missing[0]!.message, /list-repositories needs read:user/);
  });

  test('a 403 in the older wording yields scope_missing findings without granted scopes', async () => {
    const legacy = await startGiteaFake({ repositories: REPOS, legacyScopeMessage: true });
    try {
      const token = legacy.addToken({ user: 'alice', scopes: ['read:repository'] });
      const result = await createGiteaAdapter().verify(
        input(token, { config: { apiBaseUrl: legacy.apiBaseUrl, owner: 'acme', repository: 'widgets' } }),
      );
      assert.equal(result.grantedScopes, undefined);
      assert.equal(check(result, 'scopes'), 'fail');
      assert.ok(
        result.findings.some(
          (finding) => finding.code === 'scope_missing' && /read:user/.test(finding.message),
        ),
      );
    } finally {
      await legacy.close();
    }
  });

  test('an unknown token is invalid', async () => {
    const result = await createGiteaAdapter().verify(input('0'.repeat(40)));
    assert.equal(result.reach, 'invalid');
    assert.deepEqual(codes(result), ['credential_invalid']);
  });

  test('webhooks need repository admin: a writer is reported', async () => {
    const token = fake.addToken({ user: 'bob', scopes: ['write:repository'] });
    const result = await createGiteaAdapter().verify(input(token, { features: ['manage-webhooks', 'push'] }));
    assert.equal(check(result, 'role'), 'fail');
    const role = result.findings.filter((finding) => finding.code === 'role_insufficient');
    assert.equal(role.length, 1);
    assert.match(role[0]!.message, /manage-webhooks needs admin .* has write/);
  });

  test('a missing branch, a hidden repository and an SSH clone URL are reported', async () => {
    const token = fake.addToken({ user: 'alice', scopes: ['all'] });
    const config = {
      apiBaseUrl: fake.apiBaseUrl,
      owner: 'acme',
      repository: 'widgets',
      branch: 'gone',
      cloneUrl: 'ssh://git@127.0.0.1/acme/widgets.git',
    };
    const result = await createGiteaAdapter().verify(input(token, { config }));
    assert.equal(check(result, 'branch-exists'), 'fail');
    assert.equal(check(result, 'clone-url-form'), 'fail');
    const hidden = await createGiteaAdapter().verify(
      input(token, { config: { apiBaseUrl: fake.apiBaseUrl, owner: 'acme', repository: 'secret' } }),
    );
    assert.equal(check(hidden, 'repository-access'), 'fail');
  });

  test('a 429 from a proxy is retried after Retry-After', async () => {
    const busy = await startGiteaFake({ repositories: REPOS, throttleFirst: 1 });
    const waits: number[] = [];
    try {
      const token = busy.addToken({ user: 'alice', scopes: ['read:user', 'read:repository'] });
      const result = await createGiteaAdapter({
        http: { sleep: async (ms) => void waits.push(ms) },
      }).verify(input(token, { config: { apiBaseUrl: busy.apiBaseUrl } }));
      assert.equal(result.reach, 'ok');
      assert.equal(waits.length, 1);
      assert.ok(waits[0]! > 1000 && waits[0]! <= 2000);
    } finally {
      await busy.close();
    }
  });

  test('the fake answers the recorded examples with the same status and shape', async () => {
    for (const fixture of loadFixtures(new URL('./fakes/gitea/__fixtures__/', import.meta.url))) {
      const token = fake.addToken({ user: 'bob', scopes: (fixture.setup as { scopes: string[] }).scopes });
      const response = await fetch(fake.url + fixture.request.path, {
        headers: { authorization: `token ${token}` },
      });
      assert.equal(response.status, fixture.response.status, fixture.name);
      assert.deepEqual(shapeDifferences(fixture.response.body, await response.json()), [], fixture.name);
    }
  });
});
