import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { exitCodeFor } from '../core/errors.ts';
import { main } from './main.ts';
import { createTestIO, type TestIOOptions } from './test-io.ts';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
}

const token = `kh_${randomBytes(24).toString('base64url')}`;
const seen: Seen[] = [];
let version = 3;
let bumpBeforePut = false;
let server: Server;
let url = '';

const permissions = () => ({
  admins: { level: 'MANAGE' },
  others: { level: 'USE' },
  users: [{ id: 'u1', level: 'USE' }],
  groups: [],
  allowedPipelines: 'ALL',
});
const notFound = { error: { code: 'not_found', message: 'Not found.' } };

function send(
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

/** Imitates a few answers of the Keyhouse API. */
async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let text = '';
  for await (const chunk of req) text += chunk;
  const body = text ? JSON.parse(text) : undefined;
  seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
  if (req.url?.startsWith('/slow/')) return; // never answers
  if (req.headers.authorization !== `Bearer ${token}`)
    return send(res, 401, {
      error: { code: 'unauthenticated', message: 'A valid API token or session is required.' },
    });
  const route = `${req.method} ${req.url}`;
  const etag = `"integration-gh-v${version}"`;
  switch (route) {
    case 'GET /api/v1/workspaces/default/projects':
      return send(res, 200, {
        items: [
          {
            id: 'api',
            workspaceId: 'default',
            name: 'API',
            repository: { host: 'github.com', fullName: 'acme/api' },
            createdAt: '2026-01-01T00:00:00Z',
          },
          {
            id: 'web-frontend',
            workspaceId: 'default',
            name: 'Web',
            repository: null,
            createdAt: '2026-01-02T00:00:00Z',
          },
        ],
      });
    case 'GET /api/v1/workspaces/ws%202/projects':
      return send(res, 200, { items: [] });
    case 'GET /api/v1/workspaces/default/integrations/missing':
      return send(res, 404, notFound);
    case 'GET /api/v1/workspaces/default/integrations/gh/permissions':
      if (bumpBeforePut) version += 1;
      return send(res, 200, permissions(), {
        etag: `"integration-gh-v${bumpBeforePut ? version - 1 : version}"`,
      });
    case 'PUT /api/v1/workspaces/default/integrations/gh/permissions':
      if (req.headers['if-match'] === undefined)
        return send(res, 428, { error: { code: 'precondition_required', message: 'If-Match required.' } });
      if (req.headers['if-match'] !== etag)
        return send(res, 412, {
          error: { code: 'precondition_failed', message: 'The resource has changed.' },
        });
      version += 1;
      return send(res, 200, body, { etag: `"integration-gh-v${version}"` });
    case 'POST /api/v1/workspaces/default/check':
      return send(res, 200, {
        allowed: body.userId !== 'u9',
        level: body.userId === 'u9' ? 'DENY' : 'USE',
        reasons: [{ hop: 'user-entry' }],
        explanation: ['user entry decides'],
      });
    case 'POST /api/v1/workspaces/default/integrations':
      return send(res, 201, { id: 'gh2', name: body.name }, { etag: '"integration-gh2-v1"' });
    case 'POST /api/v1/workspaces/default/projects':
      return send(res, 400, {
        error: {
          code: 'validation_failed',
          message: 'The request is not valid.',
          details: { fields: [{ path: 'body.name', message: 'must NOT have fewer than 1 characters' }] },
        },
      });
    case 'DELETE /api/v1/workspaces/default/groups/g1':
      return send(res, 204);
    default:
      return send(res, 404, notFound);
  }
}

before(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Runs the CLI against the test server with the token in the environment. */
async function run(argv: string[], options: TestIOOptions = {}) {
  const t = createTestIO({ ...options, env: { KEYHOUSE_URL: url, KEYHOUSE_TOKEN: token, ...options.env } });
  const code = await main(argv, t.io);
  assert.ok(!t.stdout().includes(token) && !t.stderr().includes(token), 'the token is never printed');
  return { code, stdout: t.stdout(), stderr: t.stderr() };
}

describe('keyhouse against an HTTP server', () => {
  test('lists projects as an aligned table, sending the bearer token', async () => {
    const r = await run(['projects', 'list']);
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout,
      'ID            NAME  REPOSITORY           CREATED\n' +
        'api           API   github.com/acme/api  2026-01-01T00:00:00Z\n' +
        'web-frontend  Web   -                    2026-01-02T00:00:00Z\n',
    );
    assert.equal(seen.at(-1)!.headers.authorization, `Bearer ${token}`);
  });

  test('--json prints the items for scripts; --workspace is path-encoded', async () => {
    const r = await run(['projects', 'list', '--json']);
    assert.deepEqual(
      JSON.parse(r.stdout).map((p: { id: string }) => p.id),
      ['api', 'web-frontend'],
    );
    const empty = await run(['-w', 'ws 2', 'projects', 'list']);
    assert.equal(empty.stdout, 'No projects.\n');
    assert.equal(seen.at(-1)!.url, '/api/v1/workspaces/ws%202/projects');
  });

  test('a 404 exits with the not_found code and prints the error', async () => {
    const r = await run(['integrations', 'show', 'missing']);
    assert.equal(r.code, exitCodeFor('not_found'));
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error: Not found\. \(not_found, HTTP 404\)/);
    const j = await run(['integrations', 'show', 'missing', '--json']);
    assert.equal(JSON.parse(j.stderr).error.code, 'not_found');
  });

  test('a validation error prints the path of each bad field and exits 2', async () => {
    const r = await run(['projects', 'create', 'x']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /body\.name: must NOT have fewer than 1 characters/);
  });

  test('a wrong token exits with the auth code', async () => {
    const r = await run(['projects', 'list'], {
      env: { KEYHOUSE_TOKEN: `kh_${randomBytes(12).toString('hex')}` },
    });
    assert.equal(r.code, exitCodeFor('unauthenticated'));
  });

  test('permissions set reads the ETag, sends If-Match and the merged permissions', async () => {
    const r = await run([
      'permissions',
      'set',
      'gh',
      '--user',
      'u2=USE@2026-12-01T00:00:00Z',
      '--others',
      'DENY',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const put = seen.at(-1)!;
    assert.equal(put.method, 'PUT');
    assert.equal(put.headers['if-match'], `"integration-gh-v${version - 1}"`);
    assert.deepEqual(put.body, {
      ...permissions(),
      others: { level: 'DENY' },
      users: [
        { id: 'u1', level: 'USE' },
        { id: 'u2', level: 'USE', expiresAt: '2026-12-01T00:00:00.000Z' },
      ],
    });
    assert.match(r.stdout, /user +u2 +USE +2026-12-01T00:00:00.000Z/);
  });

  test('a concurrent change between read and write exits with the conflict code (412)', async () => {
    bumpBeforePut = true;
    try {
      const r = await run(['permissions', 'set', 'gh', '--admins', 'USE']);
      assert.equal(r.code, exitCodeFor('precondition_failed'));
      assert.match(r.stderr, /precondition_failed, HTTP 412/);
    } finally {
      bumpBeforePut = false;
    }
  });

  test('check exits 0 when allowed and with the permission code when denied', async () => {
    assert.equal((await run(['check', 'gh', '--action', 'integration.use', '--user', 'u1'])).code, 0);
    const denied = await run(['check', 'gh', '--user', 'u9']);
    assert.equal(denied.code, exitCodeFor('forbidden'));
    assert.match(denied.stdout, /^DENIED \(level DENY\)\n {2}- user entry decides\n$/);
  });

  test('integrations create sends the credential read from standard input and never prints it', async () => {
    const secret = randomBytes(20).toString('base64url');
    const r = await run(
      [
        'integrations',
        'create',
        '--name',
        'GH',
        '--provider',
        'github',
        '--credential-type',
        'classic-pat',
        '--config',
        'host=github.com',
      ],
      {
        stdin: secret,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(seen.at(-1)!.body, {
      name: 'GH',
      provider: 'github',
      credentialType: 'classic-pat',
      scope: { type: 'WORKSPACE' },
      config: { host: 'github.com' },
      credential: { token: secret },
    });
    assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret));
  });

  test('a delete answered 204 reports the deletion', async () => {
    const r = await run(['groups', 'delete', 'g1']);
    assert.deepEqual([r.code, r.stdout], [0, 'Deleted group g1.\n']);
  });
});

describe('exit codes without a server answer', () => {
  test('an unreachable server exits with the unavailable code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const r = await run(['projects', 'list', '--url', `http://127.0.0.1:${port}`]);
    assert.equal(r.code, exitCodeFor('unavailable'));
    assert.match(r.stderr, /cannot reach Keyhouse at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  test('a server that does not answer in time exits with the unavailable code', async () => {
    const r = await run(['projects', 'list', '--url', `${url}/slow`, '--timeout', '0.3']);
    assert.equal(r.code, exitCodeFor('unavailable'));
    assert.match(r.stderr, /no answer from http:\/\/127\.0\.0\.1:\d+ within 0\.3 s/);
  });

  test('usage errors exit 2 with the usage line', async () => {
    const cases: [string[], RegExp][] = [
      [['nope'], /unknown command 'nope'/],
      [['projects', 'frobnicate'], /unknown command 'projects frobnicate'/],
      [
        ['pipelines', 'list'],
        /missing required option --project[\s\S]*Usage: keyhouse pipelines list \[options\]/,
      ],
      [['projects', 'list', '--token', 'abc'], /--token is refused/],
      [['integrations', 'create', '--credential', 'x'], /--credential is refused/],
      [['audit', 'list', '--limit', '500'], /--limit must be/],
      [['workspaces', 'delete', 'w1'], /irreversible; add --yes/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, message, argv.join(' '));
    }
  });

  test('no token at all exits with the auth code before any request', async () => {
    const before = seen.length;
    const t = createTestIO({ env: { KEYHOUSE_URL: url } });
    assert.equal(await main(['projects', 'list'], t.io), exitCodeFor('unauthenticated'));
    assert.match(t.stderr(), /no API token/);
    assert.equal(seen.length, before);
  });

  test('a URL with credentials is refused', async () => {
    const r = await run(['projects', 'list', '--url', 'http://user:pw@127.0.0.1:1']);
    assert.equal(r.code, 2);
    assert.ok(!r.stderr.includes('pw@'));
  });
});

describe('help', () => {
  test('top-level help matches its snapshot', async (t) => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    t.assert.snapshot(r.stdout, { serializers: [(value) => String(value)] });
  });

  test('every command has --help that exits 0 and names its usage', async () => {
    const { COMMANDS, isRaw } = await import('./command-table.ts');
    for (const c of COMMANDS) {
      if (isRaw(c)) continue;
      const r = await run([...c.name.split(' '), '--help']);
      assert.equal(r.code, 0, c.name);
      assert.ok(r.stdout.startsWith(`Usage: keyhouse ${c.name}`), c.name);
    }
  });

  test('a noun alone lists its commands (exit 2), with --help exit 0', async () => {
    const alone = await run(['groups']);
    assert.equal(alone.code, 2);
    assert.match(alone.stderr, /groups add-member/);
    assert.equal((await run(['groups', '--help'])).code, 0);
    assert.equal((await run(['help', 'groups', 'create'])).code, 0);
  });
});
