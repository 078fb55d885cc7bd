import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { INTEGRATION_ACTIONS, PolicyIndex } from '../src/core/policy/index.ts';
import { asReadFromDatabase } from './as-read.ts';
import { buildCasbin, casbinAllows } from './casbin-engine.ts';
import { buildCasl, caslAllows } from './casl-engine.ts';
import { buildKeyhouse, NOW, stringsOf } from './keyhouse-engine.ts';
import { interleave, timeBatches } from './measure.ts';
import { formatReport } from './report.ts';
import { generateWorkspace, sampleWorkload, type WorkspaceShape } from './workspace-generator.ts';

const TINY: WorkspaceShape = {
  users: 300,
  groups: 30,
  groupsPerUser: 3,
  integrations: 200,
  projects: 8,
  projectsPerUser: 2,
  userEntries: 1_200,
  groupEntries: 300,
  seed: 7,
};

describe('decision benchmark', () => {
  const ws = generateWorkspace(TINY);
  const w = stringsOf(ws, sampleWorkload(ws, 3_000, TINY.users, 11));

  test('generates the same workspace from the same seed, with the entries asked for', () => {
    const again = generateWorkspace(TINY);
    assert.deepEqual(again.data, ws.data);
    const users = ws.data.integrations.reduce((sum, i) => sum + i.permissions.users.length, 0);
    const groups = ws.data.integrations.reduce((sum, i) => sum + i.permissions.groups.length, 0);
    assert.equal(users, TINY.userEntries);
    assert.equal(groups, TINY.groupEntries);
    assert.ok(ws.data.integrations.some((i) => i.permissions.users.some((e) => e.level === 'DENY')));
  });

  test('the data as read from a database is the same data, and builds the same index', () => {
    const read = asReadFromDatabase(ws.data);
    // Its project roles are records without prototype, as the service's snapshot makes them.
    const withRoles = read.members.find((m) => m.projectRoles !== undefined);
    assert.equal(Object.getPrototypeOf(withRoles?.projectRoles), null);
    // Apart from the users' sequence numbers, which the snapshot hands with each row naming a user:
    // the member's (and the member's own id string, which a test cannot tell apart from an equal one).
    const seqOf = new Map(read.members.map((m) => [m.userId, m.userSeq]));
    assert.equal(new Set(seqOf.values()).size, seqOf.size, 'one number per user');
    for (const i of read.integrations)
      for (const e of i.permissions.users) assert.equal(e.userSeq, seqOf.get(e.id));
    for (const g of read.groups)
      assert.deepEqual(
        g.userSeqs,
        g.userIds.map((id) => seqOf.get(id)),
      );
    const withoutSeqs = structuredClone(read);
    for (const m of withoutSeqs.members) delete (m as { userSeq?: number }).userSeq;
    for (const g of withoutSeqs.groups) delete (g as { userSeqs?: readonly number[] }).userSeqs;
    for (const i of withoutSeqs.integrations)
      for (const e of i.permissions.users) delete (e as { userSeq?: number }).userSeq;
    assert.deepEqual(withoutSeqs, ws.data);
    assert.deepEqual(PolicyIndex.build(read).snapshot(), PolicyIndex.build(ws.data).snapshot());
  });

  test('Keyhouse, CASL (both encodings) and casbin give the same answer on every check', async () => {
    const { index } = buildKeyhouse(ws);
    const casl = (['in', 'each'] as const).map((encoding) => buildCasl(ws, TINY.users, encoding));
    const casbin = await buildCasbin(ws);
    let allowed = 0;
    for (let k = 0; k < w.users.length; k++) {
      const expected = index.allows(w.users[k]!, w.integrations[k]!, w.actions[k]!, NOW);
      if (expected) allowed++;
      for (const engine of casl) assert.equal(caslAllows(engine, w, k), expected, `CASL check ${k}`);
      assert.equal(casbinAllows(casbin, w, k, ws.workspaceId), expected, `casbin check ${k}`);
    }
    // The workload must exercise both answers, or agreement proves nothing.
    assert.ok(allowed > w.users.length / 10 && allowed < (w.users.length * 9) / 10, `allowed ${allowed}`);
    assert.equal(new Set(w.actions).size, INTEGRATION_ACTIONS.length);
  });

  test('timing runs the asked number of operations and the report prints every engine', () => {
    let calls = 0;
    const run = (start: number, end: number) => {
      calls += end - start;
      return end - start;
    };
    const timing = timeBatches(run, { operations: 1_000, batch: 100, warmup: 0, budgetMs: 10_000 });
    assert.equal(timing.operations, 1_000);
    assert.equal(calls, 1_000);
    const timings = interleave([{ name: 'a', run, operations: 400, batch: 100 }], 2);
    const t = timings.get('a')!;
    const text = formatReport([
      {
        name: 'tiny',
        entries: 1_500,
        shape: TINY,
        generateMs: 1,
        keyhouse: {
          buildMs: 1,
          buildCpuMs: 1,
          bytes: 1_500 * 50,
          allows: t,
          handles: t,
          explain: t,
          listing: { p50Ms: 0.1, p99Ms: 0.2 },
        },
        casl: { encoding: 'in', tried: ['in: 1/s'], buildMs: 1, timing: t, agreed: 10, compared: 10 },
        casbin: { buildMs: 1, timing: t, agreed: 10, compared: 10, links: 5 },
      },
    ]);
    for (const expected of ['Keyhouse `allows()`', 'CASL (in)', 'casbin', 'bytes per entry', '50.0'])
      assert.ok(text.includes(expected), expected);
  });
});
