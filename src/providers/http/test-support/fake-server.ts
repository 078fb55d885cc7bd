/**
 * Test support for the hosts' local stand-ins: a `node:http` server on 127.0.0.1 with a request
 * log, recorded request→response fixtures and a shape comparison between a fixture and a live
 * answer, and generated secrets (never committed). Test code only: no adapter imports it.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/** A request as a fake sees it. */
export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A fake's answer: JSON when `body` is not a string. */
export interface FakeResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** A running fake. */
export interface FakeServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every request received, in order (method and path with query). */
  readonly log: { method: string; path: string }[];
  close(): Promise<void>;
}

/** Starts a fake on 127.0.0.1 and an ephemeral port. */
export async function startFakeServer(handle: (request: FakeRequest) => FakeResponse): Promise<FakeServer> {
  const log: { method: string; path: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      log.push({ method, path: url.pathname + url.search });
      const request = {
        method,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const answer = handle(request);
      const text =
        answer.body === undefined
          ? ''
          : typeof answer.body === 'string'
            ? answer.body
            : JSON.stringify(answer.body);
      const type = typeof answer.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
      res.writeHead(answer.status, { 'content-type': type, ...answer.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A random secret with the host's prefix, made per test run. */
export function generateSecret(prefix = ''): string {
  return prefix + randomBytes(20).toString('hex');
}

/** One recorded request→response example, written from the host's documentation. */
export interface Fixture {
  readonly name: string;
  readonly source: string;
  /** The fake's state for this example (host-specific). */
  readonly setup?: Record<string, unknown>;
  readonly request: { readonly method: string; readonly path: string };
  readonly response: {
    readonly status: number;
    readonly headers?: Record<string, string>;
    readonly body?: unknown;
  };
}

/** Reads every `*.json` fixture of a folder. */
export function loadFixtures(dir: URL): Fixture[] {
  const path = fileURLToPath(dir);
  return readdirSync(path)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({
      name,
      ...(JSON.parse(readFileSync(`${path}/${name}`, 'utf8')) as Omit<Fixture, 'name'>),
    }));
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/**
 * Where an answer's body differs in shape from a recorded one: every key of the recording must
 * be present with the same JSON type (null in the recording accepts anything). Empty = same shape.
 */
export function shapeDifferences(recorded: unknown, actual: unknown, path = '$'): string[] {
  if (recorded === null) return [];
  if (kind(recorded) !== kind(actual)) return [`${path}: expected ${kind(recorded)}, got ${kind(actual)}`];
  if (Array.isArray(recorded) && Array.isArray(actual)) {
    if (recorded.length === 0) return [];
    if (actual.length === 0) return [`${path}: expected a non-empty array`];
    return shapeDifferences(recorded[0], actual[0], `${path}[0]`);
  }
  if (typeof recorded === 'object' && typeof actual === 'object' && actual !== null) {
    return Object.entries(recorded as Record<string, unknown>).flatMap(([key, value]) =>
      Object.hasOwn(actual, key)
        ? shapeDifferences(value, (actual as Record<string, unknown>)[key], `${path}.${key}`)
        : [`${path}.${key}: missing`],
    );
  }
  return [];
}
