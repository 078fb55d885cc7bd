/**
 * Same-process A/B of two versions of the policy index on the 1M-entry workspace (or 50k with
 * `--small`): builds and `allows()` rounds alternate between the versions, so a shared machine
 * slows both alike. The other version is a copy of `src/core/policy` from another commit:
 *
 * ```sh
 * mkdir -p ../policy-old && git archive <commit> src/core/policy | tar -x -C ../policy-old
 * npx node --expose-gc bench/index-ab.ts ../policy-old/src/core/policy/policy-index.ts [--small]
 * ```
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type PolicyData, PolicyIndex } from '../src/core/policy/index.ts';
import { keyhouseAllows, NOW, stringsOf } from './keyhouse-engine.ts';
import { collect, timeBatches } from './measure.ts';
import { generateWorkspace, LARGE_SHAPE, SMALL_SHAPE, sampleWorkload } from './workspace-generator.ts';

/** What the A/B needs of either version's index. */
interface IndexVersion {
  build(data: PolicyData): PolicyIndex;
}

const BUILD_ROUNDS = 5;
const ALLOWS_ROUNDS = 7;

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The two versions in the order of round `round` (alternating which goes first). */
const order = (round: number): readonly ('old' | 'new')[] =>
  round % 2 === 0 ? ['old', 'new'] : ['new', 'old'];

const otherPath = process.argv[2];
if (otherPath === undefined || otherPath.startsWith('--')) {
  console.error('usage: bench/index-ab.ts <other policy-index.ts> [--small]');
  process.exit(2);
}
const other = (await import(pathToFileURL(resolve(otherPath)).href)) as { PolicyIndex: IndexVersion };
const versions: Record<'old' | 'new', IndexVersion> = { old: other.PolicyIndex, new: PolicyIndex };
const shape = process.argv.includes('--small') ? SMALL_SHAPE : LARGE_SHAPE;
const ws = generateWorkspace(shape);
const w = stringsOf(ws, sampleWorkload(ws, 100_000, 2_000, shape.seed + 1));

const cpu: Record<'old' | 'new', number[]> = { old: [], new: [] };
const built: Partial<Record<'old' | 'new', PolicyIndex>> = {};
for (let round = 0; round < BUILD_ROUNDS; round++) {
  for (const name of order(round)) {
    delete built[name];
    collect();
    const started = process.cpuUsage();
    built[name] = versions[name].build(ws.data);
    const used = process.cpuUsage(started);
    cpu[name].push((used.user + used.system) / 1e3);
  }
}
const [oldIndex, newIndex] = [built.old!, built.new!];
let differ = 0;
for (let k = 0; k < 20_000; k++) {
  const [u, i, a] = [w.users[k]!, w.integrations[k]!, w.actions[k]!];
  if (oldIndex.allows(u, i, a, NOW) !== newIndex.allows(u, i, a, NOW)) differ++;
}
const runs = { old: keyhouseAllows(oldIndex, w), new: keyhouseAllows(newIndex, w) };
const perSecond: Record<'old' | 'new', number[]> = { old: [], new: [] };
for (let round = 0; round < ALLOWS_ROUNDS; round++) {
  for (const name of order(round)) {
    const warmup = round === 0 ? 150_000 : 0;
    const timing = timeBatches(runs[name], { operations: 600_000, batch: 1_000, warmup, budgetMs: 60_000 });
    perSecond[name].push(timing.perSecond);
  }
}
for (const name of ['old', 'new'] as const) {
  const build = `build CPU ms median ${median(cpu[name]).toFixed(0)} (${cpu[name].map((ms) => ms.toFixed(0)).join(' ')})`;
  const allows = `allows M/s median ${(median(perSecond[name]) / 1e6).toFixed(3)}`;
  console.log(`${name}: ${build}; ${allows} (${perSecond[name].map((x) => (x / 1e6).toFixed(2)).join(' ')})`);
}
console.log(`answers that differ: ${differ} of 20,000`);
