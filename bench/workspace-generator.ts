/**
 * A deterministic synthetic workspace for the decision benchmark: users in groups and projects,
 * integrations in projects (or workspace-wide), user and group entries with some `DENY`, and a
 * workload of (user, integration, action) checks. The same facts feed Keyhouse, CASL and casbin.
 */
import type { PolicyData, PolicyIntegration, PolicyMember, SubjectEntry } from '../src/core/policy/index.ts';
import { INTEGRATION_ACTIONS, LEVELS, ROLES } from '../src/core/policy/index.ts';

/** The size and mix of a synthetic workspace. */
export interface WorkspaceShape {
  readonly users: number;
  readonly groups: number;
  readonly groupsPerUser: number;
  readonly integrations: number;
  readonly projects: number;
  readonly projectsPerUser: number;
  readonly userEntries: number;
  readonly groupEntries: number;
  readonly seed: number;
}

/** A workspace small enough for a benchmark's own test to store through the store's functions. */
export const STORED_TEST_SHAPE: WorkspaceShape = {
  users: 60,
  groups: 6,
  groupsPerUser: 2,
  integrations: 40,
  projects: 4,
  projectsPerUser: 2,
  userEntries: 200,
  groupEntries: 40,
  seed: 5,
};

/** The workspace: 10,000 users, 1,000 groups, 5,000 integrations in 200 projects, 50,000 entries. */
export const SMALL_SHAPE: WorkspaceShape = {
  users: 10_000,
  groups: 1_000,
  groupsPerUser: 3,
  integrations: 5_000,
  projects: 200,
  projectsPerUser: 3,
  userEntries: 40_000,
  groupEntries: 10_000,
  seed: 42,
};

/** The 1,000,000-entry variant: 100,000 users, 10,000 groups, 100,000 integrations in 2,000 projects. */
export const LARGE_SHAPE: WorkspaceShape = {
  users: 100_000,
  groups: 10_000,
  groupsPerUser: 3,
  integrations: 100_000,
  projects: 2_000,
  projectsPerUser: 3,
  userEntries: 800_000,
  groupEntries: 200_000,
  seed: 4242,
};

/** The generated workspace: Keyhouse's plain data plus the same facts in compact form for the other engines. */
export interface Workspace {
  readonly shape: WorkspaceShape;
  readonly workspaceId: string;
  readonly data: PolicyData;
  readonly userIds: readonly string[];
  readonly groupIds: readonly string[];
  readonly projectIds: readonly string[];
  readonly integrationIds: readonly string[];
  /** Role rank per user (0 member, 1 collaborator, 2 admin); the project role equals it. */
  readonly userRole: Int8Array;
  readonly userProjects: readonly (readonly number[])[];
  readonly userGroups: readonly (readonly number[])[];
  /** Project per integration, -1 for WORKSPACE scope. */
  readonly integrationProject: Int32Array;
  /** `others` level rank per integration (`admins` is always MANAGE). */
  readonly integrationOthers: Int8Array;
  /** Per user and per group: `[integration, level rank, integration, level rank, …]`. */
  readonly userEntries: readonly (readonly number[])[];
  readonly groupEntries: readonly (readonly number[])[];
}

/** A seeded PRNG (mulberry32): the same seed gives the same workspace on every machine. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (random: () => number, n: number): number => Math.floor(random() * n);

/** A level rank drawn from cumulative weights over DENY, DELETE_ONLY, USE, MANAGE. */
function drawLevel(random: () => number, cumulative: readonly number[]): number {
  const x = random();
  let rank = 0;
  while (rank < 3 && x >= cumulative[rank]!) rank++;
  return rank;
}

const USER_LEVELS = [0.1, 0.2, 0.65, 1];
const GROUP_LEVELS = [0.15, 0.25, 0.75, 1];
const OTHERS_LEVELS = [0.15, 0.2, 0.95, 1];

/** `count` distinct values below `n`. */
function distinct(random: () => number, n: number, count: number): number[] {
  const out = new Set<number>();
  while (out.size < Math.min(count, n)) out.add(pick(random, n));
  return [...out];
}

function addEntries(
  random: () => number,
  lists: number[][],
  total: number,
  levels: readonly number[],
  chooseIntegration: (owner: number) => number,
): void {
  const seen = new Set<number>();
  const owners = lists.length;
  for (let made = 0, tries = 0; made < total && tries < total * 4; tries++) {
    const owner = made % owners;
    const i = chooseIntegration(owner);
    const key = owner * 4_194_304 + i;
    if (seen.has(key)) continue;
    seen.add(key);
    lists[owner]!.push(i, drawLevel(random, levels));
    made++;
  }
}

const HEX = '0123456789abcdef';

/**
 * A UUID-shaped id (version 4 layout) from the PRNG, as the database hands ids to the service: a
 * flat string (built by `join`; a template literal of 13 or more characters is a V8 cons string,
 * which no id read from a database or a request is).
 */
export function uuidOf(random: () => number): string {
  const digits: string[] = [];
  for (let k = 0; k < 32; k++) {
    if (k === 8 || k === 12 || k === 16 || k === 20) digits.push('-');
    digits.push(
      k === 12 ? '4' : k === 16 ? HEX[8 + Math.floor(random() * 4)]! : HEX[Math.floor(random() * 16)]!,
    );
  }
  return digits.join('');
}

/** Generates the workspace of `shape` (deterministic in `shape.seed`). */
export function generateWorkspace(shape: WorkspaceShape): Workspace {
  const random = createRandom(shape.seed);
  const ids = createRandom(shape.seed ^ 0x5eed);
  const userIds = Array.from({ length: shape.users }, () => uuidOf(ids));
  const groupIds = Array.from({ length: shape.groups }, (_, k) => `group-${k}`);
  const projectIds = Array.from({ length: shape.projects }, (_, k) => `project-${k}`);
  const integrationIds = Array.from({ length: shape.integrations }, () => uuidOf(ids));
  const userRole = new Int8Array(shape.users);
  for (let u = 0; u < shape.users; u++) {
    const x = random();
    userRole[u] = x < 0.01 ? 2 : x < 0.15 ? 1 : 0;
  }
  const userProjects = userIds.map((_, u) =>
    userRole[u] === 2 ? [] : distinct(random, shape.projects, shape.projectsPerUser),
  );
  const userGroups = userIds.map(() => distinct(random, shape.groups, shape.groupsPerUser));
  const integrationProject = new Int32Array(shape.integrations);
  const integrationOthers = new Int8Array(shape.integrations);
  const byProject: number[][] = projectIds.map(() => []);
  const workspaceWide: number[] = [];
  for (let i = 0; i < shape.integrations; i++) {
    const p = random() < 0.2 ? -1 : pick(random, shape.projects);
    integrationProject[i] = p;
    (p < 0 ? workspaceWide : byProject[p]!).push(i);
    integrationOthers[i] = drawLevel(random, OTHERS_LEVELS);
  }
  // Mostly entries on integrations the user can reach; one in five anywhere (scope then decides).
  const reachable = (u: number): number => {
    const projects = userProjects[u]!;
    if (random() < 0.2 || projects.length === 0) return pick(random, shape.integrations);
    const bucket = random() < 0.3 ? workspaceWide : byProject[projects[pick(random, projects.length)]!]!;
    return bucket.length === 0 ? pick(random, shape.integrations) : bucket[pick(random, bucket.length)]!;
  };
  const userEntries: number[][] = userIds.map(() => []);
  const groupEntries: number[][] = groupIds.map(() => []);
  addEntries(random, userEntries, shape.userEntries, USER_LEVELS, reachable);
  addEntries(random, groupEntries, shape.groupEntries, GROUP_LEVELS, () => pick(random, shape.integrations));
  const facts = {
    shape,
    workspaceId: 'workspace-1',
    userIds,
    groupIds,
    projectIds,
    integrationIds,
    userRole,
    userProjects,
    userGroups,
    integrationProject,
    integrationOthers,
    userEntries,
    groupEntries,
  };
  return { ...facts, data: policyDataOf(facts) };
}

function membersOf(ws: Omit<Workspace, 'data'>): PolicyMember[] {
  return ws.userIds.map((userId, u) => {
    const role = ROLES[ws.userRole[u]!]!;
    const projects = ws.userProjects[u]!;
    const projectRoles = Object.fromEntries(projects.map((p) => [ws.projectIds[p]!, role]));
    return projects.length === 0
      ? { userId, workspaceId: ws.workspaceId, role }
      : { userId, workspaceId: ws.workspaceId, role, projectRoles };
  });
}

function integrationsOf(ws: Omit<Workspace, 'data'>): PolicyIntegration[] {
  const users: SubjectEntry[][] = ws.integrationIds.map(() => []);
  const groups: SubjectEntry[][] = ws.integrationIds.map(() => []);
  const spread = (lists: readonly (readonly number[])[], ids: readonly string[], into: SubjectEntry[][]) => {
    lists.forEach((list, owner) => {
      for (let k = 0; k < list.length; k += 2)
        into[list[k]!]!.push({ id: ids[owner]!, level: LEVELS[list[k + 1]!]! });
    });
  };
  spread(ws.userEntries, ws.userIds, users);
  spread(ws.groupEntries, ws.groupIds, groups);
  return ws.integrationIds.map((id, i) => {
    const p = ws.integrationProject[i]!;
    return {
      id,
      workspaceId: ws.workspaceId,
      name: id,
      scope: p < 0 ? { type: 'WORKSPACE' } : { type: 'PROJECT', projectId: ws.projectIds[p]! },
      permissions: {
        admins: { level: 'MANAGE' },
        others: { level: LEVELS[ws.integrationOthers[i]!]! },
        users: users[i]!,
        groups: groups[i]!,
      },
      allowedPipelines: 'ALL',
    };
  });
}

function policyDataOf(ws: Omit<Workspace, 'data'>): PolicyData {
  const memberIds: string[][] = ws.groupIds.map(() => []);
  ws.userGroups.forEach((groups, u) => {
    for (const g of groups) memberIds[g]!.push(ws.userIds[u]!);
  });
  return {
    members: membersOf(ws),
    groups: ws.groupIds.map((id, g) => ({ id, workspaceId: ws.workspaceId, userIds: memberIds[g]! })),
    integrations: integrationsOf(ws),
    pipelines: [],
  };
}

/** A workload of checks: user, integration and action indexes (into the workspace and `INTEGRATION_ACTIONS`). */
export interface Workload {
  readonly user: Int32Array;
  readonly integration: Int32Array;
  readonly action: Int8Array;
}

/**
 * `size` checks by users drawn from the first `users` users: a third on the user's own entries, a
 * third on entries of the user's groups, a third on any integration (others, scope, admin floor).
 */
export function sampleWorkload(ws: Workspace, size: number, users: number, seed: number): Workload {
  const random = createRandom(seed);
  const out = { user: new Int32Array(size), integration: new Int32Array(size), action: new Int8Array(size) };
  const pool = Math.min(users, ws.userIds.length);
  for (let k = 0; k < size; k++) {
    const u = pick(random, pool);
    const kind = k % 3;
    const own = ws.userEntries[u]!;
    const group = ws.groupEntries[ws.userGroups[u]![pick(random, ws.userGroups[u]!.length)]!]!;
    const list = kind === 0 ? own : kind === 1 ? group : [];
    out.user[k] = u;
    out.integration[k] =
      list.length === 0 ? pick(random, ws.integrationIds.length) : list[2 * pick(random, list.length / 2)]!;
    out.action[k] = pick(random, INTEGRATION_ACTIONS.length);
  }
  return out;
}
