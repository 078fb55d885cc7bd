/**
 * The local GitHub answers as GitHub documents: bodies valid against the OpenAPI extract, the
 * recorded examples replayed, app JWTs verified with the app's key, rate-limit violations counted.
 */
import assert from 'node:assert/strict';
import { createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { verifyAppJwt } from './github-fake-auth.ts';
import { recordExamples } from './github-fake-examples.ts';
import { FakeRateLimit } from './github-fake-rate-limit.ts';
import { startFakeGithub } from './github-fake-server.ts';
import { FakeWorld } from './github-fake-world.ts';

interface Extract {
  operations: Record<string, { method: string; path: string; responses: Record<string, object> }>;
  definitions: Record<string, object>;
}

const extract = JSON.parse(
  readFileSync(new URL('./__fixtures__/openapi-extract.json', import.meta.url), 'utf8'),
) as Extract;
const committed: unknown = JSON.parse(
  readFileSync(new URL('./__fixtures__/examples.json', import.meta.url), 'utf8'),
);
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

// GitHub answers every error with `basic-error`, also for statuses an operation does not list.
const BASIC_ERROR = { $ref: '#/definitions/basic-error' };

function validator(operation: string, status: number) {
  const schema =
    extract.operations[operation]?.responses[String(status)] ?? (status >= 400 ? BASIC_ERROR : undefined);
  assert.ok(schema, `${operation} ${status} is in the extract`);
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  return ajv.compile({ ...schema, definitions: extract.definitions });
}

function jwt(appId: string, key: string, iat: number, exp: number): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const head = `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc({ iat, exp, iss: appId })}`;
  return `${head}.${createSign('RSA-SHA256').update(head).sign(key, 'base64url')}`;
}

describe('local GitHub', () => {
  test('every recorded body matches its operation schema in GitHub’s OpenAPI description', async () => {
    const { raw } = await recordExamples();
    let checked = 0;
    for (const example of raw) {
      if (example.operation === undefined) continue;
      const validate = validator(example.operation, example.status);
      assert.ok(validate(example.body), `${example.name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
      checked += 1;
    }
    assert.ok(checked >= 12);
  });

  test('a body with a required field removed fails the schema (the check can fail)', async () => {
    const { raw } = await recordExamples();
    const user = raw.find((e) => e.operation === 'users/get-authenticated' && e.status === 200);
    assert.ok(user);
    const { login: _login, ...withoutLogin } = user.body as Record<string, unknown>;
    assert.equal(validator('users/get-authenticated', 200)(withoutLogin), false);
  });

  test('the recorded examples in __fixtures__ replay unchanged', async () => {
    const { normalised } = await recordExamples();
    assert.deepEqual(normalised, committed);
  });

  test('unknown routes answer GitHub’s 404 JSON', async () => {
    const fake = await startFakeGithub();
    try {
      const response = await fetch(`${fake.url}/no/such/route`);
      assert.equal(response.status, 404);
      assert.deepEqual(await response.json(), {
        message: 'Not Found',
        documentation_url: 'https://docs.github.com/rest',
        status: '404',
      });
    } finally {
      await fake.close();
    }
  });

  test('app JWTs are verified with the app’s public key, issuer and lifetime', () => {
    const world = new FakeWorld();
    const a = world.addApp('a');
    const b = world.addApp('b');
    const now = Math.floor(Date.now() / 1000);
    assert.equal(typeof verifyAppJwt(world, jwt(a.appId, a.privateKey, now - 30, now + 500), now), 'object');
    assert.equal(
      verifyAppJwt(world, jwt(a.appId, b.privateKey, now - 30, now + 500), now),
      'A JSON web token could not be decoded',
    );
    assert.match(
      String(verifyAppJwt(world, jwt(a.appId, a.privateKey, now - 700, now - 10), now)),
      /Expiration time/,
    );
    assert.match(
      String(verifyAppJwt(world, jwt(a.appId, a.privateKey, now, now + 3600), now)),
      /too far in the future/,
    );
    assert.equal(
      verifyAppJwt(world, jwt('999999', a.privateKey, now, now + 60), now),
      'Integration not found',
    );
  });

  test('the rate limit refuses past the budget, counts violations and resets on the whole second', () => {
    const limit = new FakeRateLimit({ limit: 2, windowMs: 1000 });
    const t0 = 10_000_300;
    assert.equal(limit.charge('u', t0).allowed, true);
    const second = limit.charge('u', t0 + 1);
    assert.equal(second.headers['x-ratelimit-remaining'], '0');
    assert.equal(second.headers['x-ratelimit-reset'], '10002');
    assert.equal(limit.charge('u', t0 + 2).allowed, false);
    assert.equal(limit.violations, 1);
    assert.equal(limit.charge('u', 10_002_000).allowed, true);
  });
});
