/**
 * Keyhouse's side of the benchmark: building the index from the synthetic workspace and the
 * batch runners for plain decisions (string ids and numeric handles), explained decisions and listing.
 */
import { INTEGRATION_ACTIONS, type IntegrationAction, PolicyIndex } from '../src/core/policy/index.ts';
import { asReadFromDatabase, freshCopy } from './as-read.ts';
import { collect, settledHeap, settledHeapHolding, timed } from './measure.ts';
import type { Workload, Workspace } from './workspace-generator.ts';

/** The time every benchmark decision is taken at (no entry in the synthetic data expires). */
export const NOW = 1_700_000_000_000;

/** Builds per measurement: the build time reported is their median. */
export const BUILDS = 3;

/** An index with its build time and the memory it holds. */
export interface BuiltIndex {
  readonly index: PolicyIndex;
  /** Median wall time of {@link BUILDS} builds, and the median CPU time of this process over them. */
  readonly buildMs: number;
  readonly buildCpuMs: number;
  /** Heap and array-buffer growth after a forced collection, NaN without `--expose-gc`. */
  readonly bytes: number;
}

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Builds the index {@link BUILDS} times, each from its own copy of the workspace's data as read
 * from a database ({@link asReadFromDatabase}), timing each (wall and CPU), and measures what the
 * first one holds: the settled heap before and after it, while its input stays alive, so the delta
 * is the index alone.
 */
export function buildKeyhouse(ws: Workspace): BuiltIndex {
  const wall: number[] = [];
  const cpu: number[] = [];
  let kept: PolicyIndex | undefined;
  let bytes = Number.NaN;
  let before = Number.NaN;
  for (let k = 0; k < BUILDS; k++) {
    // Each build reads its own copy of the data, as the service reads rows (untimed), and starts
    // from a collected heap (the first after `settledHeap`), so none pays for the garbage of the
    // one before; the first index stays alive, as the old one does in a rebuild.
    const input = asReadFromDatabase(ws.data);
    if (k === 0) before = settledHeap();
    else collect();
    const started = process.cpuUsage();
    const { ms, value } = timed(() => PolicyIndex.build(input));
    const used = process.cpuUsage(started);
    wall.push(ms);
    cpu.push((used.user + used.system) / 1e3);
    if (kept === undefined) {
      kept = value;
      bytes = settledHeapHolding(input) - before; // the input alive: the growth is the index alone
    }
  }
  return { index: kept!, buildMs: median(wall), buildCpuMs: median(cpu), bytes };
}

/** The workload as the strings a caller holds (fresh copies of the ids), and the actions. */
export interface StringWorkload {
  readonly users: readonly string[];
  readonly integrations: readonly string[];
  readonly actions: readonly IntegrationAction[];
}

/** Resolves the workload's indexes to the ids and action names. */
export function stringsOf(ws: Workspace, workload: Workload): StringWorkload {
  const n = workload.user.length;
  return {
    users: Array.from({ length: n }, (_, k) => freshCopy(ws.userIds[workload.user[k]!]!)),
    integrations: Array.from({ length: n }, (_, k) =>
      freshCopy(ws.integrationIds[workload.integration[k]!]!),
    ),
    actions: Array.from({ length: n }, (_, k) => INTEGRATION_ACTIONS[workload.action[k]!]!),
  };
}

/** Runner: `allows(userId, integrationId, action, now)` on string ids (what the service calls). */
export function keyhouseAllows(index: PolicyIndex, w: StringWorkload) {
  const n = w.users.length;
  return (start: number, end: number): number => {
    let allowed = 0;
    for (let k = start; k < end; k++) {
      const at = k % n;
      if (index.allows(w.users[at]!, w.integrations[at]!, w.actions[at]!, NOW)) allowed++;
    }
    return allowed;
  };
}

/** Runner: the level from numeric handles resolved once (`userRef`, `integrationRef`, `levelRankOf`). */
export function keyhouseHandles(index: PolicyIndex, w: StringWorkload) {
  const n = w.users.length;
  const users = Int32Array.from(w.users, (id) => index.userRef(id));
  const integrations = Int32Array.from(w.integrations, (id) => index.integrationRef(id));
  return (start: number, end: number): number => {
    let sum = 0;
    for (let k = start; k < end; k++) {
      const at = k % n;
      sum += index.levelRankOf(users[at]!, integrations[at]!, NOW);
    }
    return sum;
  };
}

/** Runner: `decide()` with its reasons (the explain path). */
export function keyhouseExplain(index: PolicyIndex, w: StringWorkload) {
  const n = w.users.length;
  return (start: number, end: number): number => {
    let allowed = 0;
    for (let k = start; k < end; k++) {
      const at = k % n;
      if (index.decide(w.users[at]!, w.integrations[at]!, w.actions[at]!, NOW).allowed) allowed++;
    }
    return allowed;
  };
}
