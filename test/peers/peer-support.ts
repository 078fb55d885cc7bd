/**
 * Test support for real peers (Debian daemons started as foreground children on 127.0.0.1): free
 * ports, owner-traversable temporary folders, children started and stopped by pid (recorded in a
 * `pids` file of the peer's folder), readiness polling, and the skip-or-fail rule when the Debian
 * package of a peer is missing.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, closeSync, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A child process of a peer, stopped by its pid. */
export interface PeerProcess {
  readonly name: string;
  readonly pid: number;
  /** Resolves once the child exited (SIGTERM first, SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

const running = new Map<number, ChildProcess>();
process.once('exit', () => {
  for (const pid of running.keys()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** A free TCP port on 127.0.0.1 (listen on 0, read it, close). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A fresh temporary folder, mode 0755 so that daemons running as another user can traverse it. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `keyhouse-${prefix}-`));
  chmodSync(dir, 0o755);
  return dir;
}

/** Removes a temporary folder made by {@link makeTempDir}. */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Options of {@link startPeerProcess}. */
export interface StartPeerOptions {
  readonly cwd: string;
  /** The peer's folder: stdout and stderr go to `<name>.out`, the pid is appended to `pids`. */
  readonly dir: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** Spawns a foreground daemon, records its pid, and returns a handle that stops it by pid. */
export function startPeerProcess(
  name: string,
  command: string,
  args: readonly string[],
  options: StartPeerOptions,
): PeerProcess {
  const out = openSync(join(options.dir, `${name}.out`), 'a');
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C', ...options.env },
    stdio: ['ignore', out, out],
    // Its own process group: Apache signals its whole group on shutdown, which would hit the test runner.
    detached: true,
  });
  closeSync(out);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name} did not start (${command} not found?)`);
  running.set(pid, child);
  appendFileSync(join(options.dir, 'pids'), `${name} ${pid}\n`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => running.delete(pid));
  return {
    name,
    pid,
    async stop(graceMs = 8000) {
      if (!running.has(pid)) return;
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => running.has(pid) && process.kill(pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Whether a child started by {@link startPeerProcess} is still running. */
export function isRunning(peer: PeerProcess): boolean {
  return running.has(peer.pid);
}

/** Polls `probe` until it returns true; throws naming `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean> | boolean,
  timeoutMs: number,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await sleep(intervalMs);
  }
  throw new Error(`${what} was not ready after ${timeoutMs} ms`);
}

/** True once `url` answers any HTTP status. */
export async function answersHttp(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/** Runs a short command to completion; throws with its output when it fails. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; input?: string } = {},
): string {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C', HOME: options.cwd ?? tmpdir() },
    timeout: 120_000,
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args[0] ?? ''} failed (${result.status}): ${result.stderr}${result.stdout}`,
    );
  }
  return result.stdout;
}

/**
 * The skip reason when a peer's binaries are missing, or `undefined` when they are all present.
 * With `KEYHOUSE_REQUIRE_PEERS=1` a missing binary throws instead, so CI cannot skip silently.
 */
export function peerSkipReason(
  peer: string,
  debianPackages: string,
  binaries: readonly string[],
): string | undefined {
  const missing = binaries.filter((binary) => !existsSync(binary));
  if (missing.length === 0) return undefined;
  const reason = `${peer}: ${missing.join(', ')} missing (install the Debian packages ${debianPackages}, see scripts/install-test-peers.sh)`;
  if (process.env['KEYHOUSE_REQUIRE_PEERS'] === '1')
    throw new Error(`KEYHOUSE_REQUIRE_PEERS=1 but ${reason}`);
  console.log(`# skipped: ${reason}`);
  return reason;
}
