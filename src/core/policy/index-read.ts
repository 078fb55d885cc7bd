/**
 * Reading the policy index: the allocation-free level, the facts for an explained decision,
 * listing from the inverted lists, and the pipeline rule. Internal to {@link PolicyIndex}.
 */
import { entryOf, groupBit, HAS_EXPIRY, type IndexStore } from './index-store.ts';
import type { PipelineRule } from './pipelines.ts';
import type { ResolutionFacts } from './resolve.ts';
import type { Entry, IntegrationScope } from './types.ts';
import { ROLES } from './types.ts';

const ADMIN = 2;
const MEMBER = 0;
const USE = 2;

/** Level rank of an admins/others cell, honouring its expiry (expired others → DENY, admins → DELETE_ONLY). */
function cell(value: number, expiresAt: number, now: number, expiredRank: number): number {
  return (value & HAS_EXPIRY) !== 0 && now >= expiresAt ? expiredRank : value & 3;
}

/** The `others` rank of integration `i` at `now`. */
export function othersRank(s: IndexStore, i: number, now: number): number {
  return cell(s.others[i]!, s.othersExpiry[i]!, now, 0);
}

/**
 * The effective level rank of user `u` on integration `i` at `now`, without reasons and without
 * allocating: the fast path. Mirrors `resolveFacts` exactly (a test keeps them in step).
 */
export function fastLevel(s: IndexStore, u: number, i: number, now: number): number {
  const w = s.integrationWorkspace[i]!;
  if (w < 0) return 0;
  const m = s.memberOf(u, w);
  if (m < 0) return 0;
  const workspaceRole = s.memberRole[m]!;
  if (workspaceRole < 0) return 0;
  let role = workspaceRole;
  let othersApply = true;
  const p = s.integrationProject[i]!;
  if (p >= 0) {
    const projectRole = s.projectRoleOf(m, p);
    if (workspaceRole === ADMIN) othersApply = projectRole >= 0;
    else if (projectRole < 0) return 0;
    else role = projectRole;
  }
  let level = -1;
  const own = s.userTable.get(i, m);
  if (own >= 0 && ((own & HAS_EXPIRY) === 0 || now < s.userEntryExpiry(i, m))) level = own & 3;
  else {
    const groups = s.memberGroups[m];
    const mask = s.groupMask[i]!;
    if (groups !== undefined && mask !== 0) {
      for (let k = 0; k < groups.length; k++) {
        const g = groups[k]!;
        if ((mask & groupBit(g)) === 0) continue;
        const value = s.groupTable.get(i, g);
        if (value < 0 || (value & 3) <= level) continue;
        if ((value & HAS_EXPIRY) === 0 || now < s.groupEntryExpiry(i, g)) level = value & 3;
      }
    }
    if (level < 0) level = othersApply ? othersRank(s, i, now) : 0;
  }
  if (role === ADMIN || workspaceRole === ADMIN) {
    const floor = Math.max(1, cell(s.admins[i]!, s.adminsExpiry[i]!, now, 1));
    if (floor > level) level = floor;
  }
  if (role === MEMBER && level > USE) level = USE;
  return level;
}

/** The scope of integration `i` as a value. */
export function scopeOf(s: IndexStore, i: number): IntegrationScope {
  const p = s.integrationProject[i]!;
  return p < 0 ? { type: 'WORKSPACE' } : { type: 'PROJECT', projectId: s.projectIds[p]! };
}

/** The facts of (user `u`, integration `i`) for `resolveFacts`: the explain path (allocates). */
export function factsFromStore(s: IndexStore, u: number, i: number): ResolutionFacts {
  const w = s.integrationWorkspace[i]!;
  const m = u < 0 ? -1 : s.memberOf(u, w);
  const role = m < 0 ? -1 : s.memberRole[m]!;
  const p = s.integrationProject[i]!;
  const projectRank = p >= 0 && role >= 0 ? s.projectRoleOf(m, p) : -1;
  const projectRole = projectRank < 0 ? undefined : projectRank;
  const source = m < 0 ? undefined : s.memberRoleSource[m];
  const member =
    role < 0
      ? undefined
      : {
          role: ROLES[role]!,
          ...(source === undefined ? {} : { roleSource: source }),
          ...(projectRole === undefined ? {} : { projectRole: ROLES[projectRole]! }),
        };
  const own = m < 0 ? -1 : s.userTable.get(i, m);
  const groupEntries: { groupId: string; entry: Entry }[] = [];
  for (const g of (m < 0 ? undefined : s.memberGroups[m]) ?? []) {
    const value = s.groupTable.get(i, g);
    if (value >= 0)
      groupEntries.push({ groupId: s.groupIds[g]!, entry: entryOf(value, s.groupEntryExpiry(i, g)) });
  }
  return {
    workspaceId: s.workspaceIds[w]!,
    scope: scopeOf(s, i),
    member,
    userEntry: own < 0 ? undefined : entryOf(own, s.userEntryExpiry(i, m)),
    groupEntries,
    admins: entryOf(s.admins[i]!, s.adminsExpiry[i]!),
    others: entryOf(s.others[i]!, s.othersExpiry[i]!),
  };
}

/** Marks in `scratch` the level the user's own and group entries give (user entries win). */
function markEntries(s: IndexStore, m: number, now: number): void {
  const scratch = s.scratch;
  for (const i of s.memberEntries[m] ?? []) {
    const value = s.userTable.get(i, m);
    if ((value & HAS_EXPIRY) === 0 || now < s.userEntryExpiry(i, m)) scratch[i] = 8 | (value & 3);
  }
  for (const g of s.memberGroups[m] ?? []) {
    for (const i of s.groupEntries[g] ?? []) {
      const mark = scratch[i]!;
      if (mark >= 8) continue;
      const value = s.groupTable.get(i, g);
      if ((value & 3) <= mark) continue;
      if ((value & HAS_EXPIRY) === 0 || now < s.groupEntryExpiry(i, g)) scratch[i] = value & 3;
    }
  }
}

function clearMarks(s: IndexStore, m: number): void {
  for (const i of s.memberEntries[m] ?? []) s.scratch[i] = -1;
  for (const g of s.memberGroups[m] ?? []) for (const i of s.groupEntries[g] ?? []) s.scratch[i] = -1;
}

function scan(
  s: IndexStore,
  bucket: readonly number[],
  everything: boolean,
  now: number,
  out: string[],
): void {
  const scratch = s.scratch;
  for (let k = 0; k < bucket.length; k++) {
    const i = bucket[k]!;
    if (everything) {
      out.push(s.integrationIds[i]!);
      continue;
    }
    const mark = scratch[i]!;
    const level = mark >= 0 ? mark & 3 : othersRank(s, i, now);
    if (level > 0) out.push(s.integrationIds[i]!);
  }
}

/**
 * The ids of the integrations member `m` of workspace `w` sees (level above DENY), from the
 * scope buckets and the inverted entry lists; `p` ≥ 0 limits to WORKSPACE scope plus project `p`, -2 to WORKSPACE scope.
 */
export function listFromStore(s: IndexStore, m: number, w: number, now: number, p: number): string[] {
  const out: string[] = [];
  const role = s.memberRole[m]!;
  if (role < 0) return out;
  const admin = role === ADMIN;
  markEntries(s, m, now);
  try {
    scan(s, s.workspaceBucket[w]!, admin, now, out);
    if (admin) {
      for (const project of s.workspaceProjects[w]!) {
        if (p === -1 || project === p) scan(s, s.projectBucket[project]!, true, now, out);
      }
    } else {
      const roles = s.memberProjects[m] ?? [];
      for (let k = 0; k < roles.length; k += 2) {
        const project = roles[k]!;
        if (p === -1 || project === p) scan(s, s.projectBucket[project]!, roles[k + 1] === ADMIN, now, out);
      }
    }
  } finally {
    clearMarks(s, m);
  }
  return out;
}

/** The pipeline rule for pipeline `q` and integration `i` (both interned; either may be gone). */
export function pipelineRuleFromStore(s: IndexStore, q: number, i: number, now: number): PipelineRule {
  const w = i < 0 ? -1 : s.integrationWorkspace[i]!;
  if (w < 0 || q < 0 || s.pipelineWorkspace[q] !== w) return 'other-workspace';
  const p = s.integrationProject[i]!;
  if (p >= 0 && s.pipelineProject[q] !== p) return 'other-project';
  const allowed = s.allowed[i];
  if (allowed === null || allowed === undefined) return 'all';
  const expiresAt = allowed.get(q);
  if (expiresAt === undefined) return 'not-listed';
  return now < expiresAt ? 'listed' : 'expired';
}
