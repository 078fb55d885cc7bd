/**
 * The decision benchmark of issue 2 ("Speed and memory"): a synthetic workspace of 50,000 entries
 * and one of 1,000,000, the same policy in Keyhouse, `@casl/ability` and casbin, checked for
 * agreement, then throughput, latency, build time, memory, explain cost and listing, with ratios.
 *
 * Run: `npx node --expose-gc bench/decisions.ts` (add `--quick` for the 50k workspace only).
 */
import { buildCasbin, casbinAllows, casbinRunner } from './casbin-engine.ts';
import { buildCasl, type CaslEncoding, caslAllows, caslRunner } from './casl-engine.ts';
import {
  type BuiltIndex,
  buildKeyhouse,
  keyhouseAllows,
  keyhouseExplain,
  keyhouseHandles,
  NOW,
  type StringWorkload,
  stringsOf,
} from './keyhouse-engine.ts';
import { interleave, timeCalls, timed } from './measure.ts';
import { formatReport, type ScenarioReport } from './report.ts';
import {
  generateWorkspace,
  LARGE_SHAPE,
  SMALL_SHAPE,
  sampleWorkload,
  type Workspace,
  type WorkspaceShape,
} from './workspace-generator.ts';

/** Checks in the workload, users it draws from, checks compared between engines, timing rounds. */
const WORKLOAD = 100_000;
const WORKLOAD_USERS = 2_000;
const AGREEMENT_CASL = 20_000;
const AGREEMENT_CASBIN = 5_000;
const ROUNDS = 5;

/** Keyhouse's answers for the first `count` checks (1 allowed, 0 refused). */
function keyhouseAnswers(count: number, allows: (k: number) => boolean): Uint8Array {
  const out = new Uint8Array(count);
  for (let k = 0; k < out.length; k++) out[k] = allows(k) ? 1 : 0;
  return out;
}

function agreement(expected: Uint8Array, allows: (k: number) => boolean): number {
  let same = 0;
  for (let k = 0; k < expected.length; k++) if ((allows(k) ? 1 : 0) === expected[k]) same++;
  return same;
}

/** Builds the CASL abilities in each encoding and checks them against Keyhouse. */
function prepareCasl(
  ws: Workspace,
  w: StringWorkload,
  expected: Uint8Array,
  encodings: readonly CaslEncoding[],
) {
  return encodings.map((encoding) => {
    const { ms, value } = timed(() => buildCasl(ws, WORKLOAD_USERS, encoding));
    const agreed = agreement(expected, (k) => caslAllows(value, w, k));
    return { encoding, buildMs: ms, agreed, run: caslRunner(value, w) };
  });
}

async function prepareCasbin(ws: Workspace, w: StringWorkload, expected: Uint8Array) {
  const started = process.hrtime.bigint();
  const engine = await buildCasbin(ws);
  const buildMs = Number(process.hrtime.bigint() - started) / 1e6;
  const agreed = agreement(expected, (k) => casbinAllows(engine, w, k, ws.workspaceId));
  return { buildMs, agreed, links: engine.links, run: casbinRunner(engine, w, ws.workspaceId) };
}

/** Listing by 300 users per round, in {@link ROUNDS} rounds: the median round's p50 and p99 (as for decisions). */
function listingRounds(index: BuiltIndex['index'], ws: Workspace, users: number) {
  const rounds = Array.from({ length: ROUNDS }, (_, round) =>
    timeCalls(
      (k) => index.listVisible(ws.userIds[((k + round * 300) * 7_919) % users]!, ws.workspaceId, NOW).length,
      300,
    ),
  );
  const median = (pick: (r: (typeof rounds)[number]) => number) =>
    rounds.map(pick).sort((a, b) => a - b)[Math.floor(rounds.length / 2)]!;
  return { p50Ms: median((r) => r.p50Ms), p99Ms: median((r) => r.p99Ms), checksum: 0 };
}

function prepareKeyhouse(ws: Workspace, w: StringWorkload) {
  const built = buildKeyhouse(ws);
  const index = built.index;
  const users = Math.min(WORKLOAD_USERS, ws.userIds.length);
  for (let k = 0; k < 50; k++) index.listVisible(ws.userIds[k % users]!, ws.workspaceId, NOW);
  const listing = listingRounds(index, ws, users);
  const expected = keyhouseAnswers(Math.min(AGREEMENT_CASL, w.users.length), (k) =>
    index.allows(w.users[k]!, w.integrations[k]!, w.actions[k]!, NOW),
  );
  return { built, listing, expected };
}

async function runScenario(
  name: string,
  shape: WorkspaceShape,
  encodings: readonly CaslEncoding[],
): Promise<ScenarioReport> {
  const generated = timed(() => generateWorkspace(shape));
  const ws = generated.value;
  const w = stringsOf(ws, sampleWorkload(ws, WORKLOAD, WORKLOAD_USERS, shape.seed + 1));
  const keyhouse = prepareKeyhouse(ws, w);
  const casl = prepareCasl(ws, w, keyhouse.expected, encodings);
  const casbin = await prepareCasbin(ws, w, keyhouse.expected.subarray(0, AGREEMENT_CASBIN));
  const index = keyhouse.built.index;
  const timings = interleave(
    [
      { name: 'allows', run: keyhouseAllows(index, w), operations: 3_000_000, batch: 1_000 },
      { name: 'handles', run: keyhouseHandles(index, w), operations: 5_000_000, batch: 1_000 },
      { name: 'explain', run: keyhouseExplain(index, w), operations: 500_000, batch: 1_000 },
      ...casl.map((c) => ({ name: `casl-${c.encoding}`, run: c.run, operations: 300_000, batch: 500 })),
      { name: 'casbin', run: casbin.run, operations: 30_000, batch: 100 },
    ],
    ROUNDS,
  );
  const fastest = casl.reduce((a, b) =>
    timings.get(`casl-${b.encoding}`)!.perSecond > timings.get(`casl-${a.encoding}`)!.perSecond ? b : a,
  );
  return {
    name,
    entries: shape.userEntries + shape.groupEntries,
    shape,
    generateMs: generated.ms,
    keyhouse: {
      buildMs: keyhouse.built.buildMs,
      buildCpuMs: keyhouse.built.buildCpuMs,
      bytes: keyhouse.built.bytes,
      allows: timings.get('allows')!,
      handles: timings.get('handles')!,
      explain: timings.get('explain')!,
      listing: keyhouse.listing,
    },
    casl: {
      encoding: fastest.encoding,
      tried: casl.map(
        (c) =>
          `${c.encoding}: ${Math.round(timings.get(`casl-${c.encoding}`)!.perSecond).toLocaleString('en-US')}/s`,
      ),
      buildMs: fastest.buildMs,
      timing: timings.get(`casl-${fastest.encoding}`)!,
      agreed: fastest.agreed,
      compared: keyhouse.expected.length,
    },
    casbin: {
      ...casbin,
      timing: timings.get('casbin')!,
      compared: Math.min(AGREEMENT_CASBIN, keyhouse.expected.length),
    },
  };
}

const quick = process.argv.includes('--quick');
if ((globalThis as { gc?: unknown }).gc === undefined)
  console.warn('Run with --expose-gc to measure memory.');
const reports: ScenarioReport[] = [await runScenario('50k entries', SMALL_SHAPE, ['in', 'each'])];
if (!quick) reports.push(await runScenario('1M entries', LARGE_SHAPE, ['in']));
console.log(formatReport(reports));
