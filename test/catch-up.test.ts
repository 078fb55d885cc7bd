/**
 * Another process's index catches up by replaying the change log, not by rebuilding. Two
 * processes on one PostgreSQL database: a seeded sequence of writes of every kind through the
 * first; after each, the second's next request replays the change, its index holds exactly what
 * the first's holds and decides exactly like an index built afresh from the database, and it was
 * never rebuilt, until a project deletion (a change the log carries no policy change for).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { PolicyIndex } from '../src/core/policy/policy-index.ts';
import { INTEGRATION_ACTIONS } from '../src/core/policy/types.ts';
import { policyDataOf } from '../src/services/index-sync.ts';
import type { Runtime } from '../src/services/runtime.ts';
import { fixtureLocation, type HttpFixture, startHttpFixture } from './support/http-fixture.ts';

const WS = '/api/v1/workspaces/default';
const STEPS = 60;
const ROLES = ['member', 'collaborator', 'admin'] as const;
const LEVELS = ['DENY', 'DELETE_ONLY', 'USE', 'MANAGE'] as const;

/** Arrays sorted by their items' canonical JSON, object keys sorted: equal for equal sets. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value))
    return value
      .map(canonical)
      .sort((a, b) =>
        JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0,
      );
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  return value;
}

/** Every decision the index makes on the database's users, integrations and pipelines. */
async function decisionsOf(index: PolicyIndex, runtime: Runtime, now: number): Promise<string[]> {
  const snap = await runtime.store.loadPolicySnapshot();
  const users = [...new Set(snap.members.map((m) => m.userId))].sort();
  const out: string[] = [];
  for (const u of users) {
    out.push(`list ${u}: ${[...index.listVisible(u, 'default', now)].sort().join(',')}`);
    for (const i of snap.integrations)
      out.push(
        `${u} ${i.id}: ${index.level(u, i.id, now)} ${INTEGRATION_ACTIONS.map((a) => (index.allows(u, i.id, a, now) ? 1 : 0)).join('')}`,
      );
  }
  for (const p of snap.pipelines)
    for (const i of snap.integrations)
      out.push(`run ${p.id} ${i.id}: ${index.pipelineAdmits(p.id, i.id, now)}`);
  return out;
}

async function ok(f: HttpFixture['call'], method: string, url: string, body?: unknown) {
  const res = await f('admin', method, url, body);
  assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.body === '' ? {} : (res.json() as Record<string, unknown>);
}

describe('another process catches up by replaying the change log (PostgreSQL)', async () => {
  const where = await fixtureLocation('postgres');
  if ('skip' in where) {
    test('skipped', { skip: where.skip }, () => undefined);
    return;
  }
  await where.cleanup();

  test(`${STEPS} writes of every kind: replayed, never rebuilt, the same index and decisions`, async () => {
    const f = await startHttpFixture({ store: 'postgres' });
    try {
      const two = await f.anotherProcess();
      const one = f.runtime;
      // Deterministic choices (a linear congruential generator), so a failure replays.
      let state = 0x2545f491;
      const pick = (n: number): number => {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        return (state >>> 8) % n;
      };
      const choose = <T>(items: readonly T[]): T => items[pick(items.length)]!;
      const users = [f.users.collaborator, f.users.member];
      const groups = [f.ids.group];
      const integrations = [f.ids.integration];
      const pipelines = [f.ids.pipeline, f.ids.pipeline2];
      // Reach the second process once, so its index is the one to keep.
      await two.call('admin', 'GET', `${WS}/integrations`);
      const index = two.runtime.sync.index;
      const before = two.runtime.sync.counts;
      const kinds = new Set<string>();
      for (let step = 0; step < STEPS; step++) {
        const kind = choose([
          'member.add',
          'member.role',
          'member.remove',
          'project.role',
          'group.create',
          'group.add',
          'group.remove',
          'group.delete',
          'integration.create',
          'integration.permissions',
          'integration.allow',
          'integration.delete',
          'pipeline.create',
          'pipeline.delete',
        ]);
        kinds.add(kind);
        switch (kind) {
          case 'member.add': {
            const m = await ok(f.call, 'POST', `${WS}/members`, { login: `u${step}`, role: choose(ROLES) });
            users.push(m['userId'] as string);
            break;
          }
          case 'member.role':
            await ok(f.call, 'PUT', `${WS}/members/${choose(users)}`, { role: choose(ROLES) });
            break;
          case 'member.remove': {
            if (users.length <= 2) continue;
            const u = users.splice(2 + pick(users.length - 2), 1)[0]!;
            await ok(f.call, 'DELETE', `${WS}/members/${u}`);
            break;
          }
          case 'project.role':
            await ok(f.call, 'PUT', `${WS}/projects/${f.ids.project}/members/${choose(users)}`, {
              role: choose([...ROLES, null]),
            });
            break;
          case 'group.create':
            groups.push((await ok(f.call, 'POST', `${WS}/groups`, { name: `g${step}` }))['id'] as string);
            break;
          case 'group.add':
            await ok(f.call, 'PUT', `${WS}/groups/${choose(groups)}/members/${choose(users)}`);
            break;
          case 'group.remove': {
            const res = await f.call(
              'admin',
              'DELETE',
              `${WS}/groups/${choose(groups)}/members/${choose(users)}`,
            );
            assert.ok([200, 204, 404].includes(res.statusCode), res.body);
            break;
          }
          case 'group.delete': {
            if (groups.length <= 1) continue;
            await ok(f.call, 'DELETE', `${WS}/groups/${groups.splice(1 + pick(groups.length - 1), 1)[0]!}`);
            break;
          }
          case 'integration.create': {
            const created = await ok(f.call, 'POST', `${WS}/integrations`, {
              name: `i${step}`,
              provider: 'github',
              credentialType: 'classic-pat',
              scope: choose([{ type: 'WORKSPACE' }, { type: 'PROJECT', projectId: f.ids.project }]),
              credential: { token: `ghp_${randomBytes(27).toString('base64url').slice(0, 36)}` },
            });
            integrations.push(created['id'] as string);
            break;
          }
          case 'integration.permissions': {
            const i = choose(integrations);
            const read = await f.call('admin', 'GET', `${WS}/integrations/${i}`);
            const entryUsers = [...new Set(users.filter(() => pick(3) === 0))];
            const entryGroups = [...new Set(groups.filter(() => pick(2) === 0))];
            const res = await f.call(
              'admin',
              'PUT',
              `${WS}/integrations/${i}/permissions`,
              {
                // The writer, an admin, keeps MANAGE through the admins level.
                admins: { level: 'MANAGE' },
                others: { level: choose(LEVELS) },
                users: entryUsers.map((id) => ({ id, level: choose(LEVELS) })),
                groups: entryGroups.map((id) => ({ id, level: choose(LEVELS) })),
                allowedPipelines:
                  pick(2) === 0 ? 'ALL' : pipelines.filter(() => pick(2) === 0).map((id) => ({ id })),
              },
              { 'if-match': read.headers.etag as string },
            );
            assert.equal(res.statusCode, 200, res.body);
            break;
          }
          case 'integration.allow':
            await ok(f.call, 'POST', `${WS}/integrations/${choose(integrations)}/allowed-pipelines`, {
              pipelineId: choose(pipelines),
            });
            break;
          case 'integration.delete': {
            if (integrations.length <= 1) continue;
            const i = integrations.splice(1 + pick(integrations.length - 1), 1)[0]!;
            await ok(f.call, 'DELETE', `${WS}/integrations/${i}`);
            break;
          }
          case 'pipeline.create':
            pipelines.push(
              (await ok(f.call, 'POST', `${WS}/projects/${f.ids.project}/pipelines`, { name: `p${step}` }))[
                'id'
              ] as string,
            );
            break;
          case 'pipeline.delete': {
            if (pipelines.length <= 2) continue;
            const q = pipelines.splice(2 + pick(pipelines.length - 2), 1)[0]!;
            await ok(f.call, 'DELETE', `${WS}/projects/${f.ids.project}/pipelines/${q}`);
            break;
          }
        }
        // The second process's next request catches up.
        await two.call('admin', 'GET', `${WS}/integrations`);
        const sync = two.runtime.sync;
        assert.equal(sync.revision, one.sync.revision, `step ${step} (${kind}): the same revision`);
        assert.equal(sync.index, index, `step ${step} (${kind}): the same index, not a rebuilt one`);
        assert.deepEqual(
          canonical(sync.index.snapshot().data),
          canonical(one.sync.index.snapshot().data),
          `step ${step} (${kind}): the same index as the writing process`,
        );
        const now = Date.now();
        const rebuilt = PolicyIndex.build(policyDataOf(await two.runtime.store.loadPolicySnapshot()));
        assert.deepEqual(
          await decisionsOf(sync.index, two.runtime, now),
          await decisionsOf(rebuilt, two.runtime, now),
          `step ${step} (${kind}): decides like an index built from the database`,
        );
      }
      const counts = two.runtime.sync.counts;
      assert.equal(counts.rebuilt, before.rebuilt, 'never rebuilt');
      assert.ok(
        counts.replayed - before.replayed >= STEPS / 2,
        `replayed ${counts.replayed - before.replayed}`,
      );
      assert.ok(kinds.size >= 12, `the sequence wrote ${kinds.size} kinds of change`);

      // A project deletion carries no policy change: the other process rebuilds, and agrees.
      await ok(f.call, 'POST', `${WS}/projects`, { id: 'gone', name: 'Gone' });
      await ok(f.call, 'DELETE', `${WS}/projects/gone`);
      await two.call('admin', 'GET', `${WS}/integrations`);
      assert.equal(two.runtime.sync.counts.rebuilt, before.rebuilt + 1, 'rebuilt once');
      assert.notEqual(two.runtime.sync.index, index);
      assert.equal(two.runtime.sync.revision, one.sync.revision);
      const now = Date.now();
      assert.deepEqual(
        await decisionsOf(two.runtime.sync.index, two.runtime, now),
        await decisionsOf(one.sync.index, one, now),
      );
    } finally {
      await f.close();
    }
  });
});
