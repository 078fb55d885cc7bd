/**
 * The Bitbucket Data Center adapter against a local Data Center: permissions probed for tokens
 * that cannot describe themselves, a read-only token missing REPO_WRITE, bad credentials (401)
 * told apart from a token not permitted (401 AuthorisationException) and a 403, basic auth,
 * branch and clone URL, 429 back-off, and recorded examples.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Catalogue } from '../src/core/catalogue/index.ts';
import { classify, createBitbucketServerAdapter } from '../src/providers/bitbucket-server/index.ts';
import { loadFixtures, shapeDifferences } from '../src/providers/http/test-support/fake-server.ts';
import type { Introspection, VerifyInput } from '../src/providers/types.ts';
import { readCatalogue } from '../src/services/catalogue-loader.ts';
import {
  type FakeBitbucketServer,
  startBitbucketServerFake,
} from './fakes/bitbucket-server/bitbucket-server-fake.ts';

const PASSWORD = `pw-${process.pid}-${Date.now()}`;
const WORLD = {
  project: 'ACME',
  repositories: [{ slug: 'widgets', branches: ['main', 'develop'] }],
  users: {
    alice: { password: PASSWORD, grant: { project: 3, repo: 3 } },
    carol: { grant: { project: 0, repo: 0 } },
  },
};
let catalogue: Catalogue;
let fake: FakeBitbucketServer;
before(async () => {
  catalogue = await readCatalogue();
  fake = await startBitbucketServerFake(WORLD);
});
after(() => fake.close());

function input(credential: Record<string, string>, overrides: Partial<VerifyInput> = {}): VerifyInput {
  return {
    catalogue,
    integrationId: 'int-1',
    provider: 'bitbucket-server',
    credentialType: 'personal-http-token',
    config: { apiBaseUrl: fake.apiBaseUrl, project: 'ACME', repository: 'widgets', branch: 'main' },
    features: ['clone', 'push'],
    credential,
    now: Date.now(),
    ...overrides,
  };
}
const codes = (result: Introspection) => result.findings.map((finding) => finding.code);
const check = (result: Introspection, id: string) => result.checks.find((entry) => entry.id === id)?.outcome;

describe('Bitbucket Data Center adapter', () => {
  test('a write token passes: permissions probed, identity from X-AUSERNAME', async () => {
    const token = fake.addToken('alice', { project: 0, repo: 2 });
    const result = await createBitbucketServerAdapter().verify(input({ token }));
    assert.equal(result.reach, 'ok');
    assert.equal(result.identity?.account, 'alice');
    assert.deepEqual(result.grantedScopes, ['REPO_READ', 'REPO_WRITE']);
    assert.deepEqual(codes(result), []);
    for (const id of ['token-valid', 'scopes', 'repository-access', 'branch-exists', 'clone-url-form'])
      assert.equal(check(result, id), 'pass', id);
    assert.ok(!JSON.stringify(result).includes(token));
  });

  test('a read-only token is missing REPO_WRITE for push', async () => {
    const token = fake.addToken('alice', { project: 0, repo: 1 });
    const result = await createBitbucketServerAdapter().verify(input({ token }));
    assert.deepEqual(result.grantedScopes, ['REPO_READ']);
    assert.equal(check(result, 'scopes'), 'fail');
    assert.match(
      result.findings.find((finding) => finding.code === 'scope_missing')?.message ?? '',
      /push needs REPO_WRITE/,
    );
  });

  test('an admin token reaches project permissions when a feature needs them', async () => {
    const token = fake.addToken('alice', { project: 3, repo: 3 });
    const result = await createBitbucketServerAdapter().verify(
      input({ token }, { features: ['read-org-members', 'manage-webhooks'] }),
    );
    assert.ok(result.grantedScopes?.includes('PROJECT_ADMIN'));
    assert.ok(!codes(result).includes('scope_missing'));
  });

  test('bad credentials (401) are invalid; a token not permitted (401 AuthorisationException) is valid but missing REPO_READ', async () => {
    const bad = await createBitbucketServerAdapter().verify(input({ token: 'BBDC-wrong' }));
    assert.equal(bad.reach, 'invalid');
    assert.deepEqual(codes(bad), ['credential_invalid']);
    const none = fake.addToken('alice', { project: 0, repo: 0 });
    const limited = await createBitbucketServerAdapter().verify(input({ token: none }));
    assert.equal(limited.reach, 'ok');
    assert.ok(codes(limited).includes('permission_missing'));
    assert.equal(check(limited, 'scopes'), 'fail');
  });

  test('a 403 is classified apart from both 401s', () => {
    const answer = (status: number, exceptionName: string) => ({
      kind: 'response' as const,
      status,
      headers: new Headers(),
      text: '',
      json: { errors: [{ context: null, message: 'x', exceptionName }] },
    });
    assert.equal(classify(answer(401, 'com.atlassian.bitbucket.AuthorisationException')), 'not-permitted');
    assert.equal(
      classify(answer(401, 'com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException')),
      'invalid',
    );
    assert.equal(classify(answer(403, 'com.atlassian.bitbucket.AuthorisationException')), 'forbidden');
  });

  test("basic auth acts with the user's permissions; an invisible repository is a 404 finding", async () => {
    const result = await createBitbucketServerAdapter().verify(
      input(
        { username: 'alice', password: PASSWORD },
        { credentialType: 'basic-auth', features: ['manage-webhooks'] },
      ),
    );
    assert.deepEqual(result.grantedScopes, ['REPO_ADMIN', 'REPO_READ', 'REPO_WRITE']);
    const hidden = await createBitbucketServerAdapter().verify(
      input(
        { username: 'alice', password: PASSWORD },
        {
          credentialType: 'basic-auth',
          config: { apiBaseUrl: fake.apiBaseUrl, project: 'ACME', repository: 'secret' },
        },
      ),
    );
    assert.ok(codes(hidden).includes('repository_inaccessible'));
  });

  test('a missing branch and an SSH clone URL are reported', async () => {
    const token = fake.addToken('alice', { project: 0, repo: 2 });
    const config = {
      apiBaseUrl: fake.apiBaseUrl,
      project: 'ACME',
      repository: 'widgets',
      branch: 'mai',
      cloneUrl: 'ssh://git@127.0.0.1:7999/acme/widgets.git',
    };
    const result = await createBitbucketServerAdapter().verify(input({ token }, { config }));
    assert.equal(check(result, 'branch-exists'), 'fail');
    assert.equal(check(result, 'clone-url-form'), 'fail');
  });

  test('429 is retried after Retry-After', async () => {
    const busy = await startBitbucketServerFake({ ...WORLD, throttleFirst: 1 });
    const waits: number[] = [];
    try {
      const token = busy.addToken('alice', { project: 0, repo: 2 });
      const result = await createBitbucketServerAdapter({
        http: { sleep: async (ms) => void waits.push(ms) },
      }).verify(
        input({ token }, { config: { apiBaseUrl: busy.apiBaseUrl, project: 'ACME', repository: 'widgets' } }),
      );
      assert.equal(result.reach, 'ok');
      assert.equal(waits.length, 1);
      assert.equal(result.rateLimit?.limit, 60);
    } finally {
      await busy.close();
    }
  });

  test('the fake answers the recorded examples with the same status and shape', async () => {
    for (const fixture of loadFixtures(new URL('./fakes/bitbucket-server/__fixtures__/', import.meta.url))) {
      const grant = (fixture.setup as { grant?: { project: number; repo: number } }).grant;
      const token = grant === undefined ? 'BBDC-unknown' : fake.addToken('alice', grant);
      const response = await fetch(fake.url + fixture.request.path, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(response.status, fixture.response.status, fixture.name);
      assert.deepEqual(shapeDifferences(fixture.response.body, await response.json()), [], fixture.name);
    }
  });
});
