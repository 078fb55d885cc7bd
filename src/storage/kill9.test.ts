/**
 * Kill -9 durability: a child process writes permission changes (each with its audit event and
 * change-log row, in one transaction) and acknowledges each commit; it is killed with SIGKILL at
 * random moments, at least 20 times per backend. After each kill the store is reopened and must
 * hold every acknowledged write, and no half-written change.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openStore, type Store } from './store.ts';
import { kill9PermissionSet } from './test-support/kill9-shape.ts';
import { allTargets, type TestLocation } from './test-support/test-targets.ts';

const CYCLES = 20;
const writer = new URL('./test-support/kill9-writer.ts', import.meta.url).pathname;
// Children share a V8 compile cache: a restart then takes about 0.3 s instead of 0.6 s.
const compileCache = mkdtempSync(join(tmpdir(), 'keyhouse-kill9-cache-'));
after(() => rmSync(compileCache, { recursive: true, force: true }));

interface Cycle {
  readonly acked: number;
  readonly acks: number;
}

/**
 * Starts the writer and kills it at a random 0–300 ms after its first acknowledged commit, so every
 * cycle kills it mid-stream whatever the machine's load.
 */
function runAndKill(location: TestLocation, workspaceId: string, integrationId: string): Promise<Cycle> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      [writer, JSON.stringify(location.config), workspaceId, integrationId],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NODE_COMPILE_CACHE: compileCache },
      },
    );
    let acked = 0;
    let acks = 0;
    let buffered = '';
    let stderr = '';
    const guard = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^ack (\d+)$/.exec(line);
        if (m) {
          acked = Math.max(acked, Number(m[1]));
          acks++;
          if (acks === 1) setTimeout(() => child.kill('SIGKILL'), Math.random() * 300);
        }
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (signal === 'SIGKILL') resolve({ acked, acks });
      else reject(new Error(`writer exited with ${code ?? signal}: ${stderr}`));
    });
  });
}

/** Checks that the store holds every acknowledged write and nothing half-written. */
async function check(
  store: Store,
  workspaceId: string,
  integrationId: string,
  acked: number,
): Promise<number> {
  const integration = (await store.getIntegration(workspaceId, integrationId))!;
  assert.ok(integration.version >= acked, `version ${integration.version} < acknowledged ${acked}`);
  const expected = kill9PermissionSet(integration.version);
  if (integration.version > 1) {
    assert.deepEqual(integration.permissions, expected.permissions, 'entries match the current version');
  }
  const audited = await auditedVersions(store, workspaceId);
  assert.deepEqual(
    audited,
    Array.from({ length: integration.version - 1 }, (_, n) => n + 2),
    'one audit event per version',
  );
  const changes = (await store.changesSince(0, 100_000)).filter(
    (c) => c.ids['integrationId'] === integrationId,
  );
  assert.equal(changes.length, integration.version - 1, 'one change-log row per version');
  assert.deepEqual((await store.verifyAuditChain(workspaceId)).ok, true);
  return integration.version;
}

async function auditedVersions(store: Store, workspaceId: string): Promise<number[]> {
  const versions: number[] = [];
  let afterSeq = 0;
  for (;;) {
    const page = await store.listAudit({ workspaceId, order: 'asc', limit: 1000, afterSeq });
    for (const e of page) versions.push((e.after as { version: number }).version);
    if (page.length < 1000) return versions;
    afterSeq = page.at(-1)!.seq;
  }
}

const targets = await allTargets();
// The backends are independent: run them side by side to keep the file near 30 s.
describe('kill -9 durability', { concurrency: true }, () => {
  for (const target of targets) {
    describe(`kill -9 durability (${target.kind})`, { skip: target.skipReason ?? false }, () => {
      let location: TestLocation;
      let workspaceId: string;
      let integrationId: string;

      before(async () => {
        if (target.failReason !== undefined) throw new Error(target.failReason);
        location = await target.fresh();
        const store = await openStore(location.config);
        const ws = await store.createWorkspace({ name: 'kill9' });
        const integration = await store.createIntegration({
          workspaceId: ws.id,
          scope: { type: 'WORKSPACE' },
          provider: 'github',
          credentialType: 'classic-pat',
          name: 'kill9',
          config: {},
          ...kill9PermissionSet(1),
        });
        [workspaceId, integrationId] = [ws.id, integration.id];
        await store.close();
      });

      after(async () => {
        await location?.cleanup();
      });

      test(`${CYCLES} kills: every acknowledged write survives, none is half-written`, async () => {
        let totalAcks = 0;
        let cyclesWithAcks = 0;
        let version = 1;
        let slowestReopen = 0;
        for (let cycle = 0; cycle < CYCLES; cycle++) {
          const { acked, acks } = await runAndKill(location, workspaceId, integrationId);
          totalAcks += acks;
          if (acks > 0) cyclesWithAcks++;
          const opening = performance.now();
          const store = await openStore(location.config);
          slowestReopen = Math.max(slowestReopen, performance.now() - opening);
          try {
            const now = await check(store, workspaceId, integrationId, acked);
            assert.ok(now >= version, 'versions never go back');
            version = now;
          } finally {
            await store.close();
          }
        }
        console.log(
          `# ${target.kind}: ${CYCLES} kills, ${totalAcks} acknowledged commits, final version ${version}, ` +
            `slowest reopen ${slowestReopen.toFixed(0)} ms`,
        );
        assert.ok(slowestReopen < 5000, 'reopens within 5 s');
        assert.equal(cyclesWithAcks, CYCLES, 'every cycle was killed while writing');
      });
    });
  }
});
