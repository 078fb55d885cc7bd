/**
 * The authorization matrix, generated from the router: every route × {anonymous, member,
 * collaborator, admin, admin of another workspace}, with the status each must get. A route the
 * router has and `authz-matrix.json` lacks fails the suite, so no new route escapes the matrix.
 * Mutating cases run on a fresh copy of the seeded store, so one cell never changes another.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { routesOf } from '../src/http/app.ts';
import {
  CAST,
  type CastRole,
  createSeedImage,
  type HttpFixture,
  type SeedImage,
  startHttpFixture,
} from './support/http-fixture.ts';

interface MatrixCase {
  method: string;
  route: string;
  path?: string;
  params?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  expect: Record<CastRole, number>;
  /** A POST that answers a question and changes nothing. */
  readOnly?: boolean;
}

const matrix = JSON.parse(readFileSync(new URL('./authz-matrix.json', import.meta.url), 'utf8')) as {
  cases: MatrixCase[];
};

function fill(value: unknown, role: string, canary: string): unknown {
  return JSON.parse(
    JSON.stringify(value ?? null)
      .replaceAll('{role}', role)
      .replaceAll('{canary}', canary),
  );
}

function pathOf(c: MatrixCase, image: SeedImage): string {
  if (c.path) return c.path;
  const users = image.users as Record<string, string>;
  const defaults: Record<string, string> = {
    ws: 'default',
    projectId: image.ids.project,
    pipelineId: image.ids.pipeline,
    groupId: image.ids.group,
    integrationId: image.ids.integration,
    userId: image.users.member,
    tokenId: image.adminTokenId,
  };
  return c.route.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const given = c.params?.[name];
    return given ? (users[given] ?? given) : defaults[name]!;
  });
}

describe('authorization matrix', () => {
  let image: SeedImage;
  let shared: HttpFixture;
  before(async () => {
    image = await createSeedImage();
    shared = await startHttpFixture({ image });
  });
  after(async () => {
    await shared.close();
    image.dispose();
  });

  test('lists every route of the router, and only those', () => {
    const listed = new Set(matrix.cases.map((c) => `${c.method} ${c.route}`));
    const routed = new Set(routesOf(shared.app).map((r) => `${r.method} ${r.url}`));
    assert.deepEqual(
      [...routed].filter((r) => !listed.has(r)),
      [],
      'routes missing from test/authz-matrix.json',
    );
    assert.deepEqual(
      [...listed].filter((r) => !routed.has(r)),
      [],
      'matrix rows for routes that do not exist',
    );
  });

  for (const c of matrix.cases) {
    test(`${c.method} ${c.route}`, async () => {
      for (const role of CAST) {
        // A cell expected to succeed at a change gets its own copy of the store; refusals change nothing.
        const mutating = c.method !== 'GET' && !c.readOnly && c.expect[role] < 300;
        const f = mutating ? await startHttpFixture({ image }) : shared;
        try {
          const canary = `ghp_${randomBytes(27).toString('base64url').slice(0, 36)}`;
          const res = await f.call(
            role,
            c.method,
            pathOf(c, image),
            c.body === undefined ? undefined : fill(c.body, role, canary),
            c.headers,
          );
          assert.equal(
            res.statusCode,
            c.expect[role],
            `${role}: ${c.method} ${c.route} answered ${res.statusCode} ${res.body.slice(0, 300)}`,
          );
          if (res.statusCode >= 400 && res.headers['content-type']?.toString().includes('json')) {
            const body = res.json() as { error?: { code?: string } };
            assert.equal(typeof body.error?.code, 'string', 'errors carry a stable code');
          }
          assert.equal(res.body.includes(canary), false, 'a credential never comes back');
        } finally {
          if (mutating) await f.close();
        }
      }
    });
  }
});
