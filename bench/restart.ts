/**
 * A restart: what a process pays from opening its store to an index ready to decide, on the
 * workspace of `bench/decisions.ts` stored through the store's own functions. Each round closes
 * the store and times opening it (migrations checked, planner statistics refreshed), the policy
 * snapshot, and the index build from it; then, as the peer measured in the same run, the same
 * tables read as row objects through Kysely (`selectAll().execute()`, the store's ordinary way to
 * read), which reads the rows only and gathers nothing. Every round's index is checked against
 * one built from the generated data, decision by decision on a sample.
 *
 * ```sh
 * npx node --expose-gc bench/restart.ts            # 50k entries, SQLite and PostgreSQL
 * npx node --expose-gc bench/restart.ts --large    # 1M entries, SQLite (about 2 minutes to store)
 * npx node --test bench/restart.test.ts            # its own test (a tiny workspace)
 * ```
 */
import { PolicyIndex } from '../src/core/policy/policy-index.ts';
import { policyDataOf } from '../src/services/index-sync.ts';
import type { Database } from '../src/storage/schema.ts';
import { openStore, type Store } from '../src/storage/store.ts';
import { postgresTarget, sqliteTarget, type TestTarget } from '../src/storage/test-support/test-targets.ts';
import { populate } from './catch-up.ts';
import { NOW } from './keyhouse-engine.ts';
import { collect } from './measure.ts';
import { generateWorkspace, LARGE_SHAPE, SMALL_SHAPE, type Workspace } from './workspace-generator.ts';

/** Decisions compared per round between the restarted index and one built from the generated data. */
const CHECKS = 2_000;

/** The tables a snapshot reads. */
const TABLES: readonly (keyof Database)[] = [
  'workspaces',
  'memberships',
  'project_roles',
  'groups',
  'group_members',
  'projects',
  'pipelines',
  'integrations',
  'integration_entries',
  'integration_pipelines',
];

/** One restart, in ms. */
export interface RestartTimings {
  readonly openMs: number;
  readonly snapshotMs: number;
  readonly buildMs: number;
  /** The same tables read as row objects (the peer). */
  readonly rowObjectsMs: number;
  /** Rows in those tables. */
  readonly rows: number;
}

const since = (started: number): number => performance.now() - started;

/** Every row of the snapshot's tables as objects, in one transaction: the count and the time. */
async function readAsRowObjects(store: Store): Promise<{ ms: number; rows: number }> {
  const started = performance.now();
  let rows = 0;
  await store.db.transaction().execute(async (trx) => {
    for (const table of TABLES) rows += (await trx.selectFrom(table).selectAll().execute()).length;
  });
  return { ms: since(started), rows };
}

/** Throws unless `index` decides like `reference` on a spread sample of (user, integration). */
function checkAgainst(index: PolicyIndex, reference: PolicyIndex, ws: Workspace, round: number): void {
  for (let k = 0; k < CHECKS; k++) {
    const user = ws.userIds[(k * 7_919 + round) % ws.userIds.length]!;
    const integration = ws.integrationIds[(k * 104_729 + round) % ws.integrationIds.length]!;
    const got = index.levelRank(user, integration, NOW);
    const want = reference.levelRank(user, integration, NOW);
    if (got !== want)
      throw new Error(`restart: ${user} on ${integration} is ${got}, built from the data ${want}`);
  }
}

/**
 * Stores `ws` in a fresh database of `target`, then `rounds` times closes the store and times a
 * restart, each index checked against one built from the generated data.
 */
export async function measureRestarts(
  target: TestTarget,
  ws: Workspace,
  rounds: number,
  log?: (line: string) => void,
): Promise<RestartTimings[]> {
  const location = await target.fresh();
  let store = await openStore(location.config);
  try {
    await populate(store, ws, log);
    const reference = PolicyIndex.build(ws.data);
    const out: RestartTimings[] = [];
    for (let round = 0; round < rounds; round++) {
      await store.close();
      collect();
      let started = performance.now();
      store = await openStore(location.config);
      const openMs = since(started);
      started = performance.now();
      const snapshot = await store.loadPolicySnapshot();
      const snapshotMs = since(started);
      started = performance.now();
      const index = PolicyIndex.build(policyDataOf(snapshot));
      const buildMs = since(started);
      checkAgainst(index, reference, ws, round);
      collect();
      const { ms: rowObjectsMs, rows } = await readAsRowObjects(store);
      out.push({ openMs, snapshotMs, buildMs, rowObjectsMs, rows });
    }
    return out;
  } finally {
    await store.close();
    await location.cleanup();
  }
}

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const large = process.argv.includes('--large');
  const shape = large ? LARGE_SHAPE : SMALL_SHAPE;
  const rounds = 3;
  const ws = generateWorkspace(shape);
  const entries = shape.userEntries + shape.groupEntries;
  console.log(`## A restart: ${entries.toLocaleString('en')} entries, median of ${rounds}\n`);
  console.log(
    '| store | rows | open ms | snapshot ms | build ms | ready ms | rows as objects ms | snapshot / rows as objects |',
  );
  console.log('|:--|--:|--:|--:|--:|--:|--:|--:|');
  const targets = large ? [sqliteTarget()] : [sqliteTarget(), await postgresTarget()];
  for (const target of targets) {
    if (target.skipReason !== undefined) {
      console.log(`| ${target.kind} | skipped: ${target.skipReason} | | | | | | |`);
      continue;
    }
    const r = await measureRestarts(target, ws, rounds, (line) => console.error(`# ${target.kind}: ${line}`));
    const of = (pick: (t: RestartTimings) => number) => median(r.map(pick));
    const ready = of((t) => t.openMs + t.snapshotMs + t.buildMs);
    console.log(
      `| ${target.kind} | ${r[0]!.rows.toLocaleString('en')} | ${of((t) => t.openMs).toFixed(0)} | ${of((t) => t.snapshotMs).toFixed(0)} | ${of((t) => t.buildMs).toFixed(0)} | ${ready.toFixed(0)} | ${of((t) => t.rowObjectsMs).toFixed(0)} | ${(of((t) => t.snapshotMs) / of((t) => t.rowObjectsMs)).toFixed(2)} |`,
    );
  }
}

if (import.meta.main) await main();
