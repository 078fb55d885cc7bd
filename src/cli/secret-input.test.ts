import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { UsageError } from './cli-error.ts';
import { resolveToken } from './connection.ts';
import { parseCredentialJson, readCredential } from './secret-input.ts';
import { createTestIO } from './test-io.ts';

const secret = () => randomBytes(18).toString('base64url');
let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keyhouse-cli-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('credential input', () => {
  test('reads a JSON object of fields from --credential-file', async () => {
    const value = secret();
    const file = join(dir, 'cred.json');
    await writeFile(file, JSON.stringify({ token: value, username: 'bot' }), { mode: 0o600 });
    const t = createTestIO();
    assert.deepEqual(await readCredential(t.io, { file, fields: ['token'] }), {
      token: value,
      username: 'bot',
    });
    assert.equal(t.stderr(), '');
  });

  test('warns when the credential file is readable by others, without printing its content', async () => {
    const value = secret();
    const file = join(dir, 'open.json');
    await writeFile(file, JSON.stringify({ token: value }));
    await chmod(file, 0o644);
    const t = createTestIO();
    await readCredential(t.io, { file, fields: ['token'] });
    assert.match(t.stderr(), /readable by other users/);
    assert.ok(!t.stderr().includes(value));
  });

  test('reads a bare value from standard input into the one named field, dropping the final newline', async () => {
    const value = secret();
    const t = createTestIO({ stdin: `${value}\n` });
    assert.deepEqual(await readCredential(t.io, { fields: ['token'] }), { token: value });
  });

  test('reads a JSON object from standard input', async () => {
    const value = secret();
    const t = createTestIO({ stdin: JSON.stringify({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: value }) });
    assert.deepEqual(await readCredential(t.io, { fields: ['token'] }), {
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: value,
    });
  });

  test('prompts for each field with echo off on a terminal', async () => {
    const value = secret();
    const t = createTestIO({ typed: [`${value}\r`] });
    assert.deepEqual(await readCredential(t.io, { fields: ['token'] }), { token: value });
    assert.deepEqual(t.rawModes, [true, false]);
    assert.match(t.stderr(), /token \(input hidden\): /);
    assert.ok(!t.stderr().includes(value) && !t.stdout().includes(value));
  });

  test('the prompt honours backspace and Ctrl-C cancels', async () => {
    const t = createTestIO({ typed: ['abx\u007fc\r'] });
    assert.deepEqual(await readCredential(t.io, { fields: ['token'] }), { token: 'abc' });
    const c = createTestIO({ typed: ['ab\u0003'] });
    await assert.rejects(readCredential(c.io, { fields: ['token'] }), /cancelled/);
  });

  test('refuses bad JSON, non-string and empty fields without quoting the content', () => {
    const value = secret();
    for (const text of [`{"token": "${value}"`, `{"token": 5}`, `{"token": ""}`, `["${value}"]`, '{}']) {
      assert.throws(
        () => parseCredentialJson(text, 'x'),
        (e: unknown) => e instanceof UsageError && !e.message.includes(value),
      );
    }
  });

  test('standard input with several fields must be JSON', async () => {
    const t = createTestIO({ stdin: 'just-a-value' });
    await assert.rejects(readCredential(t.io, { fields: ['a', 'b'] }), UsageError);
  });
});

describe('token input', () => {
  test('reads the token from --token-file, --token-file - (stdin), and KEYHOUSE_TOKEN, in that order', async () => {
    const [a, b, c] = [secret(), secret(), secret()];
    const file = join(dir, 'token');
    await writeFile(file, `${a}\n`, { mode: 0o600 });
    assert.equal(
      await resolveToken(createTestIO({ env: { KEYHOUSE_TOKEN: c } }).io, { 'token-file': file }),
      a,
    );
    assert.equal(
      await resolveToken(createTestIO({ stdin: `${b}\n`, env: { KEYHOUSE_TOKEN: c } }).io, {
        'token-file': '-',
      }),
      b,
    );
    assert.equal(await resolveToken(createTestIO({ env: { KEYHOUSE_TOKEN: c } }).io, {}), c);
  });

  test('prompts on a terminal, and fails with the auth exit code when there is no token at all', async () => {
    const value = secret();
    assert.equal(await resolveToken(createTestIO({ typed: [`${value}\n`] }).io, {}), value);
    await assert.rejects(
      resolveToken(createTestIO().io, {}),
      (e: unknown) => (e as { exitCode?: number }).exitCode === 3,
    );
  });

  test('a missing token file is a usage error naming the file', async () => {
    await assert.rejects(
      resolveToken(createTestIO().io, { 'token-file': join(dir, 'absent') }),
      /cannot read token file .*absent: ENOENT/,
    );
  });
});
