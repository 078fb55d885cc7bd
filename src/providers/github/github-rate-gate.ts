/**
 * A rate-limit gate shared by every verification against one GitHub host (or bucket): it learns
 * the budget from `x-ratelimit-*` and `retry-after`, charges each request before it is sent and
 * waits for the window to reset instead of sending a request the host would refuse. The
 * throttling plugin stays as the backstop for budgets spent by other clients.
 */

import type { RateLimitState } from '../types.ts';
import { type HeaderBag, parseRateLimit } from './github-schema.ts';

/** Clock and sleep of a gate, injectable for tests. */
export interface RateGateOptions {
  readonly now?: () => number;
  /** Added to a reset time before the next request is sent (GitHub's reset is in whole seconds). */
  readonly resetMarginMs?: number;
}

/** The answer of {@link RateGate.acquire}: go, or the state that blocks beyond the wait budget. */
export type GateTicket = { readonly go: true } | { readonly go: false; readonly state: RateLimitState };

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', abort, { once: true });
  });
}

/** One host's budget as last seen, with the requests charged since. */
export class RateGate {
  #known = false;
  #unlimited = false;
  #limit: number | undefined;
  #remaining = 0;
  #resetAt = 0;
  #blockedUntil = 0;
  #inFlight = 0;
  #waiters: (() => void)[] = [];
  readonly #now: () => number;
  readonly #margin: number;

  constructor(options: RateGateOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#margin = options.resetMarginMs ?? 1000;
  }

  /** The state as the gate sees it now. */
  state(): RateLimitState {
    if (!this.#known || this.#unlimited) return {};
    return {
      ...(this.#limit === undefined ? {} : { limit: this.#limit }),
      remaining: Math.max(0, this.#remaining),
      resetAt: this.#resetAt,
      ...(this.#blockedUntil > this.#now() ? { retryAfter: this.#blockedUntil } : {}),
    };
  }

  /** Waits until a request may be sent; refuses when that would take longer than `maxWaitMs`. */
  async acquire(maxWaitMs: number, signal?: AbortSignal): Promise<GateTicket> {
    for (;;) {
      const now = this.#now();
      const wait = this.#waitFor(now);
      if (wait === 0) {
        this.#inFlight += 1;
        if (this.#known && !this.#unlimited) this.#remaining -= 1;
        return { go: true };
      }
      if (wait === 'probe-in-flight') {
        await new Promise<void>((resolve) => this.#waiters.push(resolve));
        continue;
      }
      if (wait > maxWaitMs) return { go: false, state: this.state() };
      await sleep(wait, signal);
    }
  }

  #waitFor(now: number): number | 'probe-in-flight' {
    if (this.#blockedUntil > now) return this.#blockedUntil - now + this.#margin;
    if (!this.#known) return this.#inFlight > 0 ? 'probe-in-flight' : 0;
    if (this.#unlimited || this.#remaining > 0) return 0;
    if (this.#resetAt + this.#margin <= now) {
      // A new window: its budget is unknown until one answer tells it.
      this.#known = false;
      return this.#inFlight > 0 ? 'probe-in-flight' : 0;
    }
    return this.#resetAt + this.#margin - now;
  }

  /** Learns from a response's headers; call before {@link release}. */
  observe(headers: HeaderBag): void {
    const now = this.#now();
    const seen = parseRateLimit(headers, now);
    if (seen.retryAfter !== undefined) this.#blockedUntil = Math.max(this.#blockedUntil, seen.retryAfter);
    if (seen.remaining === undefined || seen.resetAt === undefined) {
      if (!this.#known && headers['x-ratelimit-limit'] === undefined) {
        this.#known = true;
        this.#unlimited = true;
      }
      return;
    }
    // Requests in flight besides this one may not be counted by the host yet.
    const others = Math.max(0, this.#inFlight - 1);
    const fresh = seen.remaining - others;
    this.#unlimited = false;
    if (!this.#known || seen.resetAt > this.#resetAt) {
      this.#known = true;
      this.#resetAt = seen.resetAt;
      this.#remaining = fresh;
    } else if (seen.resetAt === this.#resetAt) {
      this.#remaining = Math.min(this.#remaining, fresh);
    }
    if (seen.limit !== undefined) this.#limit = seen.limit;
  }

  /** Ends a request (answered or failed) and wakes waiters. */
  release(): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}

/** Gates by key (API base URL or configured bucket), created on first use. */
export class RateGateRegistry {
  readonly #gates = new Map<string, RateGate>();
  readonly #options: RateGateOptions;

  constructor(options: RateGateOptions = {}) {
    this.#options = options;
  }

  /** The gate of a key. */
  gate(key: string): RateGate {
    let gate = this.#gates.get(key);
    if (gate === undefined) {
      gate = new RateGate(this.#options);
      this.#gates.set(key, gate);
    }
    return gate;
  }
}
