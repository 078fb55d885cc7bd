/**
 * Canary secrets, one per credential shape, stored through the API and then pushed through every
 * route: not one byte of them (raw, base64, base64url, hex, URL-encoded, JSON-escaped, or any 12
 * characters in a row) may appear in a response body or header, a log line (trace level), or a
 * file of the embedded data directory (encrypted at rest).
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type HttpFixture, startHttpFixture } from './support/http-fixture.ts';

const alnum = (n: number) =>
  randomBytes(n * 2)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, n);

/** Fresh secrets shaped like the real ones. */
function canaries() {
  const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  return [
    { provider: 'github', credentialType: 'classic-pat', credential: { token: `ghp_${alnum(36)}` } },
    {
      provider: 'github',
      credentialType: 'fine-grained-pat',
      credential: { token: `github_pat_${alnum(22)}_${alnum(59)}` },
    },
    {
      provider: 'github',
      credentialType: 'github-app',
      credential: { privateKey: pem },
      config: { appId: '12345', installationId: '678' },
    },
    {
      provider: 'gitlab',
      credentialType: 'personal-access-token',
      credential: { token: `glpat-${alnum(20)}` },
    },
    {
      provider: 'bitbucket-cloud',
      credentialType: 'app-password',
      credential: { password: `ATBB${alnum(28)}` },
      config: { username: 'builder' },
    },
    { provider: 'azure-devops', credentialType: 'pat', credential: { token: alnum(52).toLowerCase() } },
    {
      provider: 'docker-registry',
      credentialType: 'registry-token',
      credential: { password: alnum(32) },
      config: { registry: 'registry.example.test:5000', username: 'pusher' },
    },
    {
      provider: 'aws',
      credentialType: 'access-key',
      credential: { secretAccessKey: alnum(40) },
      config: { accessKeyId: `AKIA${alnum(16).toUpperCase()}`, region: 'us-east-1' },
    },
    {
      provider: 's3',
      credentialType: 'access-key',
      credential: { secretAccessKey: alnum(40) },
      config: { accessKeyId: alnum(20).toUpperCase(), bucket: 'backups', region: 'us-east-1' },
    },
  ];
}

/** Every form of a secret that must never appear, down to any 12-character run. */
function forbiddenForms(secret: string): string[] {
  const out = new Set<string>();
  const lines = secret.split('\n').filter((l) => l.length >= 12 && !l.startsWith('-----'));
  for (const part of lines.length > 0 ? lines : [secret]) {
    for (let i = 0; i + 12 <= part.length; i += 1) out.add(part.slice(i, i + 12));
  }
  const buf = Buffer.from(secret);
  for (const encoded of [
    buf.toString('base64'),
    buf.toString('base64url'),
    buf.toString('hex'),
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
  ]) {
    out.add(encoded.slice(0, 24));
  }
  return [...out];
}

function scan(haystacks: Iterable<string>, secrets: string[], where: string): void {
  const forms = secrets.flatMap(forbiddenForms);
  for (const text of haystacks) {
    for (const form of forms) {
      if (text.includes(form)) assert.fail(`a canary (${form.slice(0, 4)}…) appears in ${where}`);
    }
  }
}

async function exercise(f: HttpFixture, secrets: string[]): Promise<void> {
  const ws = '/api/v1/workspaces/default';
  const list = await f.call('admin', 'GET', `${ws}/integrations`);
  assert.equal(list.statusCode, 200);
  for (const item of (list.json() as { items: { id: string }[] }).items) {
    const url = `${ws}/integrations/${item.id}`;
    const one = await f.call('admin', 'GET', url);
    await f.call('member', 'GET', url);
    const fields = (one.json() as { credential: { fields: string[] } }).credential.fields;
    const fresh = `ghp_${alnum(36)}`;
    const credential = Object.fromEntries(fields.map((name) => [name, `${fresh}${alnum(8)}`]));
    secrets.push(fresh, ...Object.values(credential));
    const etag = { 'if-match': one.headers.etag as string };
    const replaced = await f.call('admin', 'PUT', `${url}/credential`, { credential }, etag);
    assert.equal(replaced.statusCode, 200, replaced.body);
    const next = { 'if-match': replaced.headers.etag as string };
    // A stale ETag, bad bodies holding a secret, and a secret in a query string: refused, never echoed.
    assert.equal((await f.call('admin', 'PUT', `${url}/credential`, { credential }, etag)).statusCode, 412);
    assert.equal(
      (await f.call('admin', 'PUT', `${url}/credential`, { credential, extra: fresh }, next)).statusCode,
      400,
    );
    const unknownField = { credential: { ...credential, notAField: fresh } };
    assert.equal((await f.call('admin', 'PUT', `${url}/credential`, unknownField, next)).statusCode, 400);
    assert.equal((await f.call('admin', 'GET', `${url}?token=${encodeURIComponent(fresh)}`)).statusCode, 400);
    await f.call('admin', 'POST', `${ws}/explain`, { integrationId: item.id, action: 'integration.use' });
  }
  await f.call('admin', 'GET', `${ws}/audit?limit=100`);
}

test('the scan finds a canary in any of its forms', () => {
  const secret = `ghp_${alnum(36)}`;
  for (const form of [
    secret,
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('hex'),
    `x${secret.slice(10, 23)}y`,
  ]) {
    assert.throws(() => scan([`before ${form} after`], [secret], 'a sample'), /appears in a sample/);
  }
  assert.doesNotThrow(() => scan([`fingerprint …${secret.slice(-4)}`], [secret], 'a sample'));
});

test('no canary byte in any response, log line or data file', async () => {
  const f = await startHttpFixture();
  const secrets: string[] = [];
  try {
    for (const c of canaries()) {
      secrets.push(...Object.values(c.credential));
      const res = await f.call('admin', 'POST', '/api/v1/workspaces/default/integrations', {
        name: `${c.provider} ${c.credentialType}`,
        scope: { type: 'WORKSPACE' },
        ...c,
      });
      assert.equal(res.statusCode, 201, res.body);
      // A failed create with the secret in it answers without the secret.
      const dup = await f.call('admin', 'POST', '/api/v1/workspaces/default/integrations', {
        id: (res.json() as { id: string }).id,
        name: 'x',
        scope: { type: 'WORKSPACE' },
        ...c,
      });
      assert.equal(dup.statusCode, 409);
    }
    await exercise(f, secrets);
    assert.ok(f.logs.length > 20, 'the server logged the requests');
    scan(f.bodies, secrets, 'an API response');
    scan(f.logs, secrets, 'a log line');
    const dir = (f.runtime as unknown as { dataDir: string }).dataDir;
    await f.runtime.close();
    const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    assert.ok(files.length > 0);
    scan(
      files.map((e) => readFileSync(join(e.parentPath, e.name)).toString('latin1')),
      secrets,
      'a file of the data directory',
    );
  } finally {
    await f.close();
  }
});
