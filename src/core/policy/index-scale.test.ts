/**
 * An index with more integrations, or more users, than `PACK_ABOVE` (so canonical UUID ids live
 * in the packed id table, and other ids beside them in the `Map`) decides like the reference
 * evaluator, after the bulk load and after changes: integrations added, replaced, moved and
 * deleted; users added, entries set and removed, memberships and roles changed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PolicyChange } from './changes.ts';
import { PACK_ABOVE } from './id-keys.ts';
import { PolicyIndex } from './policy-index.ts';
import { applyToData, referenceLevel } from './reference-evaluator.test-support.ts';
import {
  LEVELS,
  type PolicyData,
  type PolicyIntegration,
  type PolicyMember,
  type Role,
  type SubjectEntry,
} from './types.ts';

const NOW = 1_000_000;

/** A seeded PRNG (mulberry32), so a failure repeats. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = random(20261123);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
const hex = (digits: number): string =>
  Array.from({ length: digits }, () => '0123456789abcdef'[Math.floor(next() * 16)]).join('');
const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;

const FEW_USERS = Array.from({ length: 30 }, (_, k) => `u${k}`);
const GROUPS = ['g0', 'g1', 'g2', 'g3'];
const PROJECTS = ['p0', 'p1', 'p2'];

/** Mostly canonical UUIDs; every fifth upper-case (another id, in the `Map`), every ninth a name. */
function mixedId(k: number, name: string): string {
  if (k % 9 === 0) return `${name}-${k}`;
  return k % 5 === 0 ? uuid().toUpperCase() : uuid();
}

const manyUsers = (count: number): string[] => Array.from({ length: count }, (_, k) => mixedId(k, 'user'));

/** Up to `most` entries for distinct subjects (as validated input holds), one in ten expiring. */
function entries(ids: readonly string[], most: number): SubjectEntry[] {
  const chosen = new Set<string>();
  for (let k = Math.floor(next() * (most + 1)); k > 0; k--) chosen.add(pick(ids));
  return [...chosen].map((id) => {
    const level = pick(LEVELS);
    return next() < 0.1 ? { id, level, expiresAt: NOW + (next() < 0.5 ? -1 : 1) } : { id, level };
  });
}

function integration(id: string, users: readonly string[], workspaceId = 'w'): PolicyIntegration {
  return {
    id,
    workspaceId,
    name: id,
    scope: next() < 0.3 ? { type: 'WORKSPACE' } : { type: 'PROJECT', projectId: pick(PROJECTS) },
    permissions: {
      admins: { level: pick(['DELETE_ONLY', 'USE', 'MANAGE'] as const) },
      others: { level: pick(LEVELS) },
      users: entries(users, 3),
      groups: entries(GROUPS, 2),
    },
    allowedPipelines: 'ALL',
  };
}

const ROLES: readonly Role[] = ['member', 'collaborator', 'admin'];

function member(userId: string, workspaceId = 'w'): PolicyMember {
  const role = pick(ROLES);
  return next() < 0.5
    ? { userId, workspaceId, role }
    : { userId, workspaceId, role, projectRoles: { [pick(PROJECTS)]: pick(ROLES) } };
}

/** A workspace of `integrations` integrations whose members are `users` (all, or all but every tenth). */
function workspace(
  integrations: number,
  users: readonly string[],
  everyone = false,
  workspaceId = 'w',
): PolicyData {
  return {
    members: users.filter((_, k) => everyone || k % 10 !== 7).map((userId) => member(userId, workspaceId)),
    groups: GROUPS.map((id) => ({ id, workspaceId, userIds: users.filter(() => next() < 0.3) })),
    integrations: Array.from({ length: integrations }, (_, k) =>
      integration(mixedId(k, 'integration'), users, workspaceId),
    ),
    pipelines: [],
  };
}

/** Compares `count` random (user, integration) levels, unknown ids included. */
function compare(
  index: PolicyIndex,
  data: PolicyData,
  ids: readonly string[],
  users: readonly string[],
  count: number,
): void {
  const byId = new Map(data.integrations.map((i) => [i.id, i]));
  const members = Map.groupBy(data.members, (m) => m.userId);
  for (let k = 0; k < count; k++) {
    const userId = k % 40 === 0 ? uuid() : pick(users);
    const id = k % 50 === 0 ? uuid() : pick(ids);
    // The reference searches linearly: hand it the one integration and the user's memberships.
    const one = byId.get(id);
    const slice = {
      ...data,
      members: members.get(userId) ?? [],
      integrations: one === undefined ? [] : [one],
    };
    const expected = referenceLevel(slice, userId, id, NOW);
    assert.equal(index.level(userId, id, NOW), expected, `${userId} on ${id}`);
    // By handles, resolved apart (no id lookup just before the decision).
    const handles = [index.userRef(userId), index.integrationRef(id)] as const;
    index.userRef(pick(users));
    assert.equal(
      LEVELS[index.levelRankOf(handles[0], handles[1], NOW)],
      expected,
      `${userId} on ${id}, by handles`,
    );
  }
}

/** Random changes to integrations: deleted, replaced, added (new ids) and moved; group entries set and removed; `others` and `admins` set. */
function integrationChanges(ids: string[], users: readonly string[], count: number): PolicyChange[] {
  const changes: PolicyChange[] = [];
  for (let k = 0; k < count; k++) {
    const integrationId = pick(ids);
    const roll = next();
    if (roll < 0.15) changes.push({ type: 'integration.delete', integrationId });
    else if (roll < 0.3)
      changes.push({ type: 'integration.upsert', integration: integration(integrationId, users) });
    else if (roll < 0.5) {
      const fresh = k % 4 === 0 ? uuid().toUpperCase() : uuid();
      ids.push(fresh);
      changes.push({ type: 'integration.upsert', integration: integration(fresh, users) });
    } else if (roll < 0.65) {
      const scope =
        next() < 0.5
          ? { type: 'WORKSPACE' as const }
          : { type: 'PROJECT' as const, projectId: pick(PROJECTS) };
      changes.push({ type: 'integration.move', integrationId, scope });
    } else if (roll < 0.75) {
      const entry = { level: pick(LEVELS) };
      changes.push({ type: 'entry.set-group', integrationId, groupId: pick(GROUPS), entry });
    } else if (roll < 0.8) changes.push({ type: 'entry.remove-group', integrationId, groupId: pick(GROUPS) });
    else if (roll < 0.9) {
      const level = pick(LEVELS);
      const entry = next() < 0.3 ? { level, expiresAt: NOW + (next() < 0.5 ? -1 : 1) } : { level };
      changes.push({ type: 'others.set', integrationId, entry });
    } else {
      const level = pick(['DELETE_ONLY', 'USE', 'MANAGE'] as const);
      const entry = next() < 0.3 ? { level, expiresAt: NOW + (next() < 0.5 ? -1 : 1) } : { level };
      changes.push({ type: 'admins.set', integrationId, entry });
    }
  }
  return changes;
}

/**
 * Random changes to users (some new, of every id form): user entries set (some expiring) and
 * removed, members added or replaced and removed, group memberships added and removed.
 */
function userChanges(
  ids: readonly string[],
  users: string[],
  count: number,
  workspaces: readonly string[] = ['w'],
): PolicyChange[] {
  const changes: PolicyChange[] = [];
  for (let k = 0; k < count; k++) {
    const integrationId = pick(ids);
    const workspaceId = pick(workspaces);
    const roll = next();
    let userId = pick(users);
    if (roll < 0.15) {
      userId = mixedId(users.length, 'user');
      users.push(userId);
    }
    if (roll < 0.4) {
      const level = pick(LEVELS);
      const entry = next() < 0.2 ? { level, expiresAt: NOW + (next() < 0.5 ? -1 : 1) } : { level };
      changes.push({ type: 'entry.set-user', integrationId, userId, entry });
    } else if (roll < 0.5) changes.push({ type: 'entry.remove-user', integrationId, userId });
    else if (roll < 0.7) changes.push({ type: 'member.upsert', member: member(userId, workspaceId) });
    else if (roll < 0.75) changes.push({ type: 'member.remove', workspaceId, userId });
    else {
      const type = roll < 0.9 ? 'group.add-member' : 'group.remove-member';
      changes.push({ type, workspaceId, groupId: pick(GROUPS), userId });
    }
  }
  return changes;
}

/** Applies the changes to the index and to the plain data, comparing now and then. */
function applyAndCompare(
  index: PolicyIndex,
  start: PolicyData,
  changes: readonly PolicyChange[],
  ids: readonly string[],
  users: readonly string[],
): PolicyData {
  let data = start;
  for (const [k, change] of changes.entries()) {
    index.apply(change);
    data = applyToData(data, change);
    if (k % 100 === 99) compare(index, data, ids, users, 500);
  }
  compare(index, data, ids, users, 3_000);
  assert.equal(index.stats().integrations, data.integrations.length);
  return data;
}

describe(`an index of more than ${PACK_ABOVE} integrations (UUID ids in the packed table)`, () => {
  test('decides like the reference evaluator after the load and after changes', () => {
    const data = workspace(PACK_ABOVE + 3_000, FEW_USERS);
    const index = PolicyIndex.build(data);
    const ids = data.integrations.map((i) => i.id);
    compare(index, data, ids, FEW_USERS, 3_000);
    applyAndCompare(index, data, integrationChanges(ids, FEW_USERS, 600), ids, FEW_USERS);
  });

  test('decides alike when changes take it past the threshold', () => {
    const data = workspace(PACK_ABOVE - 100, FEW_USERS);
    const index = PolicyIndex.build(data);
    const ids = data.integrations.map((i) => i.id);
    compare(index, data, ids, FEW_USERS, 1_000);
    applyAndCompare(index, data, integrationChanges(ids, FEW_USERS, 1_000), ids, FEW_USERS);
    assert.ok(ids.length > PACK_ABOVE + 50, `the changes named ${ids.length} ids: not past the threshold`);
  });
});

describe(`an index of more than ${PACK_ABOVE} users (UUID ids in the packed table)`, () => {
  test('decides like the reference evaluator after the load and after changes', () => {
    const users = manyUsers(PACK_ABOVE + 2_000);
    const data = workspace(1_500, users);
    const index = PolicyIndex.build(data);
    const ids = data.integrations.map((i) => i.id);
    compare(index, data, ids, users, 3_000);
    applyAndCompare(index, data, userChanges(ids, users, 800), ids, users);
  });

  test('decides alike when changes take it past the threshold', () => {
    const users = manyUsers(PACK_ABOVE - 60);
    const data = workspace(800, users, true);
    const index = PolicyIndex.build(data);
    const interned = () => users.filter((userId) => index.userRef(userId) >= 0).length;
    assert.equal(interned(), PACK_ABOVE - 60);
    const ids = data.integrations.map((i) => i.id);
    compare(index, data, ids, users, 1_000);
    applyAndCompare(index, data, userChanges(ids, users, 1_000), ids, users);
    assert.ok(interned() > PACK_ABOVE + 50, `the index holds ${interned()} users: not past the threshold`);
  });

  test('decides like the reference evaluator for users who are members of several workspaces', () => {
    // A packed user's slot holds its newest member: loaded in an order that leaves the newest in
    // either workspace (and some users a member of one only), then memberships added by changes.
    const users = manyUsers(PACK_ABOVE + 1_000);
    const w = workspace(700, users, false, 'w');
    const v = workspace(700, users, false, 'v');
    const members = w.members.flatMap((m, k) => {
      const other = v.members[k];
      if (other === undefined || k % 11 === 3) return [m];
      return k % 2 === 0 ? [m, other] : [other, m];
    });
    const data: PolicyData = {
      members,
      groups: [...w.groups, ...v.groups],
      // Named (not UUID) integration ids repeat across the two: the second workspace's get its own.
      integrations: [
        ...w.integrations,
        ...v.integrations.map((i) => (i.id.startsWith('integration-') ? { ...i, id: `v-${i.id}` } : i)),
      ],
      pipelines: [],
    };
    const index = PolicyIndex.build(data);
    const ids = data.integrations.map((i) => i.id);
    compare(index, data, ids, users, 4_000);
    applyAndCompare(index, data, userChanges(ids, users, 1_000, ['w', 'v']), ids, users);
  });
});
