/**
 * Malformed requests, generated for every route of the router: random JSON bodies, wrong types,
 * deep nesting, odd strings in path parameters, invalid JSON, wrong content types. Never a 5xx,
 * never a stack trace or an internal path in a body, always the registry's error shape.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { routesOf } from '../src/http/app.ts';
import { type CastRole, type HttpFixture, startHttpFixture } from './support/http-fixture.ts';

const RUNS = Number(process.env['KEYHOUSE_FUZZ_RUNS'] ?? 200);

const oddString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    '..',
    '../..',
    '%2e%2e%2f',
    'a/b',
    '\u0000',
    ' ',
    '%00',
    'default',
    'gh',
    'web',
    'build',
    'devs',
    '__proto__',
    'constructor',
    'x'.repeat(300),
  ),
);
const deep = fc.integer({ min: 1, max: 2000 }).map((n) => {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
});
const body = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(
    fc.constantFrom(
      'name',
      'id',
      'level',
      'admins',
      'others',
      'users',
      'groups',
      'allowedPipelines',
      'credential',
      'config',
      'scope',
      'provider',
      'credentialType',
      'change',
      'checks',
      'action',
      'integrationId',
      'pipelineId',
      'role',
      'login',
      '__proto__',
    ),
    fc.jsonValue(),
  ),
  deep,
);
const rawBody = fc.oneof(
  fc.constant('{'),
  fc.constant('{"a":1,"a":2}'),
  fc.string(),
  fc.constant('\u0000'),
  fc.constant('[]'),
);

describe('fuzzed requests never crash the server', () => {
  let f: HttpFixture;
  before(async () => {
    f = await startHttpFixture();
  });
  after(() => f.close());

  test('every route, random bodies and parameters', async () => {
    const routes = routesOf(f.app).filter((r) => r.url.startsWith('/api/v1'));
    assert.ok(routes.length > 40);
    let requests = 0;
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(
          fc.array(oddString, { minLength: 4, maxLength: 4 }),
          fc.oneof(
            body.map((b) => ({ json: b })),
            rawBody.map((r) => ({ raw: r })),
          ),
          fc.constantFrom<CastRole>('admin', 'member', 'anonymous'),
          fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
          async (params, payload, role, contentType) => {
            let i = 0;
            const url = route.url.replace(/:[A-Za-z]+/g, () =>
              encodeURIComponent(params[i++ % params.length]!),
            );
            const headers: Record<string, string> = {
              'content-type': contentType,
              'if-match': '"integration-gh-v1"',
            };
            const data = 'json' in payload ? JSON.stringify(payload.json ?? null) : payload.raw;
            requests += 1;
            const res = await f.app.inject({
              method: route.method as 'GET',
              url,
              headers: {
                ...headers,
                ...(role === 'anonymous' ? {} : { authorization: `Bearer ${f.tokens[role]}` }),
              },
              ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: data }),
            });
            assert.ok(
              res.statusCode < 500,
              `${route.method} ${url} answered ${res.statusCode}: ${res.body.slice(0, 300)}`,
            );
            assert.equal(/\bat .+\.(ts|js):\d+/.test(res.body), false, 'no stack trace');
            assert.equal(res.body.includes('/src/'), false, 'no internal path');
            if (res.statusCode >= 400) {
              const parsed = JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown } };
              assert.equal(
                typeof parsed.error?.code,
                'string',
                `${res.statusCode} ${res.body.slice(0, 200)}`,
              );
              assert.equal(typeof parsed.error?.message, 'string');
            }
          },
        ),
        { numRuns: RUNS },
      );
    }
    assert.ok(requests >= routes.length * RUNS);
  });
});
