import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { gitAdapter, judgeCloneUrl, parseGitConfig, scrub } from '../src/providers/git/index.ts';
import type { Introspection, VerifyInput } from '../src/providers/types.ts';
import { catalogue } from './catalogue-fixtures.ts';
import { type GitHttpPeer, gitHttpSkipReason, startGitHttpPeer } from './peers/git-http-peer.ts';
import { freePort } from './peers/peer-support.ts';

const secret = () => randomBytes(18).toString('base64url');
const passwords = { alice: secret(), bob: secret() };

function input(config: Record<string, unknown>, password: string, features = ['clone', 'push']): VerifyInput {
  return {
    catalogue,
    integrationId: 'i',
    provider: 'git',
    credentialType: 'password',
    config,
    features,
    credential: { password },
    now: Date.now(),
  };
}

function outcome(result: Introspection, id: string): string | undefined {
  return result.checks.find((c) => c.id === id)?.outcome;
}

function assertNoSecret(result: Introspection, value: string): void {
  const text = JSON.stringify(result);
  assert.ok(!text.includes(value), 'the credential appears in the result');
  assert.ok(
    !text.includes(Buffer.from(value).toString('base64').slice(0, 16)),
    'an encoding of the credential appears',
  );
}

describe('clone URL form', () => {
  const cases: [string, boolean, 'pass' | 'fail', RegExp][] = [
    ['https://git.example.com/team/app.git', false, 'pass', /HTTPS/],
    ['git@git.example.com:team/app.git', false, 'fail', /https:\/\/git\.example\.com\/team\/app\.git/],
    [
      'ssh://git@git.example.com:22/team/app.git',
      false,
      'fail',
      /https:\/\/git\.example\.com\/team\/app\.git/,
    ],
    ['http://git.example.com/team/app.git', false, 'fail', /https:\/\/git\.example\.com/],
    ['http://127.0.0.1:9/team/app.git', true, 'pass', /allowHttp/],
    ['https://user:hunter22@git.example.com/team/app.git', false, 'fail', /user-info/],
  ];
  for (const [url, allowHttp, expected, text] of cases) {
    test(`${url} → ${expected}`, () => {
      const { form, displayUrl } = judgeCloneUrl(url, allowHttp);
      assert.equal(form.outcome, expected);
      assert.match(`${form.detail} ${form.fix ?? ''}`, text);
      assert.ok(!displayUrl.includes('hunter22'));
      assert.ok(!JSON.stringify(form).includes('hunter22'));
    });
  }

  test('a config without url or with a bad branch is refused naming the field', () => {
    assert.throws(() => parseGitConfig({}), /config\.url is required/);
    assert.throws(() => parseGitConfig({ url: 'https://h/r.git', branch: 'a b' }), /config\.branch/);
  });

  test('an SSH URL stops before any git command', async () => {
    const result = await gitAdapter.verify(
      input({ url: 'git@git.example.com:team/app.git' }, 'x'.repeat(12)),
    );
    assert.equal(result.requests, 0);
    assert.equal(outcome(result, 'clone-url-form'), 'fail');
    assert.equal(outcome(result, 'clone'), 'skipped');
  });

  test('scrub removes the secret and URL user-info', () => {
    assert.equal(
      scrub("fatal: unable to access 'http://u:abcdef@h/r': x abcdef", ['abcdef']),
      "fatal: unable to access 'http://h/r': x [REDACTED]",
    );
  });
});

describe('against a closed port', () => {
  test('is unreachable', async () => {
    const port = await freePort();
    const result = await gitAdapter.verify(
      input(
        { url: `http://127.0.0.1:${port}/git/demo.git`, allowHttp: true, username: 'bob' },
        passwords.bob,
      ),
    );
    assert.equal(result.reach, 'unreachable');
    assert.equal(result.findings[0]?.code, 'provider_unreachable');
  });
});

describe('against Apache with git http-backend', { skip: gitHttpSkipReason() }, () => {
  let peer: GitHttpPeer;
  before(async () => {
    peer = await startGitHttpPeer(passwords, ['alice']);
    console.log(`# apache + git http-backend ready after ${peer.startMs} ms`);
  });
  after(async () => peer?.stop());
  const config = (username: string, extra: Record<string, unknown> = {}) => ({
    url: `${peer.baseUrl}demo.git`,
    allowHttp: true,
    username,
    ...extra,
  });

  test('a writer passes clone, push and branch checks, and nothing is pushed', async () => {
    const result = await gitAdapter.verify(input(config('alice', { branch: 'main' }), passwords.alice));
    assert.equal(result.reach, 'ok');
    for (const id of ['clone-url-form', 'token-valid', 'clone', 'push', 'branch-exists'])
      assert.equal(outcome(result, id), 'pass', id);
    assert.equal(result.requests, 2);
    assert.deepEqual(result.findings, []);
    const log = peer.accessLog();
    assert.ok(
      !log.some((line) => line.includes('POST /git/demo.git/git-receive-pack')),
      'the dry run sent no pack',
    );
    assert.ok(
      log.some((line) =>
        / alice "GET \/git\/demo\.git\/info\/refs\?service=git-receive-pack HTTP\/1\.1" 200/.test(line),
      ),
    );
    assertNoSecret(result, passwords.alice);
  });

  test('the credential is sent up front, not after an anonymous 401', async () => {
    const before = peer.accessLog().length;
    await gitAdapter.verify(input(config('bob'), passwords.bob, ['clone']));
    const lines = peer.accessLog().slice(before);
    assert.ok(lines.length >= 1);
    assert.ok(
      lines.every((line) => !/ 401$/.test(line)),
      lines.join('\n'),
    );
  });

  test('a read-only user passes clone and fails push with 403', async () => {
    const result = await gitAdapter.verify(input(config('bob', { branch: 'main' }), passwords.bob));
    assert.equal(result.reach, 'ok');
    assert.equal(outcome(result, 'clone'), 'pass');
    assert.equal(outcome(result, 'push'), 'fail');
    const missing = result.findings.find((f) => f.check === 'push');
    assert.equal(missing?.code, 'scope_missing');
    assert.match(missing?.message ?? '', /403/);
  });

  test('a wrong password is invalid', async () => {
    const wrong = secret();
    const result = await gitAdapter.verify(input(config('alice'), wrong));
    assert.equal(result.reach, 'invalid');
    assert.equal(outcome(result, 'token-valid'), 'fail');
    assert.equal(result.findings[0]?.code, 'credential_invalid');
    assertNoSecret(result, wrong);
  });

  test('a missing repository is reported as missing', async () => {
    const result = await gitAdapter.verify(
      input(config('bob', { url: `${peer.baseUrl}nope.git` }), passwords.bob),
    );
    assert.equal(result.reach, 'ok');
    assert.equal(outcome(result, 'clone'), 'fail');
    assert.equal(result.findings[0]?.code, 'repository_not_found');
  });

  test('a missing branch fails branch-exists and names the default branch', async () => {
    const result = await gitAdapter.verify(
      input(config('bob', { branch: 'release' }), passwords.bob, ['clone']),
    );
    assert.equal(outcome(result, 'branch-exists'), 'fail');
    assert.equal(outcome(result, 'push'), 'skipped');
    assert.match(result.findings[0]?.fix ?? '', /default branch is main/);
  });
});
