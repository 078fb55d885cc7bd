/**
 * Same-process comparison of versions of the policy index on the 1M-entry workspace (or 50k with
 * `--small`): this tree's index and one or more others, each a copy of `src/core/policy` from
 * another commit. Builds (each from its own copy of the data as read from a database) and
 * `allows()` rounds rotate through the versions, so a shared machine slows them alike:
 *
 * ```sh
 * mkdir -p ../policy-old && git archive <commit> src/core/policy src/core/errors.ts | tar -x -C ../policy-old
 * npx node --expose-gc bench/index-ab.ts ../policy-old/src/core/policy/policy-index.ts [more …] [--small] [--rounds 12]
 * ```
 *
 * Next to each version's median build CPU it prints the median over the rounds of that version's
 * build CPU divided by this tree's in the same round: on a machine whose speed moves within
 * seconds, the ratio of neighbouring builds is steadier than either median (`--rounds`, default
 * 5, sets how many builds each version gets).
 */

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type PolicyData, PolicyIndex } from '../src/core/policy/index.ts';
import { asReadFromDatabase } from './as-read.ts';
import { keyhouseAllows, NOW, stringsOf } from './keyhouse-engine.ts';
import { collect, timeBatches } from './measure.ts';
import { generateWorkspace, LARGE_SHAPE, SMALL_SHAPE, sampleWorkload } from './workspace-generator.ts';

/** What the comparison needs of a version's index. */
interface IndexVersion {
  build(data: PolicyData): PolicyIndex;
}

const roundsAt = process.argv.indexOf('--rounds');
const BUILD_ROUNDS = roundsAt > 0 ? Number(process.argv[roundsAt + 1]) : 5;
if (!Number.isInteger(BUILD_ROUNDS) || BUILD_ROUNDS < 1) {
  console.error('--rounds takes a whole number of builds per version');
  process.exit(2);
}
const ALLOWS_ROUNDS = 7;

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const paths = process.argv
  .slice(2)
  .filter((arg, k, args) => !arg.startsWith('--') && args[k - 1] !== '--rounds');
if (paths.length === 0) {
  console.error('usage: bench/index-ab.ts <other policy-index.ts> [more …] [--small] [--rounds n]');
  process.exit(2);
}
const names = [...paths.map((_, k) => `other-${k + 1}`), 'this'];
const versions: IndexVersion[] = [];
for (const path of paths)
  versions.push(
    ((await import(pathToFileURL(resolve(path)).href)) as { PolicyIndex: IndexVersion }).PolicyIndex,
  );
versions.push(PolicyIndex);
for (const [k, path] of paths.entries()) console.log(`other-${k + 1}: ${path}`);

/** The versions in the order of round `round` (rotating which goes first). */
const order = (round: number): number[] => versions.map((_, k) => (k + round) % versions.length);

const shape = process.argv.includes('--small') ? SMALL_SHAPE : LARGE_SHAPE;
const ws = generateWorkspace(shape);
const w = stringsOf(ws, sampleWorkload(ws, 100_000, 2_000, shape.seed + 1));

const cpu: number[][] = versions.map(() => []);
const built: (PolicyIndex | undefined)[] = versions.map(() => undefined);
for (let round = 0; round < BUILD_ROUNDS; round++) {
  for (const v of order(round)) {
    built[v] = undefined;
    const input = asReadFromDatabase(ws.data);
    collect();
    const started = process.cpuUsage();
    built[v] = versions[v]!.build(input);
    const used = process.cpuUsage(started);
    cpu[v]!.push((used.user + used.system) / 1e3);
  }
}
const indexes = built as PolicyIndex[];
const differ = versions.map(() => 0);
for (let k = 0; k < 20_000; k++) {
  const [u, i, a] = [w.users[k]!, w.integrations[k]!, w.actions[k]!];
  const reference = indexes.at(-1)!.allows(u, i, a, NOW);
  indexes.forEach((index, v) => {
    if (index.allows(u, i, a, NOW) !== reference) differ[v]!++;
  });
}
const runs = indexes.map((index) => keyhouseAllows(index, w));
const perSecond: number[][] = versions.map(() => []);
for (let round = 0; round < ALLOWS_ROUNDS; round++) {
  for (const v of order(round)) {
    const warmup = round === 0 ? 150_000 : 0;
    const timing = timeBatches(runs[v]!, { operations: 600_000, batch: 1_000, warmup, budgetMs: 60_000 });
    perSecond[v]!.push(timing.perSecond);
  }
}
const mine = cpu.at(-1)!;
names.forEach((name, v) => {
  const ratio = median(cpu[v]!.map((ms, round) => ms / mine[round]!));
  const build = `build CPU ms median ${median(cpu[v]!).toFixed(0)}, ${ratio.toFixed(3)} of this tree's by round (${cpu[v]!.map((ms) => ms.toFixed(0)).join(' ')})`;
  const allows = `allows M/s median ${(median(perSecond[v]!) / 1e6).toFixed(3)}`;
  console.log(`${name}: ${build}; ${allows} (${perSecond[v]!.map((x) => (x / 1e6).toFixed(2)).join(' ')})`);
  if (v < versions.length - 1) console.log(`  answers that differ from this tree's: ${differ[v]} of 20,000`);
});
