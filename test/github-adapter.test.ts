/**
 * The GitHub and GitHub Enterprise adapters against the local GitHub (`test/fakes/github/`):
 * classic, fine-grained and App credentials, SSO, hidden 404s, expiry, rate limits.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createGithubAdapter } from '../src/providers/github/github-adapter.ts';
import { RateGateRegistry } from '../src/providers/github/github-rate-gate.ts';
import { cloneUrlProblem } from '../src/providers/github/github-repository-checks.ts';
import {
  parseAcceptedPermissions,
  parseSsoHeader,
  parseTokenExpiration,
} from '../src/providers/github/github-schema.ts';
import { createGithubEnterpriseAdapter } from '../src/providers/github-enterprise/index.ts';
import type { Introspection, VerifyInput } from '../src/providers/types.ts';
import { readCatalogue } from '../src/services/catalogue-loader.ts';
import { type FakeGithub, startFakeGithub } from './fakes/github/github-fake-server.ts';
import { FakeWorld } from './fakes/github/github-fake-world.ts';

const catalogue = await readCatalogue();

/** A fresh adapter (own rate-limit gates, short retry delays) over the catalogue read once. */
function adapter() {
  return createGithubAdapter({
    retryBaseMs: 10,
    gates: new RateGateRegistry({ resetMarginMs: 50 }),
  });
}

function input(
  fake: FakeGithub,
  over: Partial<VerifyInput> & { config?: Record<string, unknown> },
): VerifyInput {
  return {
    catalogue,
    integrationId: 'int-1',
    provider: 'github',
    credentialType: 'classic-pat',
    features: [],
    credential: {},
    now: Date.now(),
    ...over,
    config: { apiBaseUrl: fake.url, ...over.config },
  };
}

function codes(result: Introspection): string[] {
  return result.findings.map((f) => f.code);
}

function check(result: Introspection, id: string) {
  const found = result.checks.find((c) => c.id === id);
  assert.ok(found, `check ${id}`);
  return found;
}

function assertNoSecret(result: Introspection, secrets: readonly string[]) {
  const text = JSON.stringify(result);
  for (const secret of secrets) assert.ok(!text.includes(secret), 'a secret reached the result');
}

describe('GitHub adapter against the local GitHub', () => {
  const world = new FakeWorld()
    .addUser('octo')
    .addOrg('acme', true)
    .addRepo('octo/app', { branches: ['main'] })
    .addRepo('octo/other')
    .addRepo('acme/svc', { collaborators: ['octo'] });
  let fake: FakeGithub;
  before(async () => {
    fake = await startFakeGithub({ world });
  });
  after(() => fake.close());

  test('a classic token with enough scopes is identified, with scopes and expiry from the headers', async () => {
    const token = world.issueClassic('octo', ['repo', 'admin:repo_hook'], {
      expiration: '2030-01-02 03:04:05 UTC',
    });
    const result = await adapter().verify(
      input(fake, {
        credential: { token },
        features: ['clone', 'manage-webhooks'],
        config: { repository: 'octo/app', branch: 'main' },
      }),
    );
    assert.equal(result.reach, 'ok');
    assert.deepEqual(result.identity, { account: 'octo', accountType: 'user' });
    assert.deepEqual(result.grantedScopes, ['repo', 'admin:repo_hook']);
    assert.equal(result.expiresAt, Date.UTC(2030, 0, 2, 3, 4, 5));
    assert.equal(check(result, 'token-valid').outcome, 'pass');
    assert.equal(check(result, 'scopes').outcome, 'pass');
    assert.equal(check(result, 'branch-exists').outcome, 'pass');
    assert.equal(check(result, 'sso').outcome, 'pass');
    assert.equal(result.requests, 2);
    assertNoSecret(result, [token]);
  });

  test('a classic token without admin:repo_hook lacks it for manage-webhooks', async () => {
    const token = world.issueClassic('octo', ['read:org']);
    const result = await adapter().verify(
      input(fake, { credential: { token }, features: ['manage-webhooks'] }),
    );
    assert.equal(result.reach, 'ok');
    assert.ok(!result.grantedScopes?.includes('admin:repo_hook'));
    const missing = result.findings.find((f) => f.code === 'scope_missing');
    assert.match(missing?.message ?? '', /admin:repo_hook/);
    assert.equal(check(result, 'scopes').outcome, 'fail');
  });

  test('a revoked token is invalid after one request', async () => {
    const token = world.issueClassic('octo', ['repo']);
    world.revoke(token);
    const result = await adapter().verify(
      input(fake, { credential: { token }, config: { repository: 'octo/app' } }),
    );
    assert.equal(result.reach, 'invalid');
    assert.deepEqual(codes(result), ['credential_invalid']);
    assert.equal(check(result, 'token-valid').outcome, 'fail');
    assert.equal(check(result, 'branch-exists').outcome, 'skipped');
    assert.equal(result.requests, 1);
    assertNoSecret(result, [token]);
  });

  test('a fine-grained PAT missing a permission gets scope_missing naming it from X-Accepted-GitHub-Permissions', async () => {
    const token = world.issueFineGrained(
      'octo',
      'octo',
      { contents: 'read' },
      { expiration: '2031-05-06 07:08:09 -0200' },
    );
    const result = await adapter().verify(
      input(fake, {
        credentialType: 'fine-grained-pat',
        credential: { token },
        features: ['read-repository-contents', 'manage-webhooks'],
        config: { repository: 'octo/app' },
      }),
    );
    assert.equal(result.reach, 'ok');
    assert.equal(result.grantedScopes, undefined);
    assert.equal(result.expiresAt, Date.UTC(2031, 4, 6, 9, 8, 9));
    const missing = result.findings.filter((f) => f.code === 'scope_missing');
    assert.equal(missing.length, 1);
    assert.match(missing[0]?.message ?? '', /repository_hooks:read/);
    assert.match(missing[0]?.message ?? '', /manage-webhooks/);
    assert.equal(check(result, 'scopes').outcome, 'fail');
    assertNoSecret(result, [token]);
  });

  test('a fine-grained PAT outside its repository selection gets "no access or not found"', async () => {
    const token = world.issueFineGrained(
      'octo',
      'octo',
      { contents: 'read' },
      { repositories: ['octo/other'] },
    );
    const result = await adapter().verify(
      input(fake, {
        credentialType: 'fine-grained-pat',
        credential: { token },
        config: { repository: 'octo/app' },
      }),
    );
    const finding = result.findings.find((f) => f.code === 'no_access_or_not_found');
    assert.ok(finding);
    assert.match(finding.message, /does not exist, or this credential may not see it/);
  });

  test('SAML SSO enforcement is a sso_required finding with the authorisation URL as fix', async () => {
    const token = world.issueClassic('octo', ['repo']);
    const result = await adapter().verify(
      input(fake, { credential: { token }, config: { repository: 'acme/svc' } }),
    );
    const sso = result.findings.find((f) => f.code === 'sso_required');
    assert.ok(sso);
    assert.equal(sso.fix, `${fake.url}/orgs/acme/sso?authorization_request=A1B2C3`);
    assert.equal(check(result, 'sso').outcome, 'fail');
    const authorised = world.issueClassic('octo', ['repo'], { ssoAuthorized: ['acme'] });
    const ok = await adapter().verify(
      input(fake, { credential: { token: authorised }, config: { repository: 'acme/svc' } }),
    );
    assert.equal(check(ok, 'sso').outcome, 'pass');
  });

  test('a private repository the token cannot reach is "no access or not found", a missing branch fails branch-exists', async () => {
    const token = world.issueClassic('octo', ['read:org']);
    const hidden = await adapter().verify(
      input(fake, { credential: { token }, config: { repository: 'octo/app' } }),
    );
    assert.ok(codes(hidden).includes('no_access_or_not_found'));
    const full = world.issueClassic('octo', ['repo']);
    const branch = await adapter().verify(
      input(fake, { credential: { token: full }, config: { repository: 'octo/app', branch: 'nope' } }),
    );
    assert.equal(check(branch, 'branch-exists').outcome, 'fail');
  });

  test('clone-url-form: only https://HOST/owner/repo(.git) on the integration host passes', () => {
    const repo = { owner: 'octo', name: 'app' };
    const table: [string, boolean][] = [
      ['https://github.com/octo/app.git', true],
      ['https://github.com/octo/app', true],
      ['git@github.com:octo/app.git', false],
      ['http://github.com/octo/app.git', false],
      ['https://user:pw@github.com/octo/app.git', false],
      ['https://gitlab.com/octo/app.git', false],
      ['https://github.com/octo/other.git', false],
      ['https://github.com/octo', false],
    ];
    for (const [url, ok] of table)
      assert.equal(cloneUrlProblem(url, 'github.com', repo) === undefined, ok, url);
  });

  test('an unreachable host is reported as such', async () => {
    const closed = await startFakeGithub();
    const url = closed.url;
    await closed.close();
    const token = world.issueClassic('octo', ['repo']);
    const result = await adapter().verify(
      input(fake, { credential: { token }, config: { apiBaseUrl: url } }),
    );
    assert.equal(result.reach, 'unreachable');
    assert.ok(codes(result).includes('provider_unreachable'));
    assertNoSecret(result, [token]);
  });

  test('GitHub Enterprise serves the same checks under /api/v3', async () => {
    const token = world.issueClassic('octo', ['repo']);
    const ghe = createGithubEnterpriseAdapter({ retryBaseMs: 10 });
    assert.equal(ghe.id, 'github-enterprise');
    const result = await ghe.verify(
      input(fake, {
        provider: 'github-enterprise',
        credential: { token },
        features: ['clone'],
        config: { apiBaseUrl: `${fake.url}/api/v3`, repository: 'octo/app' },
      }),
    );
    assert.equal(result.reach, 'ok');
    assert.equal(check(result, 'scopes').outcome, 'pass');
  });
});

describe('GitHub App against the local GitHub', () => {
  const world = new FakeWorld()
    .addUser('octo')
    .addOrg('acme')
    .addRepo('acme/svc', { branches: ['main'] })
    .addRepo('acme/secret');
  const app = world.addApp('keyhouse-bot');
  const selected = world.install(app.appId, 'acme', {
    permissions: { contents: 'write' },
    repositories: ['acme/svc'],
  });
  const suspended = world.addApp('suspended-bot');
  const suspendedInst = world.install(suspended.appId, 'acme', {
    permissions: { contents: 'read' },
    suspendedAt: '2025-01-01T00:00:00Z',
  });
  let fake: FakeGithub;
  before(async () => {
    fake = await startFakeGithub({ world });
  });
  after(() => fake.close());

  function appInput(
    repository: string,
    credential = { appId: app.appId, installationId: selected, privateKey: app.privateKey },
  ) {
    return input(fake, {
      credentialType: 'github-app',
      credential,
      features: ['clone', 'manage-webhooks'],
      config: { repository, branch: 'main' },
    });
  }

  test('reads permissions and repository selection from the minted token', async () => {
    const result = await adapter().verify(appInput('acme/svc'));
    assert.equal(result.reach, 'ok');
    assert.deepEqual(result.identity, {
      accountType: 'app',
      installationId: selected,
      account: 'keyhouse-bot',
      organisation: 'acme',
    });
    assert.deepEqual(result.grantedScopes, ['contents:write', 'metadata:read']);
    assert.equal(check(result, 'allow-list').outcome, 'pass');
    assert.equal(check(result, 'branch-exists').outcome, 'pass');
    const missing = result.findings.find((f) => f.code === 'scope_missing');
    assert.match(missing?.message ?? '', /repository_hooks:write/);
    assertNoSecret(result, [app.privateKey]);
    assert.ok(!JSON.stringify(result).includes('ghs_'), 'the minted token stays out of the result');
  });

  test('a repository outside the installation fails the allow-list', async () => {
    const result = await adapter().verify(appInput('acme/secret'));
    assert.equal(check(result, 'allow-list').outcome, 'fail');
    const finding = result.findings.find((f) => f.code === 'repository_not_in_installation');
    assert.match(finding?.fix ?? '', /organizations\/acme\/settings\/installations\//);
  });

  test('a suspended installation is a finding and no token is minted', async () => {
    const result = await adapter().verify(
      appInput('acme/svc', {
        appId: suspended.appId,
        installationId: suspendedInst,
        privateKey: suspended.privateKey,
      }),
    );
    assert.ok(codes(result).includes('installation_suspended'));
    assert.equal(check(result, 'token-valid').outcome, 'fail');
    assert.equal(result.requests, 1);
  });

  test("another app's key is rejected as invalid", async () => {
    const result = await adapter().verify(
      appInput('acme/svc', { appId: app.appId, installationId: selected, privateKey: suspended.privateKey }),
    );
    assert.equal(result.reach, 'invalid');
    assertNoSecret(result, [suspended.privateKey]);
  });
});

describe('rate limits', () => {
  test('100 integrations against a tight limit finish with 0 violations', async () => {
    const world = new FakeWorld().addUser('bot', 'Bot').addRepo('bot/app', { branches: ['main'] });
    const fake = await startFakeGithub({ world, rateLimit: { limit: 40, windowMs: 1000 } });
    try {
      const a = adapter();
      const inputs = Array.from({ length: 100 }, () =>
        input(fake, {
          credential: { token: world.issueClassic('bot', ['repo']) },
          features: ['clone'],
          config: { repository: 'bot/app', branch: 'main' },
        }),
      );
      const results = await Promise.all(inputs.map((i) => a.verify(i)));
      assert.equal(fake.rateLimit?.violations, 0);
      assert.ok(results.every((r) => r.reach === 'ok'));
      assert.equal(
        results.reduce((n, r) => n + r.requests, 0),
        200,
      );
    } finally {
      await fake.close();
    }
  });

  test('an exhausted budget with a far reset is rate-limited without sending past the limit', async () => {
    const world = new FakeWorld().addUser('bot').addRepo('bot/app');
    const fake = await startFakeGithub({ world, rateLimit: { limit: 3, windowMs: 3_600_000 } });
    try {
      const a = adapter();
      const token = world.issueClassic('bot', ['repo']);
      const cfg = { repository: 'bot/app', maxRateLimitWaitMs: 200 };
      const first = await a.verify(input(fake, { credential: { token }, config: cfg }));
      assert.equal(first.reach, 'ok');
      const second = await a.verify(input(fake, { credential: { token }, config: cfg }));
      assert.equal(second.reach, 'rate-limited');
      assert.ok(codes(second).includes('rate_limited'));
      assert.equal(second.rateLimit?.remaining, 0);
      assert.equal(fake.rateLimit?.violations, 0);
    } finally {
      await fake.close();
    }
  });

  test('a secondary rate limit is waited out as retry-after says', async () => {
    const world = new FakeWorld().addUser('bot');
    const fake = await startFakeGithub({ world });
    try {
      fake.failNextWithSecondaryLimit(1);
      const token = world.issueClassic('bot', ['repo']);
      const result = await adapter().verify(input(fake, { credential: { token } }));
      assert.equal(result.reach, 'ok');
      assert.equal(result.requests, 2);
    } finally {
      await fake.close();
    }
  });
});

describe('GitHub header readers', () => {
  test('token expiration in UTC and with an offset', () => {
    assert.equal(
      parseTokenExpiration({ 'github-authentication-token-expiration': '2021-10-07 19:07:53 UTC' }),
      Date.UTC(2021, 9, 7, 19, 7, 53),
    );
    assert.equal(
      parseTokenExpiration({ 'github-authentication-token-expiration': '2023-06-27 16:30:00 -0700' }),
      Date.UTC(2023, 5, 27, 23, 30),
    );
    assert.equal(parseTokenExpiration({ 'github-authentication-token-expiration': 'soon' }), undefined);
    assert.equal(parseTokenExpiration({}), undefined);
  });

  test('accepted permissions: "," all of, ";" alternatives', () => {
    assert.deepEqual(
      parseAcceptedPermissions({
        'x-accepted-github-permissions': 'contents=read,pull_requests=write; issues=write',
      }),
      [['contents:read', 'pull_requests:write'], ['issues:write']],
    );
    assert.deepEqual(parseAcceptedPermissions({ 'x-accepted-github-permissions': '' }), []);
  });

  test('X-GitHub-SSO required and partial results', () => {
    assert.deepEqual(
      parseSsoHeader({
        'x-github-sso': 'required; url=https://github.com/orgs/a/sso?authorization_request=X',
      }),
      {
        kind: 'required',
        url: 'https://github.com/orgs/a/sso?authorization_request=X',
      },
    );
    assert.deepEqual(parseSsoHeader({ 'x-github-sso': 'partial-results; organizations=21955855,20582480' }), {
      kind: 'partial-results',
      organizations: ['21955855', '20582480'],
    });
  });
});
