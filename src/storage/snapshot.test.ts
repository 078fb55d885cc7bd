/**
 * The policy snapshot reads every row of its tables in bulk, as the backend streams them, and
 * gathers them itself: it must hold exactly what the store's ordinary reads return, for any data,
 * in any row order, and inside a transaction see that transaction's own writes. On SQLite and on
 * PostgreSQL (skipped with its reason when unreachable).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { PolicyIndex } from '../core/policy/policy-index.ts';
import type { Level, PolicyIntegration, PolicyMember, Role, RoleSource } from '../core/policy/types.ts';
import { policyDataOf } from '../services/index-sync.ts';
import type { PolicyGroup, PolicySnapshot } from './snapshot.ts';
import { openStore, type Store, type StoreTransaction } from './store.ts';
import { allTargets, type TestLocation } from './test-support/test-targets.ts';

const LEVELS: readonly Level[] = ['DENY', 'DELETE_ONLY', 'USE', 'MANAGE'];
const ROLES: readonly Role[] = ['member', 'collaborator', 'admin'];

const byId = <T extends { readonly id: string }>(items: readonly T[]): T[] =>
  [...items].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));

/**
 * The users' sequence numbers a snapshot hands over must be one per user, and every row that
 * names a member must carry the member's (checked here, then left out of the comparison: the
 * store's ordinary reads do not show them).
 */
function checkSeqs(s: Omit<PolicySnapshot, 'revision'>): void {
  const seqOf = new Map<string, number>();
  const idOf = new Map<number, string>();
  for (const m of s.members) {
    assert.ok(Number.isInteger(m.userSeq) && m.userSeq! > 0, `member ${m.userId} has a number`);
    assert.equal(seqOf.get(m.userId) ?? m.userSeq, m.userSeq, 'one number per user');
    assert.equal(idOf.get(m.userSeq!) ?? m.userId, m.userId, 'one user per number');
    seqOf.set(m.userId, m.userSeq!);
    idOf.set(m.userSeq!, m.userId);
  }
  for (const i of s.integrations)
    for (const e of i.permissions.users)
      if (seqOf.has(e.id)) assert.equal(e.userSeq, seqOf.get(e.id), `entry of ${e.id} on ${i.id}`);
  for (const g of s.groups) {
    assert.equal(g.memberSeqs.length, g.memberIds.length);
    g.memberIds.forEach((id, k) => {
      if (seqOf.has(id)) assert.equal(g.memberSeqs[k], seqOf.get(id), `member ${id} of group ${g.id}`);
    });
  }
}

/** A snapshot's content in one order, with records as plain objects (the order carries no meaning). */
function canonical(s: Omit<PolicySnapshot, 'revision'>) {
  return {
    workspaceIds: [...s.workspaceIds].sort(),
    members: [...s.members]
      .map(({ userSeq: _, ...m }) => ({
        ...m,
        ...(m.projectRoles === undefined ? {} : { projectRoles: { ...m.projectRoles } }),
      }))
      .sort((x, y) => (`${x.workspaceId} ${x.userId}` < `${y.workspaceId} ${y.userId}` ? -1 : 1)),
    groups: byId(s.groups).map(({ memberSeqs: _, ...g }) => ({ ...g, memberIds: [...g.memberIds].sort() })),
    projects: byId(s.projects),
    pipelines: byId(s.pipelines),
    integrations: byId(s.integrations).map((i) => ({
      ...i,
      permissions: {
        ...i.permissions,
        users: byId(i.permissions.users.map(({ userSeq: _, ...e }) => e)),
        groups: byId(i.permissions.groups),
      },
      allowedPipelines: i.allowedPipelines === 'ALL' ? 'ALL' : byId(i.allowedPipelines),
    })),
  };
}

/** The same workspace through the store's ordinary, per-resource reads. */
async function throughOrdinaryReads(store: Store, workspaceId: string) {
  const roles = await store.listProjectRoles(workspaceId);
  const members: PolicyMember[] = (await store.listMemberships(workspaceId)).map((m) => {
    const own = roles.filter((r) => r.userId === m.userId);
    return {
      userId: m.userId,
      workspaceId,
      role: m.role,
      roleSource: m.roleSource,
      ...(own.length === 0
        ? {}
        : { projectRoles: Object.fromEntries(own.map((r) => [r.projectId, r.role])) }),
    };
  });
  const groups: PolicyGroup[] = [];
  for (const g of await store.listGroups(workspaceId))
    groups.push({
      id: g.id,
      workspaceId,
      name: g.name,
      memberIds: await store.listGroupMembers(workspaceId, g.id),
      memberSeqs: [],
    });
  const integrations: PolicyIntegration[] = (await store.listIntegrations(workspaceId)).map((i) => ({
    id: i.id,
    workspaceId,
    name: i.name,
    scope: i.scope,
    ...(i.createdBy === null ? {} : { createdBy: i.createdBy }),
    permissions: i.permissions,
    allowedPipelines: i.allowedPipelines,
  }));
  return {
    workspaceIds: [workspaceId],
    members,
    groups,
    projects: (await store.listProjects(workspaceId)).map((p) => ({ id: p.id, workspaceId, name: p.name })),
    pipelines: (await store.listPipelines(workspaceId)).map((p) => ({
      id: p.id,
      workspaceId,
      projectId: p.projectId,
      name: p.name,
    })),
    integrations,
  };
}

const expiry = fc.option(fc.integer({ min: 1, max: 2_000_000_000_000 }), { nil: undefined });
const withExpiry = <T extends object>(value: T, expiresAt: number | undefined) =>
  expiresAt === undefined ? value : { ...value, expiresAt };

/** A workspace's shape: indexes into its users, projects, groups and pipelines. */
const workspaceShape = fc.record({
  users: fc.integer({ min: 1, max: 8 }),
  projects: fc.integer({ min: 0, max: 3 }),
  pipelines: fc.integer({ min: 0, max: 4 }),
  roles: fc.array(fc.constantFrom(...ROLES), { minLength: 8, maxLength: 8 }),
  sources: fc.array(fc.constantFrom('manual', 'scm-a', 'scm-b'), { minLength: 8, maxLength: 8 }),
  projectRoles: fc.array(fc.tuple(fc.nat(7), fc.nat(2), fc.constantFrom(...ROLES)), { maxLength: 12 }),
  groups: fc.array(fc.uniqueArray(fc.nat(7), { maxLength: 6 }), { maxLength: 4 }),
  integrations: fc.array(
    fc.record({
      project: fc.option(fc.nat(2), { nil: undefined }),
      creator: fc.option(fc.nat(7), { nil: undefined }),
      admins: fc.option(fc.tuple(fc.constantFrom(...LEVELS.slice(1)), expiry), { nil: undefined }),
      others: fc.option(fc.tuple(fc.constantFrom(...LEVELS), expiry), { nil: undefined }),
      users: fc.uniqueArray(fc.tuple(fc.nat(7), fc.constantFrom(...LEVELS), expiry), {
        maxLength: 6,
        selector: ([u]) => u,
      }),
      groups: fc.uniqueArray(fc.tuple(fc.nat(3), fc.constantFrom(...LEVELS), expiry), {
        maxLength: 3,
        selector: ([g]) => g,
      }),
      pipelines: fc.option(
        fc.uniqueArray(fc.tuple(fc.nat(3), expiry), { maxLength: 3, selector: ([q]) => q }),
        {
          nil: undefined,
        },
      ),
    }),
    { maxLength: 6 },
  ),
});

type Shape = typeof workspaceShape extends fc.Arbitrary<infer T> ? T : never;

const roleSource = (kind: string, k: number): RoleSource =>
  kind === 'manual'
    ? { kind: 'manual' }
    : {
        kind: 'scm',
        host: 'github.com',
        scmRole: kind === 'scm-a' ? 'admin' : 'member',
        syncedAt: 1_000 + k,
      };

/** Writes the shape as a new workspace through the store's functions, in one transaction. */
async function writeShape(tx: StoreTransaction, shape: Shape, tag: string): Promise<string> {
  const w = (await tx.createWorkspace({ name: `snap-${tag}` })).id;
  const users: string[] = [];
  for (let u = 0; u < shape.users; u++) {
    const user = await tx.createUser({ login: `${tag}-u${u}` });
    users.push(user.id);
    await tx.setMembership({
      workspaceId: w,
      userId: user.id,
      role: shape.roles[u]!,
      roleSource: roleSource(shape.sources[u]!, u),
    });
  }
  const projects: string[] = [];
  for (let p = 0; p < shape.projects; p++)
    projects.push((await tx.createProject({ workspaceId: w, name: `p${p}` })).id);
  const pipelines: string[] = [];
  for (let q = 0; q < shape.pipelines && projects.length > 0; q++) {
    const projectId = projects[q % projects.length]!;
    pipelines.push((await tx.createPipeline({ workspaceId: w, projectId, name: `q${q}` })).id);
  }
  for (const [u, p, role] of shape.projectRoles) {
    if (u >= users.length || p >= projects.length) continue;
    await tx.setProjectRole({
      workspaceId: w,
      projectId: projects[p]!,
      userId: users[u]!,
      role,
      roleSource: { kind: 'manual' },
    });
  }
  const groups: string[] = [];
  for (const [g, memberIndexes] of shape.groups.entries()) {
    const group = await tx.createGroup({ workspaceId: w, name: `g${g}` });
    groups.push(group.id);
    await tx.setGroupMembers(
      w,
      group.id,
      memberIndexes.filter((u) => u < users.length).map((u) => users[u]!),
    );
  }
  for (const [k, i] of shape.integrations.entries()) {
    const project =
      i.project === undefined || i.project >= projects.length ? undefined : projects[i.project]!;
    const scopePipelines = pipelines.filter(
      (_, q) => project === undefined || projects[q % projects.length] === project,
    );
    await tx.createIntegration({
      workspaceId: w,
      scope: project === undefined ? { type: 'WORKSPACE' } : { type: 'PROJECT', projectId: project },
      provider: 'github',
      credentialType: 'classic-pat',
      name: `i${k}`,
      config: { host: 'github.com' },
      createdBy: i.creator === undefined || i.creator >= users.length ? null : users[i.creator]!,
      permissions: {
        admins:
          i.admins === undefined ? { level: 'MANAGE' } : withExpiry({ level: i.admins[0] }, i.admins[1]),
        others: i.others === undefined ? { level: 'USE' } : withExpiry({ level: i.others[0] }, i.others[1]),
        users: i.users
          .filter(([u]) => u < users.length)
          .map(([u, level, at]) => withExpiry({ id: users[u]!, level }, at)),
        groups: i.groups
          .filter(([g]) => g < groups.length)
          .map(([g, level, at]) => withExpiry({ id: groups[g]!, level }, at)),
      },
      allowedPipelines:
        i.pipelines === undefined
          ? 'ALL'
          : i.pipelines
              .filter(([q]) => q < scopePipelines.length)
              .map(([q, at]) => withExpiry({ id: scopePipelines[q]! }, at)),
    });
  }
  return w;
}

for (const target of await allTargets()) {
  describe(`policy snapshot (${target.kind})`, { skip: target.skipReason ?? false }, () => {
    let location: TestLocation;
    let store: Store;

    before(async () => {
      if (target.failReason !== undefined) throw new Error(target.failReason);
      location = await target.fresh();
      store = await openStore(location.config);
    });

    after(async () => {
      await store?.close();
      await location?.cleanup();
    });

    test('holds exactly what the ordinary reads return, for any workspace, and only that workspace', async () => {
      const written: string[] = [];
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(workspaceShape, async (shape) => {
          const w = await store.transaction((tx) => writeShape(tx, shape, `${runs++}`));
          written.push(w);
          const { revision: _, ...snapshot } = await store.loadPolicySnapshot({ workspaceId: w });
          checkSeqs(snapshot);
          assert.deepEqual(canonical(snapshot), canonical(await throughOrdinaryReads(store, w)));
        }),
        { numRuns: 25 },
      );
      // The whole store: every workspace written above, each exactly as read on its own.
      const all = await store.loadPolicySnapshot();
      checkSeqs(all);
      assert.deepEqual([...all.workspaceIds].sort(), [...written].sort());
      for (const w of written) {
        const own = {
          workspaceIds: [w],
          members: all.members.filter((m) => m.workspaceId === w),
          groups: all.groups.filter((g) => g.workspaceId === w),
          projects: all.projects.filter((p) => p.workspaceId === w),
          pipelines: all.pipelines.filter((p) => p.workspaceId === w),
          integrations: all.integrations.filter((i) => i.workspaceId === w),
        };
        assert.deepEqual(canonical(own), canonical(await throughOrdinaryReads(store, w)));
      }
    });

    test('rows naming users who are no members here keep their ids, and a number is never reused', async () => {
      const w = (await store.createWorkspace({ name: 'seq-outsiders' })).id;
      const other = (await store.createWorkspace({ name: 'seq-elsewhere' })).id;
      const member = await store.createUser({ login: 'seq-member' });
      const elsewhere = await store.createUser({ login: 'seq-elsewhere' });
      const outsider = await store.createUser({ login: 'seq-outsider' });
      const gone = await store.createUser({ login: 'seq-gone' });
      await store.setMembership({
        workspaceId: w,
        userId: member.id,
        role: 'member',
        roleSource: { kind: 'manual' },
      });
      await store.setMembership({
        workspaceId: other,
        userId: elsewhere.id,
        role: 'member',
        roleSource: { kind: 'manual' },
      });
      const group = await store.createGroup({ workspaceId: w, name: 'mixed' });
      await store.setGroupMembers(w, group.id, [member.id, elsewhere.id, outsider.id]);
      const users = [member, elsewhere, outsider, gone].map((u, k) => ({ id: u.id, level: LEVELS[k]! }));
      const integration = await store.createIntegration({
        workspaceId: w,
        scope: { type: 'WORKSPACE' },
        provider: 'github',
        credentialType: 'classic-pat',
        name: 'outsiders',
        config: {},
        permissions: { admins: { level: 'MANAGE' }, others: { level: 'USE' }, users, groups: [] },
        allowedPipelines: 'ALL',
      });
      // The last user made goes; the next one made must not get that user's number.
      assert.equal(await store.deleteUser(gone.id), true);
      const next = await store.createUser({ login: 'seq-next' });
      await store.setMembership({
        workspaceId: w,
        userId: next.id,
        role: 'member',
        roleSource: { kind: 'manual' },
      });
      for (const snapshot of [
        await store.loadPolicySnapshot({ workspaceId: w }),
        await store.loadPolicySnapshot(),
      ]) {
        checkSeqs(snapshot);
        const entries = snapshot.integrations.find((i) => i.id === integration.id)!.permissions.users;
        assert.deepEqual(byId(entries.map((e) => ({ id: e.id, level: e.level }))), byId(users));
        const seqs = entries.map((e) => e.userSeq);
        assert.ok(
          seqs.every((seq) => Number.isInteger(seq)),
          'each entry row has its number',
        );
        assert.equal(new Set(seqs).size, 4);
        const nextSeq = snapshot.members.find((m) => m.userId === next.id)!.userSeq;
        assert.ok(!seqs.includes(nextSeq), "the new user has none of the entries' numbers");
        const own = snapshot.groups.find((g) => g.id === group.id)!;
        assert.deepEqual([...own.memberIds].sort(), [member.id, elsewhere.id, outsider.id].sort());
        // And the index built from it gives the entry of the user who went to nobody else.
        const index = PolicyIndex.build(policyDataOf(snapshot));
        assert.equal(
          index.level(next.id, integration.id, 0),
          'USE',
          'others, not the entry of the user who went',
        );
        assert.equal(index.level(member.id, integration.id, 0), 'DENY');
      }
    });

    test("an integration's entries are gathered whatever order their rows come in", async () => {
      const shape = fc.sample(workspaceShape, { numRuns: 1, seed: 7 })[0]!;
      const w = await store.transaction((tx) =>
        writeShape(tx, { ...shape, integrations: [] }, 'interleaved'),
      );
      const user = (await store.listMemberships(w))[0]!.userId;
      const create = (name: string) =>
        store.createIntegration({
          workspaceId: w,
          scope: { type: 'WORKSPACE' },
          provider: 'github',
          credentialType: 'classic-pat',
          name,
          config: {},
          permissions: { admins: { level: 'MANAGE' }, others: { level: 'USE' }, users: [], groups: [] },
          allowedPipelines: [],
        });
      const first = await create('first');
      const second = await create('second');
      // Rows stored first, second, first, second, first: never adjacent per integration.
      const rows = [
        [first.id, 'others', '', 'DENY'],
        [second.id, 'user', user, 'MANAGE'],
        [first.id, 'user', user, 'DELETE_ONLY'],
        [second.id, 'others', '', 'DELETE_ONLY'],
        [first.id, 'admins', '', 'USE'],
      ] as const;
      await store.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('integration_entries').where('workspace_id', '=', w).execute();
        for (const [integration_id, subject_type, subject_id, level] of rows)
          await trx
            .insertInto('integration_entries')
            .values({ workspace_id: w, integration_id, subject_type, subject_id, level, expires_at: null })
            .execute();
      });
      const snapshot = await store.loadPolicySnapshot({ workspaceId: w });
      const permissionsOf = (id: string) => snapshot.integrations.find((i) => i.id === id)?.permissions;
      assert.deepEqual(permissionsOf(first.id), {
        admins: { level: 'USE' },
        others: { level: 'DENY' },
        users: [{ id: user, level: 'DELETE_ONLY' }],
        groups: [],
      });
      assert.deepEqual(permissionsOf(second.id), {
        admins: { level: 'MANAGE' },
        others: { level: 'DELETE_ONLY' },
        users: [{ id: user, level: 'MANAGE' }],
        groups: [],
      });
      const { revision: _, ...read } = snapshot;
      assert.deepEqual(canonical(read), canonical(await throughOrdinaryReads(store, w)));
    });

    test("inside a transaction it sees that transaction's writes, and nothing of them after a rollback", async () => {
      const shape = fc.sample(workspaceShape, { numRuns: 1, seed: 11 })[0]!;
      let inside: PolicySnapshot | undefined;
      let w = '';
      await assert.rejects(
        store.transaction(async (tx) => {
          w = await writeShape(tx, shape, 'rolled-back');
          inside = await tx.loadPolicySnapshot({ workspaceId: w });
          throw new Error('roll back');
        }),
        /roll back/,
      );
      assert.deepEqual(inside?.workspaceIds, [w]);
      assert.equal(inside?.members.length, shape.users);
      assert.equal(inside?.integrations.length, shape.integrations.length);
      const after = await store.loadPolicySnapshot({ workspaceId: w });
      assert.deepEqual(
        { workspaces: after.workspaceIds, members: after.members, integrations: after.integrations },
        { workspaces: [], members: [], integrations: [] },
      );
    });
  });
}
