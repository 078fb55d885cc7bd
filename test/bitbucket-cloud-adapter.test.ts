/**
 * The Bitbucket Cloud adapter against a local Bitbucket Cloud: scopes from `x-oauth-scopes`, 403
 * bodies naming required and granted scopes, app passwords removed (also when the host answers
 * 410), the admin role for webhooks, no retired endpoint ever called, back-off on 429.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Catalogue } from '../src/core/catalogue/index.ts';
import { createBitbucketCloudAdapter } from '../src/providers/bitbucket-cloud/index.ts';
import {
  generateSecret,
  loadFixtures,
  shapeDifferences,
} from '../src/providers/http/test-support/fake-server.ts';
import type { Introspection, VerifyInput } from '../src/providers/types.ts';
import { readCatalogue } from '../src/services/catalogue-loader.ts';
import {
  type FakeBitbucketCloud,
  startBitbucketCloudFake,
} from './fakes/bitbucket-cloud/bitbucket-cloud-fake.ts';

const REPOS = [
  {
    workspace: 'acme',
    slug: 'widgets',
    roles: { alice: 'admin', bob: 'write' } as const,
    branches: ['main'],
  },
];
const EMAIL = 'alice@example.test';
let catalogue: Catalogue;
let fake: FakeBitbucketCloud;
before(async () => {
  catalogue = await readCatalogue();
  fake = await startBitbucketCloudFake({ repositories: REPOS });
});
after(() => fake.close());

function input(overrides: Partial<VerifyInput>): VerifyInput {
  return {
    catalogue,
    integrationId: 'int-1',
    provider: 'bitbucket-cloud',
    credentialType: 'api-token',
    config: { apiBaseUrl: fake.apiBaseUrl, workspace: 'acme', repository: 'widgets', branch: 'main' },
    features: ['clone', 'read-user-identity'],
    credential: {},
    now: Date.parse('2026-05-01T00:00:00Z'),
    ...overrides,
  };
}
const codes = (result: Introspection) => result.findings.map((finding) => finding.code);
const check = (result: Introspection, id: string) => result.checks.find((entry) => entry.id === id)?.outcome;
const RETIRED = /\/user\/permissions\//;

describe('Bitbucket Cloud adapter', () => {
  test('an API token with enough scopes reads them from x-oauth-scopes and passes', async () => {
    const token = fake.addApiToken({
      email: EMAIL,
      username: 'alice',
      scopes: ['read:user:bitbucket', 'read:repository:bitbucket'],
    });
    const result = await createBitbucketCloudAdapter().verify(input({ credential: { email: EMAIL, token } }));
    assert.equal(result.reach, 'ok');
    assert.deepEqual(result.grantedScopes, ['read:repository:bitbucket', 'read:user:bitbucket']);
    assert.equal(result.identity?.account, 'alice');
    assert.deepEqual(codes(result), []);
    for (const id of ['token-valid', 'scopes', 'repository-access', 'branch-exists', 'clone-url-form'])
      assert.equal(check(result, id), 'pass', id);
    assert.ok(!JSON.stringify(result).includes(token));
  });

  test('a 403 body naming required and granted scopes becomes scope_missing with the granted set', async () => {
    const token = fake.addApiToken({
      email: EMAIL,
      username: 'alice',
      scopes: ['read:repository:bitbucket'],
    });
    const result = await createBitbucketCloudAdapter().verify(input({ credential: { email: EMAIL, token } }));
    assert.equal(result.reach, 'ok');
    const refused = result.findings.find(
      (finding) => finding.code === 'scope_missing' && /GET \/user/.test(finding.message),
    );
    assert.match(
      refused?.message ?? '',
      /needs read:user:bitbucket; the credential carries read:repository:bitbucket/,
    );
    assert.deepEqual(result.grantedScopes, ['read:repository:bitbucket']);
    assert.equal(check(result, 'scopes'), 'fail');
  });

  test('webhooks need the admin role: an admin passes, a writer is reported', async () => {
    const scopes = [
      'read:repository:bitbucket',
      'read:webhook:bitbucket',
      'write:webhook:bitbucket',
      'delete:webhook:bitbucket',
    ];
    const admin = fake.addApiToken({ email: EMAIL, username: 'alice', scopes });
    const writer = fake.addApiToken({
      email: 'bob@example.test',
      username: 'bob',
      scopes: ['read:user:bitbucket', ...scopes],
    });
    const features = ['manage-webhooks'];
    const ok = await createBitbucketCloudAdapter().verify(
      input({ features, credential: { email: EMAIL, token: admin } }),
    );
    assert.equal(check(ok, 'role'), 'pass');
    const short = await createBitbucketCloudAdapter().verify(
      input({ features, credential: { email: 'bob@example.test', token: writer } }),
    );
    assert.equal(check(short, 'role'), 'fail');
    assert.ok(codes(short).includes('role_insufficient'));
  });

  test('an access token is checked by its classic scopes and type header', async () => {
    const token = fake.addAccessToken({ type: 'repo_access_token', scopes: ['repository'] });
    const push = await createBitbucketCloudAdapter().verify(
      input({
        credentialType: 'repository-access-token',
        features: ['clone', 'push'],
        credential: { token },
      }),
    );
    assert.equal(push.identity?.accountType, 'bot');
    assert.match(
      push.findings.find((finding) => finding.code === 'scope_missing')?.message ?? '',
      /push needs repository:write/,
    );
    const mismatch = await createBitbucketCloudAdapter().verify(
      input({ credentialType: 'workspace-access-token', features: ['clone'], credential: { token } }),
    );
    assert.ok(codes(mismatch).includes('credential_type_mismatch'));
  });

  test('app passwords are flagged as removed, and a 410 answer is a finding, not a crash', async () => {
    const password = fake.addAppPassword({ username: 'alice', scopes: ['account', 'repository'] });
    const before = await createBitbucketCloudAdapter().verify(
      input({ credentialType: 'app-password', credential: { username: 'alice', password } }),
    );
    assert.equal(before.reach, 'ok');
    assert.equal(
      before.findings.find((finding) => finding.code === 'app_password_removed')?.severity,
      'warning',
    );
    const removed = await startBitbucketCloudFake({ repositories: REPOS, appPasswordsRemoved: true });
    try {
      const gone = removed.addAppPassword({ username: 'alice', scopes: ['account'] });
      const result = await createBitbucketCloudAdapter().verify(
        input({
          credentialType: 'app-password',
          credential: { username: 'alice', password: gone },
          config: { apiBaseUrl: removed.apiBaseUrl },
          now: Date.parse('2026-08-01T00:00:00Z'),
        }),
      );
      assert.equal(result.reach, 'invalid');
      assert.deepEqual(codes(result).sort(), ['app_password_removed', 'endpoint_retired']);
      assert.match(result.findings[0]!.fix ?? '', /API token/);
    } finally {
      await removed.close();
    }
  });

  test('wrong credentials are invalid; no retired endpoint is ever called', async () => {
    const result = await createBitbucketCloudAdapter().verify(
      input({ credential: { email: EMAIL, token: 'ATATTwrong' } }),
    );
    assert.equal(result.reach, 'invalid');
    assert.deepEqual(codes(result), ['credential_invalid']);
    assert.ok(fake.log.length > 10);
    assert.ok(!fake.log.some((entry) => RETIRED.test(entry.path)), 'no call to CHANGE-2770 endpoints');
  });

  test('an OAuth consumer exchanges key and secret for a token and is verified with its scopes', async () => {
    const { key, secret } = fake.addConsumer({
      username: 'alice',
      scopes: ['account', 'email', 'repository'],
    });
    const consumer = (credential: Record<string, string>) =>
      input({
        credentialType: 'oauth-consumer',
        credential,
        config: { ...input({}).config, clientId: key, authUrl: fake.url },
      });
    const result = await createBitbucketCloudAdapter().verify(consumer({ clientSecret: secret }));
    assert.equal(result.reach, 'ok', JSON.stringify(result.findings));
    assert.equal(result.identity?.account, 'alice');
    assert.deepEqual(result.grantedScopes, ['account', 'email', 'repository']);
    assert.equal(check(result, 'scopes'), 'pass');
    assert.ok(
      fake.log.some((entry) => entry.method === 'POST' && entry.path === '/site/oauth2/access_token'),
    );
    assert.ok(!JSON.stringify(result).includes(secret));

    const wrong = generateSecret();
    const refused = await createBitbucketCloudAdapter().verify(consumer({ clientSecret: wrong }));
    assert.equal(refused.reach, 'invalid');
    assert.deepEqual(codes(refused), ['credential_invalid']);
    assert.match(refused.findings[0]!.message, /Invalid OAuth client credentials/);
    assert.equal(refused.requests, 1);
    assert.ok(!JSON.stringify(refused).includes(wrong));
  });

  test('an OAuth consumer with only a stored access token is verified with that token', async () => {
    const token = fake.addAccessToken({ type: 'workspace_access_token', scopes: ['account', 'repository'] });
    const before = fake.log.length;
    const result = await createBitbucketCloudAdapter().verify(
      input({ credentialType: 'oauth-consumer', credential: { accessToken: token } }),
    );
    assert.equal(check(result, 'token-valid'), 'pass');
    assert.equal(result.requests, fake.log.length - before);
    assert.ok(!fake.log.slice(before).some((entry) => entry.path === '/site/oauth2/access_token'));
  });

  test('429 answers are retried with exponential back-off when no Retry-After is given', async () => {
    const busy = await startBitbucketCloudFake({ repositories: REPOS, throttleFirst: 2 });
    const waits: number[] = [];
    try {
      const token = busy.addApiToken({
        email: EMAIL,
        username: 'alice',
        scopes: ['read:user:bitbucket', 'read:repository:bitbucket'],
      });
      const config = { apiBaseUrl: busy.apiBaseUrl, workspace: 'acme', repository: 'widgets' };
      const result = await createBitbucketCloudAdapter({
        http: { sleep: async (ms) => void waits.push(ms) },
      }).verify(input({ config, credential: { email: EMAIL, token } }));
      assert.equal(result.reach, 'ok');
      assert.deepEqual(waits, [1000, 2000]);
      assert.equal(result.rateLimit?.limit, 1000);
    } finally {
      await busy.close();
    }
  });

  test('the fake answers the recorded examples with the same status, headers and shape', async () => {
    for (const fixture of loadFixtures(new URL('./fakes/bitbucket-cloud/__fixtures__/', import.meta.url))) {
      const server = await startBitbucketCloudFake({ repositories: REPOS });
      try {
        const scopes = (fixture.setup as { apiToken: string[] }).apiToken;
        const token = server.addApiToken({ email: EMAIL, username: 'alice', scopes });
        const authorization = `Basic ${Buffer.from(`${EMAIL}:${token}`).toString('base64')}`;
        const response = await fetch(server.url + fixture.request.path, { headers: { authorization } });
        assert.equal(response.status, fixture.response.status, fixture.name);
        for (const name of Object.keys(fixture.response.headers ?? {}))
          assert.ok(response.headers.has(name), `${fixture.name}: ${name}`);
        assert.deepEqual(shapeDifferences(fixture.response.body, await response.json()), [], fixture.name);
      } finally {
        await server.close();
      }
    }
  });
});
