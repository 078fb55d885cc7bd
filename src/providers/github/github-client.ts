/**
 * The Octokit client of one verification: throttling and retry plugins, App auth when asked, and a
 * `fetch` that passes every request through the host's {@link RateGate} and counts it. Host
 * answers become {@link GithubAnswer} values; only a closed gate or a lost network is thrown.
 */
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/core';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { RateLimitState } from '../types.ts';
import type { RateGate } from './github-rate-gate.ts';
import { type HeaderBag, parseRateLimit } from './github-schema.ts';

const GithubOctokit = Octokit.plugin(throttling, retry);

/** The Octokit type this adapter uses. */
export type GithubOctokitClient = InstanceType<typeof GithubOctokit>;

/** One HTTP answer of the host, success or not. */
export interface GithubAnswer {
  readonly status: number;
  readonly headers: HeaderBag;
  readonly data: unknown;
}

/** Thrown by the gated fetch when the budget would not come back within the wait limit. */
export class RateLimitBlockedError extends Error {
  readonly state: RateLimitState;
  constructor(state: RateLimitState) {
    super('The host rate limit is spent until its window resets.');
    // Octokit and its retry plugin pass an AbortError through untouched instead of retrying it.
    this.name = 'AbortError';
    this.state = state;
  }
}

/** Per-call settings and counters shared by the client and the checks. */
export interface ClientContext {
  readonly gate: RateGate;
  readonly gateKey: string;
  readonly maxWaitMs: number;
  readonly signal?: AbortSignal;
  /** Base of the retry plugins' delays (ms); 1000 in production. */
  readonly retryBaseMs: number;
  readonly fetch: typeof fetch;
  requests: number;
  rateLimit?: RateLimitState;
  blocked?: RateLimitState;
}

function headersOf(response: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of response.headers) out[name] = value;
  return out;
}

function gatedFetch(ctx: ClientContext): typeof fetch {
  return async (url, init) => {
    if (ctx.blocked) throw new RateLimitBlockedError(ctx.blocked);
    const ticket = await ctx.gate.acquire(ctx.maxWaitMs, ctx.signal);
    if (!ticket.go) {
      ctx.blocked = ticket.state;
      throw new RateLimitBlockedError(ticket.state);
    }
    ctx.requests += 1;
    try {
      const response = await ctx.fetch(url, { ...init, ...(ctx.signal ? { signal: ctx.signal } : {}) });
      const headers = headersOf(response);
      ctx.gate.observe(headers);
      const seen = parseRateLimit(headers, Date.now());
      if (seen.remaining !== undefined) ctx.rateLimit = seen;
      return response;
    } finally {
      ctx.gate.release();
    }
  };
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** The App credentials, when the client authenticates as a GitHub App. */
export interface AppAuthOptions {
  readonly appId: string;
  readonly privateKey: string;
  readonly installationId: string;
}

/** Builds the Octokit of one verification. */
export function createGithubClient(
  ctx: ClientContext,
  baseUrl: string,
  auth: { readonly token: string } | { readonly app: AppAuthOptions },
): GithubOctokitClient {
  const retryOnce = (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) =>
    retryCount < 1 && retryAfter * ctx.retryBaseMs <= ctx.maxWaitMs;
  const common = {
    baseUrl,
    log: silent,
    request: { fetch: gatedFetch(ctx) },
    retry: {
      retries: 2,
      retryAfterBaseValue: ctx.retryBaseMs,
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
    },
    throttle: {
      id: ctx.gateKey,
      retryAfterBaseValue: ctx.retryBaseMs,
      onRateLimit: retryOnce,
      onSecondaryRateLimit: retryOnce,
    },
  };
  if ('token' in auth) return new GithubOctokit({ ...common, auth: auth.token });
  return new GithubOctokit({
    ...common,
    authStrategy: createAppAuth,
    auth: { appId: auth.app.appId, privateKey: auth.app.privateKey, installationId: auth.app.installationId },
  });
}

/** Outcome of {@link send}: an answer, a closed rate-limit gate, or an unreachable host. */
export type SendResult =
  | { readonly kind: 'answer'; readonly answer: GithubAnswer }
  | { readonly kind: 'rate-limited'; readonly state: RateLimitState }
  | { readonly kind: 'unreachable'; readonly reason: string };

interface OctokitLikeError {
  status?: unknown;
  response?: { status: number; headers: HeaderBag; data: unknown };
  name?: unknown;
  message?: unknown;
}

/** Turns a thrown Octokit error into a {@link SendResult}; the message never carries the token. */
export function toSendResult(error: unknown): SendResult {
  if (error instanceof RateLimitBlockedError) return { kind: 'rate-limited', state: error.state };
  const e = (error ?? {}) as OctokitLikeError;
  if (e.response && typeof e.response.status === 'number') {
    const { status, headers, data } = e.response;
    return { kind: 'answer', answer: { status, headers, data } };
  }
  const reason =
    typeof e.message === 'string' ? e.message.replace(/(gh[pousr]_|github_pat_)\w+/g, '[token]') : '';
  return { kind: 'unreachable', reason: reason.slice(0, 200) || 'network error' };
}

/** Sends one request; host answers of every status come back as values. */
export async function send(
  octokit: GithubOctokitClient,
  route: string,
  params: Record<string, unknown> = {},
): Promise<SendResult> {
  try {
    const response = await octokit.request(route, params);
    return {
      kind: 'answer',
      answer: { status: response.status, headers: response.headers as HeaderBag, data: response.data },
    };
  } catch (error) {
    return toSendResult(error);
  }
}
