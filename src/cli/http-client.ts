/**
 * The CLI's client of the Keyhouse HTTP API (`/api/v1`) on Node's `fetch`: bearer token, JSON
 * bodies, timeouts, `If-Match`, and the registry's error shape turned into an {@link ApiError}.
 * The token lives in this closure only: it is never printed and never part of an error.
 */

import { exitCodeFor } from '../core/errors.ts';
import { ApiError, CliError, codeForStatus } from './cli-error.ts';

/** Options of {@link createApiClient}. */
export interface ApiClientOptions {
  /** Server origin, e.g. `http://127.0.0.1:7070` (the client adds `/api/v1`). */
  readonly baseUrl: string;
  readonly token: string;
  /** Per-request timeout in milliseconds (default 30 000). */
  readonly timeoutMs?: number;
}

/** One request. */
export interface ApiRequest {
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly body?: unknown;
  /** The ETag read before an update. */
  readonly ifMatch?: string;
}

/** A successful answer: status, parsed JSON body (undefined for 204) and ETag. */
export interface ApiResponse<T> {
  readonly status: number;
  readonly body: T;
  readonly etag: string | undefined;
}

/** The HTTP verbs the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A client bound to one server and token. */
export interface ApiClient {
  /** The server's origin, for messages (never the token). */
  readonly origin: string;
  request<T>(method: HttpMethod, path: string, request?: ApiRequest): Promise<ApiResponse<T>>;
  get<T>(path: string, query?: ApiRequest['query']): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  delete(path: string): Promise<void>;
}

/** Builds `/a/b/c` from segments, each percent-encoded (an id can never add a path segment). */
export function apiPath(...segments: readonly string[]): string {
  return segments.map((s) => '/' + encodeURIComponent(s)).join('');
}

/** Validates a server URL: http(s), no credentials, no query; returns its origin plus path without a trailing slash. */
export function normaliseBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`--url is not a valid URL: ${JSON.stringify(raw.slice(0, 200))}`, 2, 'usage');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CliError('--url must be an http or https URL', 2, 'usage');
  if (url.username || url.password)
    throw new CliError('--url must not carry credentials; use --token-file or KEYHOUSE_TOKEN', 2, 'usage');
  if (url.search || url.hash) throw new CliError('--url must not carry a query or fragment', 2, 'usage');
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/** Creates a client for the API at `options.baseUrl`. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const base = normaliseBaseUrl(options.baseUrl);
  const origin = new URL(base).origin;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const authorization = `Bearer ${options.token}`;

  async function request<T>(method: HttpMethod, path: string, req: ApiRequest = {}): Promise<ApiResponse<T>> {
    const url = new URL(base + '/api/v1' + path);
    for (const [k, v] of Object.entries(req.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json', authorization };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    if (req.ifMatch !== undefined) headers['if-match'] = req.ifMatch;
    const init: RequestInit = { method, headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' };
    if (req.body !== undefined) init.body = JSON.stringify(req.body);
    let response: Response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      throw transportError(error, origin, timeoutMs);
    }
    const text = await readText(response, origin, timeoutMs);
    if (!response.ok) throw errorFromAnswer(response.status, text);
    const body = (text === '' ? undefined : parseJson(text, origin)) as T;
    return { status: response.status, body, etag: response.headers.get('etag') ?? undefined };
  }

  return {
    origin,
    request,
    get: async (path, query) => (await request<never>('GET', path, query ? { query } : {})).body,
    post: async (path, body) => (await request<never>('POST', path, { body: body ?? {} })).body,
    delete: async (path) => {
      await request('DELETE', path);
    },
  };
}

/** Reads the body, turning a timeout while reading into the same error as a timeout before. */
async function readText(response: Response, origin: string, timeoutMs: number): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    throw transportError(error, origin, timeoutMs);
  }
}

/** Parses a success body. */
function parseJson(text: string, origin: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(
      `the server at ${origin} answered with a body that is not JSON; is --url a Keyhouse server?`,
      1,
      'internal',
    );
  }
}

/** The error of an answer whose status is not 2xx: the registry's shape when present. */
export function errorFromAnswer(status: number, text: string): ApiError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const error = (parsed as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)
    ?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    return new ApiError(status, error.code, error.message, error.details);
  }
  const code = codeForStatus(status);
  return new ApiError(status, code, `the server answered HTTP ${status}`);
}

/** A failure to talk to the server at all: refused, unresolvable, timed out. */
function transportError(error: unknown, origin: string, timeoutMs: number): CliError {
  const e = error as { name?: string; cause?: { code?: unknown } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return new CliError(
      `no answer from ${origin} within ${timeoutMs / 1000} s`,
      exitCodeFor('unavailable'),
      'unavailable',
    );
  }
  const code = typeof e?.cause?.code === 'string' ? ` (${e.cause.code})` : '';
  return new CliError(`cannot reach Keyhouse at ${origin}${code}`, exitCodeFor('unavailable'), 'unavailable');
}
