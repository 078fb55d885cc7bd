/**
 * Re-verifies every integration on a schedule (daily by default), each at its own phase of the
 * interval so the work spreads over the day; never sends a request to a host before the time its
 * rate limit named; and, through a lease in the store, lets one process at a time verify an
 * integration when several share a PostgreSQL database. Started by `serve`.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_VERIFY_INTERVAL_MS, isDue } from '../core/verification/index.ts';
import type { Integration, VerificationCandidate } from '../storage/types.ts';
import type { ServiceContext } from './context.ts';
import { gateOf, hostKeyOf } from './verification-rate-gate.ts';
import { recordVerification, runVerification, type VerifyRunOptions } from './verification-run.ts';

/** Options of the scheduler. */
export interface VerifySchedulerOptions extends VerifyRunOptions {
  /** Re-verification interval in ms (default daily). */
  readonly intervalMs?: number;
  /** How often to look for due integrations, in ms (default one minute). */
  readonly tickMs?: number;
  /** How long a lease holds, in ms (default five minutes; longer than one verification). */
  readonly leaseMs?: number;
  /** This process's lease owner id (default a random UUID). */
  readonly owner?: string;
  /** Hosts verified in parallel (default 4); one host's integrations go one at a time. */
  readonly concurrency?: number;
}

/** What one tick did. */
export interface TickReport {
  readonly due: number;
  readonly verified: number;
  /** Another process held the lease. */
  readonly leased: number;
  /** The host's rate limit said wait. */
  readonly deferred: number;
  readonly failed: number;
}

/** A scheduler. */
export interface VerifyScheduler {
  /** Looks for due integrations and verifies them; resolves when done. */
  tick(): Promise<TickReport>;
  /** Stops the timer and waits for the running tick. */
  stop(): Promise<void>;
}

const checkedAtOf = (i: Pick<Integration, 'verification'>): number | undefined => {
  const v = i.verification as { checkedAt?: unknown } | null;
  return typeof v?.checkedAt === 'number' ? v.checkedAt : undefined;
};

/** The integrations due for verification, read without their permissions (one row each). */
async function dueIntegrations(ctx: ServiceContext, intervalMs: number): Promise<VerificationCandidate[]> {
  const now = ctx.now();
  return (await ctx.store.listVerificationCandidates()).filter((i) =>
    isDue(i.id, checkedAtOf(i), i.createdAt, now, intervalMs),
  );
}

type Outcome = 'verified' | 'leased' | 'deferred' | 'failed';

/** Creates a scheduler without starting its timer (tests call `tick`). */
export function createVerifyScheduler(
  ctx: ServiceContext,
  options: VerifySchedulerOptions = {},
): VerifyScheduler {
  const intervalMs = options.intervalMs ?? DEFAULT_VERIFY_INTERVAL_MS;
  const owner = options.owner ?? randomUUID();
  const leaseMs = options.leaseMs ?? 300_000;
  const gate = gateOf(ctx);
  let running: Promise<TickReport> | undefined;

  async function verifyOne(candidate: VerificationCandidate): Promise<Outcome> {
    if (gate.blockedUntil(hostKeyOf(candidate), ctx.now()) !== undefined) return 'deferred';
    if (!(await ctx.store.acquireVerificationLease(candidate.id, owner, leaseMs).catch(() => false))) {
      return 'leased';
    }
    try {
      // Another process may have verified it between the listing and the lease.
      const i = await ctx.store.getIntegration(candidate.workspaceId, candidate.id);
      if (!i || !isDue(i.id, checkedAtOf(i), i.createdAt, ctx.now(), intervalMs)) return 'leased';
      const run = await runVerification(ctx, i, options);
      if (run.requests === 0 && run.status === 'rate-limited') return 'deferred';
      await recordVerification(ctx, i, run, { actor: 'scheduler' });
      return 'verified';
    } catch (error) {
      ctx.warn(`Scheduled verification of integration ${candidate.id} failed: ${(error as Error).name}`);
      return 'failed';
    } finally {
      await ctx.store.releaseVerificationLease(candidate.id, owner).catch(() => undefined);
    }
  }

  async function runTick(): Promise<TickReport> {
    const due = await dueIntegrations(ctx, intervalMs);
    const byHost = new Map<string, VerificationCandidate[]>();
    for (const i of due) {
      const host = hostKeyOf(i);
      const queue = byHost.get(host);
      if (queue === undefined) byHost.set(host, [i]);
      else queue.push(i);
    }
    const counts: Record<Outcome, number> = { verified: 0, leased: 0, deferred: 0, failed: 0 };
    const queues = [...byHost.values()];
    const worker = async () => {
      for (let queue = queues.shift(); queue !== undefined; queue = queues.shift()) {
        for (const i of queue) counts[await verifyOne(i)] += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
    return { due: due.length, ...counts };
  }

  return {
    tick() {
      running ??= runTick().finally(() => {
        running = undefined;
      });
      return running;
    },
    async stop() {
      await running?.catch(() => undefined);
    },
  };
}

/** Creates a scheduler and ticks it every `tickMs` until stopped (the timer does not hold the process). */
export function startVerifyScheduler(
  ctx: ServiceContext,
  options: VerifySchedulerOptions = {},
): VerifyScheduler {
  const scheduler = createVerifyScheduler(ctx, options);
  const timer = setInterval(() => {
    scheduler.tick().catch((error: unknown) => ctx.warn(`Verification scheduler: ${(error as Error).name}`));
  }, options.tickMs ?? 60_000);
  timer.unref();
  return {
    tick: () => scheduler.tick(),
    async stop() {
      clearInterval(timer);
      await scheduler.stop();
    },
  };
}
