/**
 * The policy snapshot reads every row of its tables in bulk, as the backend streams them, and
 * gathers them itself: it must hold exactly what the store's ordinary reads return, for any data,
 * in any row order, and inside a transaction see that transaction's own writes. On SQLite and on
 * PostgreSQL (skipped with its reason when unreachable).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { Level, PolicyIntegration, PolicyMember, Role, RoleSource } from '../core/policy/types.ts';
import type { PolicyGroup, PolicySnapshot } from './snapshot.ts';
import { openStore, type Store, type StoreTransaction } from './store.ts';
import { allTargets, type TestLocation } from './test-support/test-targets.ts';

const LEVELS: readonly Level[] = ['DENY', 'DELETE_ONLY', 'USE', 'MANAGE'];
const ROLES: readonly Role[] = ['member', 'collaborator', 'admin'];

const byId = <T extends { readonly id: string }>(items: readonly T[]): T[] =>
  [...items].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));

/** A snapshot's content in one order, with records as plain objects (the order carries no meaning). */
function canonical(s: Omit<PolicySnapshot, 'revision'>) {
  return {
    workspaceIds: [...s.workspaceIds].sort(),
    members: [...s.members]
      .map((m) => ({
        ...m,
        ...(m.projectRoles === undefined ? {} : { projectRoles: { ...m.projectRoles } }),
      }))
      .sort((x, y) => (`${x.workspaceId} ${x.userId}` < `${y.workspaceId} ${y.userId}` ? -1 : 1)),
    groups: byId(s.groups).map((g) => ({ ...g, memberIds: [...g.memberIds].sort() })),
    projects: byId(s.projects),
    pipelines: byId(s.pipelines),
    integrations: byId(s.integrations).map((i) => ({
      ...i,
      permissions: { ...i.permissions, users: byId(i.permissions.users), groups: byId(i.permissions.groups) },
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
          assert.deepEqual(canonical(snapshot), canonical(await throughOrdinaryReads(store, w)));
        }),
        { numRuns: 25 },
      );
      // The whole store: every workspace written above, each exactly as read on its own.
      const all = await store.loadPolicySnapshot();
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
