/**
 * Test support for the verification commands: a loopback server answering the verification
 * routes from a table the test fills, recording each request, and a runner of `main()` against it.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { main } from '../main.ts';
import { createTestIO, type TestIOOptions } from '../test-io.ts';

/** A request the server saw. */
export interface SeenRequest {
  readonly route: string;
  readonly body: unknown;
}

/** The fake API: `answers` maps `METHOD /path` to `[status, body]`. */
export interface FakeApi {
  readonly answers: Map<string, readonly [number, unknown]>;
  readonly seen: SeenRequest[];
  run(argv: string[], options?: TestIOOptions): Promise<{ code: number; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

/** Starts the fake API on 127.0.0.1. */
export async function startFakeApi(): Promise<FakeApi> {
  const token = `kh_${randomBytes(24).toString('base64url')}`;
  const answers = new Map<string, readonly [number, unknown]>();
  const seen: SeenRequest[] = [];
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    const route = `${req.method} ${req.url}`;
    seen.push({ route, body: text ? JSON.parse(text) : undefined });
    const [status, body] =
      req.headers.authorization !== `Bearer ${token}`
        ? [401, { error: { code: 'unauthenticated', message: 'no' } }]
        : (answers.get(route) ?? [404, { error: { code: 'not_found', message: 'Not found.' } }]);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    answers,
    seen,
    async run(argv, options = {}) {
      const t = createTestIO({
        ...options,
        env: { KEYHOUSE_URL: url, KEYHOUSE_TOKEN: token, ...options.env },
      });
      const code = await main(argv, t.io);
      return { code, stdout: t.stdout(), stderr: t.stderr() };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A verification answer with a status and findings. */
export function verification(id: string, status: string, findings: unknown[] = []) {
  return {
    integrationId: id,
    provider: 'github',
    status,
    checkedAt: '2026-01-01T00:00:00.000Z',
    findings,
    checks: [],
    identity: { account: 'octocat' },
    grantedScopes: ['repo'],
    requests: 1,
  };
}
