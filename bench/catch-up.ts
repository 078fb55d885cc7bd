/**
 * What another process pays to see one write, on SQLite and PostgreSQL: replaying the change
 * log's policy change (now) against rebuilding the index from the database (before), on the
 * 50k-entry workspace of `bench/decisions.ts` stored through the store's own functions. Each
 * round commits a real permissions update as the service does (the integration's rows and the
 * change-log row with its policy change), then times the reading process's next `fresh()`.
 *
 * ```sh
 * npx node --expose-gc bench/catch-up.ts [--rounds 40]
 * npx node --test bench/catch-up.test.ts          # its own test (a tiny workspace)
 * ```
 */
import type { PolicyChange } from '../src/core/policy/changes.ts';
import type { Level, PolicyIntegration } from '../src/core/policy/types.ts';
import { IndexSync } from '../src/services/index-sync.ts';
import { openStore, type Store, type StoreTransaction } from '../src/storage/store.ts';
import { postgresTarget, sqliteTarget, type TestTarget } from '../src/storage/test-support/test-targets.ts';
import { collect, quantile } from './measure.ts';
import { generateWorkspace, SMALL_SHAPE, type Workspace } from './workspace-generator.ts';

const REBUILDS = 5;

const at = (values: readonly number[], q: number): number => quantile(Float64Array.from(values).sort(), q);
const median = (values: readonly number[]): number => at(values, 0.5);

async function timedMs(run: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Stores the generated workspace: users, memberships, project roles, groups, integrations. */
export async function populate(store: Store, ws: Workspace, log?: (line: string) => void): Promise<void> {
  const { data } = ws;
  const w = ws.workspaceId;
  await store.createWorkspace({ id: w, name: 'bench' });
  // In transactions of up to 1,000 items, as an import would write, with the planner's
  // statistics refreshed between the kinds (one long transaction keeps them from ever being).
  const inBatches = async <T>(
    items: readonly T[],
    write: (tx: StoreTransaction, item: T) => Promise<unknown>,
  ) => {
    const started = performance.now();
    for (let from = 0; from < items.length; from += 1_000)
      await store.transaction(async (tx) => {
        for (const item of items.slice(from, from + 1_000)) await write(tx, item);
      });
    await store.refreshStatistics();
    log?.(
      `stored ${items.length.toLocaleString('en')} items in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  };
  await inBatches(ws.userIds, (tx, id) => tx.createUser({ id, login: `user-${id}` }));
  await inBatches(ws.projectIds, (tx, id) => tx.createProject({ id, workspaceId: w, name: id }));
  await inBatches(data.members, async (tx, m) => {
    await tx.setMembership({
      workspaceId: w,
      userId: m.userId,
      role: m.role,
      roleSource: { kind: 'manual' },
    });
    for (const [projectId, role] of Object.entries(m.projectRoles ?? {}))
      await tx.setProjectRole({
        workspaceId: w,
        projectId,
        userId: m.userId,
        role,
        roleSource: { kind: 'manual' },
      });
  });
  await inBatches(data.groups, async (tx, g) => {
    await tx.createGroup({ id: g.id, workspaceId: w, name: g.id });
    await tx.setGroupMembers(w, g.id, g.userIds);
  });
  await inBatches(data.integrations, (tx, i) =>
    tx.createIntegration({
      id: i.id,
      workspaceId: w,
      scope: i.scope,
      provider: 'github',
      credentialType: 'classic-pat',
      name: i.name,
      config: {},
      permissions: i.permissions,
      allowedPipelines: i.allowedPipelines,
    }),
  );
}

/** One write as the service makes it: the integration's permissions, and the change with its policy change. */
async function writePermissions(store: Store, ws: Workspace, integration: PolicyIntegration, level: Level) {
  const users = integration.permissions.users.map((e, k) => (k === 0 ? { ...e, level } : e));
  const permissions = { ...integration.permissions, users };
  await store.transaction(async (tx) => {
    const current = await tx.getIntegration(ws.workspaceId, integration.id);
    const result = await tx.updateIntegrationPermissions(ws.workspaceId, integration.id, current!.version, {
      permissions,
      allowedPipelines: integration.allowedPipelines,
    });
    if (result.status !== 'updated') throw new Error(`write: ${result.status}`);
    const change: PolicyChange = { type: 'integration.upsert', integration: { ...integration, permissions } };
    await tx.recordChange('integration.upsert', { workspaceId: ws.workspaceId }, change);
  });
}

/** Timings of one store, in ms: the check with nothing new, the catch-up after a write, the rebuild. */
export interface CatchUpTimings {
  readonly populateMs: number;
  readonly idle: readonly number[];
  readonly replay: readonly number[];
  readonly rebuild: readonly number[];
}

/**
 * Stores `ws` in a fresh database of `target`, then `rounds` times: times a check with nothing
 * new, writes, and times the catch-up; then times {@link REBUILDS} rebuilds. Throws unless every
 * write was replayed and none rebuilt.
 */
export async function measureCatchUp(
  target: TestTarget,
  ws: Workspace,
  rounds: number,
  log?: (line: string) => void,
): Promise<CatchUpTimings> {
  const location = await target.fresh();
  const store = await openStore(location.config);
  try {
    const populateMs = await timedMs(() => populate(store, ws, log));
    const reader = await IndexSync.load(store, { shared: true });
    const idle: number[] = [];
    const replay: number[] = [];
    const rebuild: number[] = [];
    const withEntries = ws.data.integrations.filter((i) => i.permissions.users.length > 0);
    for (let round = 0; round < rounds; round++) {
      idle.push(await timedMs(() => reader.fresh()));
      const integration = withEntries[(round * 7_919) % withEntries.length]!;
      await writePermissions(store, ws, integration, round % 2 === 0 ? 'DENY' : 'MANAGE');
      replay.push(await timedMs(() => reader.fresh()));
    }
    const { replayed, rebuilt } = reader.counts;
    if (replayed !== rounds || rebuilt !== 0) throw new Error(`replayed ${replayed}, rebuilt ${rebuilt}`);
    for (let k = 0; k < REBUILDS; k++) {
      collect();
      rebuild.push(await timedMs(() => reader.rebuild()));
    }
    return { populateMs, idle, replay, rebuild };
  } finally {
    await store.close();
    await location.cleanup();
  }
}

async function main(): Promise<void> {
  const roundsArg = process.argv.indexOf('--rounds');
  const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 40;
  const ws = generateWorkspace(SMALL_SHAPE);
  const entries = SMALL_SHAPE.userEntries + SMALL_SHAPE.groupEntries;
  console.log(
    `## Another process sees one write: ${entries.toLocaleString('en')} entries, ${rounds} writes\n`,
  );
  console.log(
    '| store | replay p50 / p99 ms | rebuild p50 ms | rebuild / replay | check with nothing new p50 ms |',
  );
  console.log('|:--|--:|--:|--:|--:|');
  const postgres = await postgresTarget();
  for (const target of [sqliteTarget(), postgres]) {
    if (target.skipReason !== undefined) {
      console.log(`| ${target.kind} | skipped: ${target.skipReason} | | | |`);
      continue;
    }
    const r = await measureCatchUp(target, ws, rounds, (line) => console.error(`# ${target.kind}: ${line}`));
    const ratio = median(r.rebuild) / median(r.replay);
    console.log(
      `| ${target.kind} | ${median(r.replay).toFixed(2)} / ${at(r.replay, 0.99).toFixed(2)} | ${median(r.rebuild).toFixed(0)} | ${ratio.toFixed(0)}× | ${median(r.idle).toFixed(2)} |`,
    );
    console.error(`# ${target.kind}: stored in ${(r.populateMs / 1000).toFixed(1)} s`);
  }
}

if (import.meta.main) await main();
