import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  dockerRegistryAdapter,
  parseChallenge,
  parseDockerRegistryConfig,
  parseImageReference,
  probePushByUpload,
  RegistryHttp,
} from '../src/providers/docker-registry/index.ts';
import type { Introspection, VerifyInput } from '../src/providers/types.ts';
import { catalogue } from './catalogue-fixtures.ts';
import { type RegistryPeer, registrySkipReason, startRegistryPeer } from './peers/docker-registry-peer.ts';
import { freePort } from './peers/peer-support.ts';

const secret = () => randomBytes(18).toString('base64url');
const passwords = { alice: secret(), bob: secret(), carol: secret(), mallory: secret() };

function input(
  config: Record<string, unknown>,
  password: string,
  features = ['pull-images', 'push-images'],
): VerifyInput {
  return {
    catalogue,
    integrationId: 'int-1',
    provider: 'docker-registry',
    credentialType: 'registry-token',
    config,
    features,
    credential: { password },
    now: Date.now(),
  };
}

function check(result: Introspection, id: string) {
  const found = result.checks.find((c) => c.id === id);
  assert.ok(found, `check ${id} present`);
  return found;
}

function assertNoSecret(result: Introspection, value: string): void {
  assert.ok(!JSON.stringify(result).includes(value), 'the credential appears in the result');
}

describe('parsing', () => {
  test('image references are split the way the Docker client splits them', () => {
    const cases: [string, string, string, string | undefined][] = [
      ['nginx', 'docker.io', 'library/nginx', undefined],
      ['team/app:1.2', 'docker.io', 'team/app', '1.2'],
      ['registry.example.com:5000/team/app:v1', 'registry.example.com:5000', 'team/app', 'v1'],
      ['localhost/app', 'localhost', 'app', undefined],
      ['index.docker.io/library/redis:7', 'docker.io', 'library/redis', '7'],
      ['ghcr.io/o/r@sha256:abcd', 'ghcr.io', 'o/r', undefined],
    ];
    for (const [ref, host, repository, tag] of cases) {
      const parsed = parseImageReference(ref);
      assert.equal(parsed.host, host, ref);
      assert.equal(parsed.repository, repository, ref);
      assert.equal(parsed.tag, tag, ref);
    }
  });

  test('a Bearer challenge yields realm, service, scope and error', () => {
    const c = parseChallenge(
      'Bearer realm="http://127.0.0.1:1/token",service="reg",scope="repository:a/b:pull,push",error="insufficient_scope"',
    );
    assert.equal(c?.scheme, 'bearer');
    assert.deepEqual(c?.params, {
      realm: 'http://127.0.0.1:1/token',
      service: 'reg',
      scope: 'repository:a/b:pull,push',
      error: 'insufficient_scope',
    });
    assert.equal(parseChallenge('Basic realm="x"')?.scheme, 'basic');
  });

  test('a config without a registry is refused naming the field', () => {
    assert.throws(() => parseDockerRegistryConfig({ repository: 'a' }), /config\.registry is required/);
    assert.throws(() => parseDockerRegistryConfig({ registry: 'http://u:p@h' }), /config\.registry/);
  });
});

describe('against an unreachable registry', () => {
  test('reports unreachable, not invalid', async () => {
    const port = await freePort();
    const result = await dockerRegistryAdapter.verify(
      input(
        { registry: `http://127.0.0.1:${port}`, repository: 'team/app', username: 'alice' },
        passwords.alice,
      ),
    );
    assert.equal(result.reach, 'unreachable');
    assert.equal(result.findings[0]?.code, 'provider_unreachable');
    assert.equal(result.requests, 1);
  });
});

describe('against the Debian docker-registry with token auth', { skip: registrySkipReason() }, () => {
  let peer: RegistryPeer;
  before(async () => {
    peer = await startRegistryPeer({
      alice: { password: passwords.alice, actions: { 'team/app': ['pull', 'push'] } },
      carol: { password: passwords.carol, actions: { 'team/app': ['pull', 'push', 'delete'] } },
      bob: { password: passwords.bob, actions: { 'team/app': ['pull'] } },
      mallory: { password: passwords.mallory, actions: { '*': ['*'] }, forged: true },
    });
    console.log(`# docker-registry ready after ${peer.startMs} ms`);
  });
  after(async () => peer?.stop());
  const config = (username: string, extra: Record<string, unknown> = {}) => ({
    registry: peer.url,
    repository: 'team/app',
    username,
    ...extra,
  });

  const tokenFor = async (user: string, password: string): Promise<string> => {
    const url = `${peer.issuer.url}?service=${peer.service}&scope=repository:team/app:pull,push,delete`;
    const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    const body = (await (await fetch(url, { headers: { authorization } })).json()) as { token: string };
    return body.token;
  };
  const uploads = () => {
    const dir = join(peer.dataDir, 'docker/registry/v2/repositories/team/app/_uploads');
    // Distribution keeps an empty `hashstates` folder after a cancel: count files, not folders.
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name);
  };

  test('a pull+push credential passes every check and changes nothing in the registry', async () => {
    const result = await dockerRegistryAdapter.verify(input(config('alice'), passwords.alice));
    assert.equal(result.reach, 'ok');
    assert.equal(check(result, 'token-valid').outcome, 'pass');
    assert.equal(check(result, 'namespace-access').outcome, 'pass', check(result, 'namespace-access').detail);
    assert.deepEqual(result.grantedScopes, ['repository:{name}:pull', 'repository:{name}:push']);
    assert.deepEqual(result.identity, { account: 'alice', accountType: 'user' });
    assert.equal(result.findings.filter((f) => f.severity === 'error').length, 0);
    // GET /v2/, token, GET /v2/ with the token, pull probe, push probe (an empty manifest, refused).
    assert.equal(result.requests, 5);
    assert.match(
      check(result, 'namespace-access').detail ?? '',
      /push: allowed \(HTTP 400 \(MANIFEST_INVALID\)/,
    );
    assert.deepEqual(uploads(), []);
    assertNoSecret(result, passwords.alice);
  });

  test('the delete action shows in the granted scopes', async () => {
    const result = await dockerRegistryAdapter.verify(input(config('carol'), passwords.carol));
    assert.equal(check(result, 'namespace-access').outcome, 'pass');
    assert.deepEqual(result.grantedScopes, [
      'repository:{name}:delete',
      'repository:{name}:pull',
      'repository:{name}:push',
    ]);
    assert.deepEqual(uploads(), []);
  });

  test('the upload probe opens an upload and cancels it (Distribution keeps only a hash state)', async () => {
    const token = await tokenFor('carol', passwords.carol);
    const http = new RegistryHttp(fetch, 5000);
    const parsed = { ...parseDockerRegistryConfig(config('carol')), repository: 'team/app' };
    const result = await probePushByUpload(http, parsed, `Bearer ${token}`);
    assert.equal(result.result, 'allowed');
    assert.equal(result.detail, 'HTTP 202, upload cancelled');
    assert.equal(http.requests, 2);
    assert.deepEqual(
      uploads().filter((name) => name === 'data' || name === 'startedat'),
      [],
    );
    const denied = await probePushByUpload(http, parsed, `Bearer ${await tokenFor('bob', passwords.bob)}`);
    assert.equal(denied.result, 'denied');
  });

  test('a pull-only credential is reported as missing push', async () => {
    const result = await dockerRegistryAdapter.verify(input(config('bob'), passwords.bob));
    assert.equal(result.reach, 'ok');
    assert.deepEqual(result.grantedScopes, ['repository:{name}:pull']);
    assert.equal(check(result, 'namespace-access').outcome, 'fail');
    const missing = result.findings.filter((f) => f.code === 'scope_missing');
    assert.equal(missing.length, 1);
    assert.match(missing[0]?.message ?? '', /cannot push to repository team\/app.*insufficient_scope/);
    assert.match(missing[0]?.fix ?? '', /repository:team\/app:push/);
  });

  test('with only pull-images enabled the pull-only credential passes and no push is tried', async () => {
    const result = await dockerRegistryAdapter.verify(input(config('bob'), passwords.bob, ['pull-images']));
    assert.equal(check(result, 'namespace-access').outcome, 'pass');
    assert.equal(result.requests, 4);
  });

  test('a token signed by another key is invalid', async () => {
    const result = await dockerRegistryAdapter.verify(input(config('mallory'), passwords.mallory));
    assert.equal(result.reach, 'invalid');
    assert.equal(check(result, 'token-valid').outcome, 'fail');
    assert.match(result.findings[0]?.message ?? '', /invalid_token/);
    assert.equal(check(result, 'namespace-access').outcome, 'skipped');
  });

  test('a wrong password at the token service is invalid', async () => {
    const wrong = secret();
    const result = await dockerRegistryAdapter.verify(input(config('alice'), wrong));
    assert.equal(result.reach, 'invalid');
    assert.equal(result.findings[0]?.code, 'credential_invalid');
    assert.match(result.findings[0]?.message ?? '', /token service refused/);
    assertNoSecret(result, wrong);
  });

  test('the registry host is checked against the image reference', async () => {
    const good = await dockerRegistryAdapter.verify(
      input({ registry: peer.url, username: 'alice', image: `${peer.host}/team/app` }, passwords.alice, [
        'pull-images',
      ]),
    );
    assert.equal(check(good, 'registry-host-matches').outcome, 'pass');
    const bad = await dockerRegistryAdapter.verify(
      input(config('alice', { image: 'registry.example.com/team/app:v1' }), passwords.alice, ['pull-images']),
    );
    assert.equal(check(bad, 'registry-host-matches').outcome, 'fail');
    assert.ok(bad.findings.some((f) => f.code === 'registry_host_mismatch'));
  });

  test('a missing tag is a warning, not a missing permission', async () => {
    const result = await dockerRegistryAdapter.verify(
      input(config('bob', { tag: 'nope' }), passwords.bob, ['pull-images']),
    );
    assert.equal(check(result, 'namespace-access').outcome, 'pass');
    assert.equal(result.findings[0]?.code, 'image_not_found');
  });
});
