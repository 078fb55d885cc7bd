/**
 * Reads a host's rate-limit headers into a {@link RateLimitState}: the IETF draft names GitLab
 * sends (`RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`), the `X-RateLimit-*` names
 * of GitHub, Bitbucket, Azure DevOps and proxies, and `Retry-After` (seconds or an HTTP date).
 */
import type { RateLimitState } from '../types.ts';

const FIRST = (headers: Headers, names: readonly string[]): string | undefined => {
  for (const name of names) {
    const value = headers.get(name);
    if (value !== null && value.trim() !== '') return value.trim();
  }
  return undefined;
};

function toNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/**
 * A reset value as epoch ms: values above 10^9 are epoch seconds (GitLab, GitHub, Azure DevOps),
 * smaller ones are seconds from now (the IETF draft's delta form).
 */
export function resetToEpochMs(value: string | undefined, now: number): number | undefined {
  const number = toNumber(value);
  if (number === undefined || number < 0) return undefined;
  return number > 1e9 ? number * 1000 : now + number * 1000;
}

/** `Retry-After` as epoch ms: delta seconds or an HTTP date. */
export function retryAfterToEpochMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const seconds = toNumber(value);
  if (seconds !== undefined) return seconds < 0 ? undefined : now + seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date;
}

/** The rate-limit state the headers describe, or undefined when they carry none. */
export function readRateLimit(headers: Headers, now: number): RateLimitState | undefined {
  const limit = toNumber(FIRST(headers, ['ratelimit-limit', 'x-ratelimit-limit']));
  const remaining = toNumber(FIRST(headers, ['ratelimit-remaining', 'x-ratelimit-remaining']));
  const resetAt = resetToEpochMs(FIRST(headers, ['ratelimit-reset', 'x-ratelimit-reset']), now);
  const retryAfter = retryAfterToEpochMs(FIRST(headers, ['retry-after']), now);
  const state: { -readonly [K in keyof RateLimitState]: RateLimitState[K] } = {};
  if (limit !== undefined) state.limit = limit;
  if (remaining !== undefined) state.remaining = remaining;
  if (resetAt !== undefined) state.resetAt = resetAt;
  if (retryAfter !== undefined) state.retryAfter = retryAfter;
  return Object.keys(state).length === 0 ? undefined : state;
}

/** The epoch ms before which the next request must not be sent, or undefined when it may go now. */
export function blockedUntil(state: RateLimitState | undefined, now: number): number | undefined {
  if (state === undefined) return undefined;
  if (state.retryAfter !== undefined && state.retryAfter > now) return state.retryAfter;
  if (state.remaining === 0 && state.resetAt !== undefined && state.resetAt > now) return state.resetAt;
  return undefined;
}
