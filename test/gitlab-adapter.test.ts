/**
 * The GitLab adapter against a local GitLab that answers as GitLab documents: scopes read from
 * the token's self-description, missing scopes, revoked, unknown and expired tokens, expiry
 * warnings, the Developer-for-webhooks role gap, 429 back-off, and recorded examples.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Catalogue } from '../src/core/catalogue/index.ts';
import { createGitlabAdapter } from '../src/providers/gitlab/index.ts';
import { loadFixtures, shapeDifferences } from '../src/providers/http/test-support/fake-server.ts';
import type { Introspection, VerifyInput } from '../src/providers/types.ts';
import { readCatalogue } from '../src/services/catalogue-loader.ts';
import { type FakeGitlab, startGitlabFake } from './fakes/gitlab/gitlab-fake.ts';

const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
const USERS = [
  { id: 42, username: 'maintainer' },
  { id: 43, username: 'developer' },
  { id: 44, username: 'project_7_bot_1', bot: true },
];
const WORLD = {
  users: USERS,
  projects: [
    { id: 7, path: 'acme/widgets', members: { 42: 40, 43: 30, 44: 40 }, branches: ['main', 'release'] },
  ],
  groups: [{ id: 9, path: 'acme', members: { 42: 50, 43: 30 } }],
};

let catalogue: Catalogue;
let fake: FakeGitlab;
before(async () => {
  catalogue = await readCatalogue();
  fake = await startGitlabFake(WORLD);
});
after(() => fake.close());

function input(token: string, overrides: Partial<VerifyInput> = {}): VerifyInput {
  return {
    catalogue,
    integrationId: 'int-1',
    provider: 'gitlab',
    credentialType: 'personal-access-token',
    config: { apiBaseUrl: fake.apiBaseUrl, project: 'acme/widgets', branch: 'main' },
    features: ['clone', 'manage-webhooks'],
    credential: { token },
    now: Date.now(),
    ...overrides,
  };
}

const codes = (result: Introspection) => result.findings.map((finding) => finding.code);
const check = (result: Introspection, id: string) => result.checks.find((entry) => entry.id === id)?.outcome;

describe('GitLab adapter', () => {
  test('a token with enough scopes and role passes every check and reads its expiry', async () => {
    const token = fake.addToken({ scopes: ['api'], expiresAt: day(200), userId: 42 });
    const result = await createGitlabAdapter().verify(input(token));
    assert.equal(result.reach, 'ok');
    assert.deepEqual(result.grantedScopes, ['api']);
    assert.equal(result.identity?.account, 'maintainer');
    assert.equal(result.expiresAt, Date.parse(`${day(200)}T00:00:00Z`));
    assert.deepEqual(
      codes(result).filter((code) => code !== 'scope_excess'),
      [],
    );
    for (const id of [
      'token-valid',
      'scopes',
      'repository-access',
      'role',
      'branch-exists',
      'clone-url-form',
    ]) {
      assert.equal(check(result, id), 'pass', id);
    }
    assert.equal(result.requests, 4);
    assert.ok(!JSON.stringify(result).includes(token), 'the token never appears in the result');
  });

  test('a token without api is reported missing the scope the features need', async () => {
    const token = fake.addToken({ scopes: ['read_repository'], expiresAt: day(200), userId: 42 });
    const result = await createGitlabAdapter().verify(
      input(token, { features: ['clone', 'open-pull-requests'] }),
    );
    assert.equal(result.reach, 'ok');
    assert.equal(check(result, 'scopes'), 'fail');
    const missing = result.findings.filter((finding) => finding.code === 'scope_missing');
    assert.equal(missing.length, 1);
    assert.match(missing[0]!.message, /open-pull-requests needs api/);
    assert.equal(check(result, 'repository-access'), 'fail');
    assert.ok(result.findings.some((finding) => /insufficient_scope/.test(finding.message)));
  });

  test('a Developer token enabled for webhooks is short of Maintainer', async () => {
    const token = fake.addToken({ scopes: ['api'], expiresAt: day(200), userId: 43 });
    const result = await createGitlabAdapter().verify(input(token));
    assert.equal(check(result, 'role'), 'fail');
    const role = result.findings.find((finding) => finding.code === 'role_insufficient');
    assert.match(role?.message ?? '', /manage-webhooks needs Maintainer \(40\).*Developer \(30\)/);
    assert.ok(!codes(result).includes('scope_missing'));
  });

  test('a project access token reads its bot identity and role the same way', async () => {
    const token = fake.addToken({ scopes: ['api', 'read_repository'], expiresAt: day(30), userId: 44 });
    const result = await createGitlabAdapter().verify(
      input(token, { credentialType: 'project-access-token' }),
    );
    assert.equal(result.identity?.accountType, 'bot');
    assert.equal(check(result, 'role'), 'pass');
  });

  test('the group role is read when only a group is configured', async () => {
    const token = fake.addToken({ scopes: ['api'], expiresAt: day(200), userId: 43 });
    const result = await createGitlabAdapter().verify(
      input(token, { config: { apiBaseUrl: fake.apiBaseUrl, group: 'acme' } }),
    );
    assert.equal(check(result, 'role'), 'fail');
    assert.equal(check(result, 'branch-exists'), 'skipped');
  });

  test('revoked and unknown tokens are invalid', async () => {
    const revoked = fake.addToken({ scopes: ['api'], expiresAt: day(200), userId: 42, revoked: true });
    const first = await createGitlabAdapter().verify(input(revoked));
    assert.equal(first.reach, 'invalid');
    assert.match(first.findings[0]!.message, /revoked/);
    const second = await createGitlabAdapter().verify(input('glpat-not-a-token'));
    assert.equal(second.reach, 'invalid');
    assert.deepEqual(codes(second), ['credential_invalid']);
  });

  test('an expired token is invalid with an expiry finding; one about to expire is a warning', async () => {
    const expired = fake.addToken({ scopes: ['api'], expiresAt: day(-1), userId: 42 });
    const gone = await createGitlabAdapter().verify(input(expired));
    assert.equal(gone.reach, 'invalid');
    assert.deepEqual(codes(gone), ['credential_expired']);
    const soon = fake.addToken({ scopes: ['api'], expiresAt: day(5), userId: 42 });
    const warned = await createGitlabAdapter().verify(input(soon));
    assert.equal(warned.reach, 'ok');
    assert.equal(warned.expiresAt, Date.parse(`${day(5)}T00:00:00Z`));
    assert.ok(codes(warned).includes('credential_expiring'));
  });

  test('an OAuth token is described by /oauth/token/info', async () => {
    const token = fake.addOauthToken({
      scopes: ['read_api', 'read_repository'],
      userId: 42,
      expiresInSeconds: 7200,
    });
    const now = Date.now();
    const result = await createGitlabAdapter().verify(
      input('', { credentialType: 'oauth', credential: { accessToken: token }, features: ['clone'], now }),
    );
    assert.equal(result.reach, 'ok');
    assert.deepEqual(result.grantedScopes, ['read_api', 'read_repository']);
    assert.equal(result.expiresAt, now + 7_200_000);
  });

  test('a missing branch, an SSH clone URL and an invisible project are reported', async () => {
    const token = fake.addToken({ scopes: ['api'], expiresAt: day(200), userId: 42 });
    const config = {
      apiBaseUrl: fake.apiBaseUrl,
      project: 'acme/widgets',
      branch: 'nope',
      cloneUrl: 'git@127.0.0.1:acme/widgets.git',
    };
    const result = await createGitlabAdapter().verify(input(token, { config }));
    assert.equal(check(result, 'branch-exists'), 'fail');
    assert.equal(check(result, 'clone-url-form'), 'fail');
    const hidden = await createGitlabAdapter().verify(
      input(token, { config: { apiBaseUrl: fake.apiBaseUrl, project: 'acme/secret' } }),
    );
    assert.equal(check(hidden, 'repository-access'), 'fail');
    assert.match(
      hidden.findings.find((finding) => finding.code === 'repository_inaccessible')!.message,
      /404/,
    );
  });

  test('a 429 is retried after Retry-After, within a bounded number of attempts', async () => {
    const burst = await startGitlabFake({ ...WORLD, throttleFirst: 2, retryAfter: 3 });
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    try {
      const token = burst.addToken({ scopes: ['api'], expiresAt: day(200), userId: 42 });
      const config = { apiBaseUrl: burst.apiBaseUrl, project: 'acme/widgets', branch: 'main' };
      const ok = await createGitlabAdapter({ http: { sleep } }).verify(input(token, { config }));
      assert.equal(ok.reach, 'ok');
      assert.equal(waits.length, 2);
      assert.ok(
        waits.every((ms) => ms > 2000 && ms <= 3000),
        `waits ${waits}`,
      );
      assert.equal(ok.requests, 6);
      burst.resetWindow();
      const refused = await startGitlabFake({ ...WORLD, rateLimit: 0 });
      const tokenB = refused.addToken({ scopes: ['api'], expiresAt: day(200), userId: 42 });
      const limited = await createGitlabAdapter({ http: { sleep, maxRetries: 1 } }).verify(
        input(tokenB, { config: { apiBaseUrl: refused.apiBaseUrl } }),
      );
      await refused.close();
      assert.equal(limited.reach, 'rate-limited');
      assert.equal(limited.requests, 2);
      assert.equal(limited.rateLimit?.remaining, 0);
    } finally {
      await burst.close();
    }
  });

  test('an unreachable host and a bad config are reported, not thrown', async () => {
    const closed = await startGitlabFake(WORLD);
    const url = closed.apiBaseUrl;
    await closed.close();
    const token = fake.addToken({ scopes: ['api'], expiresAt: day(200), userId: 42 });
    const down = await createGitlabAdapter().verify(input(token, { config: { apiBaseUrl: url } }));
    assert.equal(down.reach, 'unreachable');
    assert.match(down.findings[0]!.message, /refused/);
    const bad = await createGitlabAdapter().verify(input(token, { config: { apiBaseUrl: 'ftp:/x' } }));
    assert.equal(bad.findings[0]!.code, 'config_invalid');
    assert.match(bad.findings[0]!.message, /apiBaseUrl/);
  });

  test('the fake answers the recorded examples with the same status, headers and shape', async () => {
    for (const fixture of loadFixtures(new URL('./fakes/gitlab/__fixtures__/', import.meta.url))) {
      const setup = fixture.setup as {
        token?: { scopes: string[]; expiresAt: string; userId: number };
        rateLimit?: number;
      };
      const server = await startGitlabFake({
        ...WORLD,
        projects: [{ ...WORLD.projects[0]!, members: { 42: 40 } }],
        ...(setup.rateLimit === undefined ? {} : { rateLimit: setup.rateLimit }),
      });
      try {
        const token = setup.token === undefined ? 'glpat-unknown' : server.addToken(setup.token);
        const response = await fetch(server.url + fixture.request.path, {
          method: fixture.request.method,
          headers: { 'private-token': token },
        });
        assert.equal(response.status, fixture.response.status, fixture.name);
        for (const [name, value] of Object.entries(fixture.response.headers ?? {})) {
          assert.ok(response.headers.has(name), `${fixture.name}: header ${name}`);
          if (name === 'content-type') assert.ok(response.headers.get(name)!.startsWith(value), fixture.name);
        }
        const text = await response.text();
        const body = typeof fixture.response.body === 'string' ? text : JSON.parse(text);
        assert.deepEqual(shapeDifferences(fixture.response.body, body), [], fixture.name);
      } finally {
        await server.close();
      }
    }
  });
});
