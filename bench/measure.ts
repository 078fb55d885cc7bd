/**
 * Timing and memory helpers for the benchmarks: batch timing with `process.hrtime.bigint()` for a
 * distribution (p50, p99), throughput, and heap deltas after a forced collection.
 */

/** Throughput and per-operation latency figures. */
export interface Timing {
  /** Operations per second over the whole timed run. */
  readonly perSecond: number;
  /** Median and 99th percentile cost of one operation, in nanoseconds (batch time / batch size). */
  readonly p50Ns: number;
  readonly p99Ns: number;
  readonly operations: number;
  /** A value folded from the results, so the work cannot be optimised away. */
  readonly checksum: number;
}

/** Runs operations `[start, end)` and returns a value derived from their results. */
export type BatchRunner = (start: number, end: number) => number;

/** The `q` quantile (0–1) of sorted values. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * Times `operations` operations in batches of `batch`: a warm-up pass over `warmup` operations,
 * then one `hrtime` reading per batch. The runner receives global operation indexes (callers
 * wrap them onto their workload). Bounded: stops after `operations` or `budgetMs`, whichever first.
 */
export function timeBatches(
  run: BatchRunner,
  options: { operations: number; batch: number; warmup: number; budgetMs: number },
): Timing {
  let checksum = 0;
  for (let k = 0; k < options.warmup; k += options.batch) checksum += run(k, k + options.batch);
  const batches = Math.ceil(options.operations / options.batch);
  const perOp = new Float64Array(batches);
  const budget = BigInt(Math.round(options.budgetMs * 1e6));
  const started = process.hrtime.bigint();
  let done = 0;
  let total = 0n;
  for (; done < batches; done++) {
    const start = done * options.batch;
    const before = process.hrtime.bigint();
    checksum += run(start, start + options.batch);
    const took = process.hrtime.bigint() - before;
    total += took;
    perOp[done] = Number(took) / options.batch;
    if (before - started > budget) {
      done++;
      break;
    }
  }
  const sorted = perOp.subarray(0, done).sort();
  const operations = done * options.batch;
  return {
    perSecond: operations / (Number(total) / 1e9),
    p50Ns: quantile(sorted, 0.5),
    p99Ns: quantile(sorted, 0.99),
    operations,
    checksum,
  };
}

/** Times `runs` calls of `once` individually; returns p50 and p99 in milliseconds. */
export function timeCalls(
  once: (k: number) => number,
  runs: number,
): { p50Ms: number; p99Ms: number; checksum: number } {
  const took = new Float64Array(runs);
  let checksum = 0;
  for (let k = 0; k < runs; k++) {
    const before = process.hrtime.bigint();
    checksum += once(k);
    took[k] = Number(process.hrtime.bigint() - before) / 1e6;
  }
  took.sort();
  return { p50Ms: quantile(took, 0.5), p99Ms: quantile(took, 0.99), checksum };
}

/** Forces a full collection when node runs with `--expose-gc`; false otherwise. */
export function collect(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return false;
  gc();
  gc();
  return true;
}

/**
 * Memory in use after a forced collection (bytes): the JS heap plus array buffers (typed arrays
 * keep their contents outside the heap), or NaN without `--expose-gc`.
 */
export function settledHeap(): number {
  if (!collect()) return Number.NaN;
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

const pinned: unknown[] = [];

/** {@link settledHeap} with `value` held reachable through the collection. */
export function settledHeapHolding(value: unknown): number {
  pinned.push(value);
  const bytes = settledHeap();
  pinned.pop();
  return bytes;
}

/** Wall time of `work` in milliseconds, with its result. */
export function timed<T>(work: () => T): { ms: number; value: T } {
  const before = process.hrtime.bigint();
  const value = work();
  return { ms: Number(process.hrtime.bigint() - before) / 1e6, value };
}

/** One engine's runner for {@link interleave}, with its operations over all rounds and batch size. */
export interface InterleavedRun {
  readonly name: string;
  readonly run: BatchRunner;
  readonly operations: number;
  readonly batch: number;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/**
 * Times several runners in alternating rounds (A B C, A B C, …) so that a busy machine slows them
 * alike, and reports per runner the median round: throughput, p50 and p99. The first round also
 * warms each runner up.
 */
export function interleave(runs: readonly InterleavedRun[], rounds: number): Map<string, Timing> {
  const perRound = new Map<string, Timing[]>(runs.map((r) => [r.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const r of runs) {
      const operations = Math.max(r.batch, Math.round(r.operations / rounds));
      const warmup = round === 0 ? Math.round(operations / 4) : 0;
      perRound
        .get(r.name)!
        .push(timeBatches(r.run, { operations, batch: r.batch, warmup, budgetMs: 60_000 }));
    }
  }
  const out = new Map<string, Timing>();
  for (const [name, timings] of perRound) {
    out.set(name, {
      perSecond: median(timings.map((t) => t.perSecond)),
      p50Ns: median(timings.map((t) => t.p50Ns)),
      p99Ns: median(timings.map((t) => t.p99Ns)),
      operations: timings.reduce((sum, t) => sum + t.operations, 0),
      checksum: timings.reduce((sum, t) => sum + t.checksum, 0),
    });
  }
  return out;
}
