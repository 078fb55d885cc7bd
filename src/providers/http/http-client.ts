/**
 * A small HTTP client for provider adapters over Node's `fetch`: one base URL, fixed headers
 * (which may hold the credential and are never reported), a timeout and the caller's abort
 * signal, a count of the requests sent, the host's rate-limit state, and bounded back-off on
 * 429 (and 503 with `Retry-After`). Network failures come back as values, never as throws.
 */
import type { RateLimitState } from '../types.ts';
import { describeNetworkError } from './network-error.ts';
import { blockedUntil, readRateLimit } from './rate-limit.ts';

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /** Absolute base URL; request paths are appended to it. */
  readonly baseUrl: string;
  /** Headers sent on every request (authentication included). Never logged or reported. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per-request timeout in ms (default 10 000). */
  readonly timeoutMs?: number;
  /** Retries after a 429 or a 503 with `Retry-After` (default 2). */
  readonly maxRetries?: number;
  /** The longest wait the client accepts before a retry; longer waits end as `rate-limited` (default 30 000). */
  readonly maxWaitMs?: number;
  /** Wait used when a 429 names no delay (default 1 000 ms, doubled per attempt). */
  readonly defaultBackoffMs?: number;
  readonly signal?: AbortSignal;
  readonly fetch?: typeof fetch;
  /** Sleeps; replaceable in tests. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Clock in epoch ms (default `Date.now`). */
  readonly now?: () => number;
}

/** What one request led to. */
export type HttpOutcome =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly headers: Headers;
      readonly text: string;
      /** The parsed body when it is JSON, else undefined. */
      readonly json: unknown;
    }
  | { readonly kind: 'unreachable'; readonly reason: string }
  | { readonly kind: 'rate-limited'; readonly retryAt?: number };

/** Options of one request. */
export interface HttpRequest {
  readonly method?: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON body. */
  readonly body?: unknown;
  /** Another absolute base URL for this request (e.g. a separate identity host). */
  readonly baseUrl?: string;
}

/** A client bound to one host and credential. */
export interface HttpClient {
  request(path: string, request?: HttpRequest): Promise<HttpOutcome>;
  /** Requests actually sent, retries included. */
  readonly requests: number;
  /** The host's rate-limit state as last seen. */
  readonly rateLimit: RateLimitState | undefined;
}

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/** Joins a base URL, a path and query parameters. */
export function buildUrl(base: string, path: string, query?: HttpRequest['query']): URL {
  const url = new URL(base.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`));
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url;
}

function parseJson(text: string, headers: Headers): unknown {
  const type = headers.get('content-type') ?? '';
  if (!type.includes('json') && !/^\s*[[{]/.test(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Creates a client; see {@link HttpClientOptions}. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxRetries = options.maxRetries ?? 2;
  const maxWaitMs = options.maxWaitMs ?? 30_000;
  const backoffMs = options.defaultBackoffMs ?? 1_000;
  let requests = 0;
  let rateLimit: RateLimitState | undefined;

  async function send(url: URL, request: HttpRequest): Promise<HttpOutcome> {
    const signals = [AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : [])];
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...options.headers,
      ...request.headers,
    };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    requests += 1;
    try {
      const response = await doFetch(url, {
        method: request.method ?? 'GET',
        headers,
        redirect: 'manual',
        signal: AbortSignal.any(signals),
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      });
      const text = await response.text();
      const seen = readRateLimit(response.headers, now());
      if (seen !== undefined) rateLimit = seen;
      const json = parseJson(text, response.headers);
      return { kind: 'response', status: response.status, headers: response.headers, text, json };
    } catch (error) {
      return { kind: 'unreachable', reason: describeNetworkError(error, timeoutMs) };
    }
  }

  /** How long to wait before retrying this response, or undefined when it is final. */
  function retryDelay(outcome: HttpOutcome, attempt: number): number | undefined {
    if (outcome.kind !== 'response') return undefined;
    const retryable =
      outcome.status === 429 || (outcome.status === 503 && outcome.headers.has('retry-after'));
    if (!retryable) return undefined;
    const until = blockedUntil(rateLimit, now());
    return until === undefined ? backoffMs * 2 ** attempt : until - now();
  }

  /** Waits until the host allows the next request; the wait consumes the block it served. */
  async function wait(ms: number): Promise<void> {
    await sleep(Math.max(0, ms), options.signal);
    if (rateLimit === undefined) return;
    const { retryAfter: _served, ...rest } = rateLimit;
    rateLimit = rest.remaining === 0 ? (({ remaining: _r, ...others }) => others)(rest) : rest;
  }

  async function request(path: string, request: HttpRequest = {}): Promise<HttpOutcome> {
    const url = buildUrl(request.baseUrl ?? options.baseUrl, path, request.query);
    const waitFirst = blockedUntil(rateLimit, now());
    if (waitFirst !== undefined) {
      if (waitFirst - now() > maxWaitMs) return { kind: 'rate-limited', retryAt: waitFirst };
      await wait(waitFirst - now());
    }
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await send(url, request);
      const delay = retryDelay(outcome, attempt);
      if (delay === undefined) return outcome;
      if (attempt >= maxRetries || delay > maxWaitMs) {
        return { kind: 'rate-limited', ...(rateLimit?.retryAfter ? { retryAt: rateLimit.retryAfter } : {}) };
      }
      await wait(delay);
    }
  }

  return {
    request,
    get requests() {
      return requests;
    },
    get rateLimit() {
      return rateLimit;
    },
  };
}

/** Basic authentication header value (`user:secret`, base64). */
export function basicAuth(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`, 'utf8').toString('base64')}`;
}
