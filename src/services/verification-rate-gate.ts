/**
 * Per-host rate-limit gate for verifications: remembers what each host last said about its limit
 * (`remaining`, `resetAt`, `retry-after`) and how many requests a verification of that host
 * costs, and tells when the next verification may be sent. A host that asked to wait, or whose
 * remaining budget is below the cost of one verification, gets no request before its reset.
 */
import type { RateLimitState } from '../providers/types.ts';
import type { Integration } from '../storage/types.ts';

const HOST_KEYS = ['apiUrl', 'baseUrl', 'host', 'url', 'registry', 'endpoint', 'region'] as const;

/** The host an integration's verification talks to: its configured host, else the provider's default. */
export function hostKeyOf(integration: Pick<Integration, 'provider' | 'config'>): string {
  const config = integration.config as Record<string, unknown>;
  for (const key of HOST_KEYS) {
    const value = config[key];
    if (typeof value === 'string' && value.trim() !== '') {
      const host = value
        .trim()
        .replace(/^[a-z]+:\/\//i, '')
        .replace(/\/.*$/, '')
        .toLowerCase();
      return `${integration.provider}:${host}`;
    }
  }
  return `${integration.provider}:default`;
}

interface HostState {
  until: number;
  costPerVerification: number;
}

/** The gate, shared by on-demand verification and the scheduler of one process. */
export class HostGate {
  readonly #hosts = new Map<string, HostState>();

  /** Epoch ms before which no request may be sent to `host`, or undefined when it may be now. */
  blockedUntil(host: string, now: number): number | undefined {
    const state = this.#hosts.get(host);
    return state !== undefined && state.until > now ? state.until : undefined;
  }

  /** Records what a verification of `host` cost and what the host said about its limit. */
  record(host: string, requests: number, rateLimit: RateLimitState | undefined, now: number): void {
    const previous = this.#hosts.get(host);
    const cost = requests > 0 ? requests : (previous?.costPerVerification ?? 1);
    let until = 0;
    if (rateLimit?.retryAfter !== undefined && rateLimit.retryAfter > now) until = rateLimit.retryAfter;
    const low = rateLimit?.remaining !== undefined && rateLimit.remaining < cost;
    if (low && rateLimit?.resetAt !== undefined && rateLimit.resetAt > now) {
      until = Math.max(until, rateLimit.resetAt);
    } else if (low && until === 0) {
      // Out of budget with no reset time given: wait a minute rather than exceed.
      until = now + 60_000;
    }
    this.#hosts.set(host, { until, costPerVerification: cost });
  }
}

const gates = new WeakMap<object, HostGate>();

/** The gate of a service context (one per context, created on first use). */
export function gateOf(ctx: object): HostGate {
  let gate = gates.get(ctx);
  if (gate === undefined) {
    gate = new HostGate();
    gates.set(ctx, gate);
  }
  return gate;
}
