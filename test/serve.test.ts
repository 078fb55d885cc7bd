/**
 * `keyhouse serve` as a process: first start prints the bootstrap token once, the server answers,
 * a second process on the same data directory is refused, a restart prints no token, a bad
 * setting stops the start naming the key. Every process is stopped by its pid.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const MAIN = new URL('../src/cli/main.ts', import.meta.url).pathname;
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.pid) process.kill(c.pid, 'SIGKILL');
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface Run {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number>;
}

function serve(env: Record<string, string>, args: string[] = []): Run {
  const child = spawn(process.execPath, [MAIN, 'serve', ...args], {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  return { child, out: () => out, err: () => err, exited };
}

async function waitFor(predicate: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('serve: bootstrap token once, health, lock, restart, clean stop', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyhouse-serve-'));
  const dataDir = join(dir, 'data');
  try {
    const port = await freePort();
    const env = { KEYHOUSE_DATA_DIR: dataDir, KEYHOUSE_PORT: String(port) };
    const first = serve(env);
    await waitFor(() => first.out().includes('ready at'), 'the first start');
    const token = /kh_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/.exec(first.out())?.[0];
    assert.ok(token, 'the bootstrap token is printed');
    assert.equal(first.err().includes(token), false);
    assert.equal(statSync(dataDir).mode & 0o077, 0, 'the data directory is owner-only');
    assert.equal(
      statSync(join(dataDir, 'master.key')).mode & 0o077,
      0,
      'the generated key file is owner-only',
    );
    const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
    assert.equal(health.status, 200);
    const me = await fetch(`http://127.0.0.1:${port}/api/v1/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(((await me.json()) as { user: { login: string } }).user.login, 'admin');

    const second = serve({ ...env, KEYHOUSE_PORT: String(await freePort()) });
    assert.equal(await second.exited, 1, 'a second process on the same data directory is refused');
    assert.match(second.err(), /lock|in use|another/i);

    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0);

    const again = serve(env);
    await waitFor(() => again.out().includes('ready at'), 'the restart');
    assert.equal(/kh_[0-9a-f]{16}_/.test(again.out()), false, 'no token on a restart');
    // The restart logs what its index load read: the bootstrap workspace and its admin.
    const load = again
      .out()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; policyIndex?: Record<string, number> })
      .find((entry) => entry.msg === 'policy index loaded');
    assert.ok(load?.policyIndex, 'the restart logs its index load');
    assert.deepEqual(
      { workspaces: load.policyIndex['workspaces'], members: load.policyIndex['members'] },
      { workspaces: 1, members: 1 },
    );
    assert.ok(load.policyIndex['revision']! > 0 && load.policyIndex['snapshotMs']! >= 0);
    const stillValid = await fetch(`http://127.0.0.1:${port}/api/v1/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(stillValid.status, 200);
    again.child.kill('SIGTERM');
    assert.equal(await again.exited, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('serve: a bad setting stops the start naming the key', async () => {
  const run = serve({ KEYHOUSE_PORT: 'seventy' });
  assert.equal(await run.exited, 2);
  assert.match(run.err(), /KEYHOUSE_PORT/);
});

test('serve --help lists the settings', async () => {
  const run = serve({}, ['--help']);
  assert.equal(await run.exited, 0);
  assert.match(run.out(), /KEYHOUSE_MASTER_KEY/);
  assert.match(run.out(), /DATABASE_URL/);
});
