/**
 * Reading the policy index: the allocation-free level, the facts for an explained decision,
 * listing from the inverted lists, and the pipeline rule. Internal to {@link PolicyIndex}.
 */
import {
  entryValueIn,
  groupEntryExpiry,
  groupEntryValue,
  userEntryExpiry,
  userEntryValue,
} from './index-entries.ts';
import {
  AT_CELLS,
  AT_MASK,
  AT_PROJECT,
  AT_WORKSPACE,
  entryOf,
  groupBit,
  HAS_EXPIRY,
  RECORD,
} from './index-layout.ts';
import type { IndexStore } from './index-store.ts';
import type { PipelineRule } from './pipelines.ts';
import type { ResolutionFacts } from './resolve.ts';
import type { Entry, IntegrationScope } from './types.ts';
import { ROLES } from './types.ts';

const ADMIN = 2;
const MEMBER = 0;
const USE = 2;

/** The `others` rank of integration `i` at `now` (expired → DENY). */
export function othersRank(s: IndexStore, i: number, now: number): number {
  return othersIn(s, s.records[i * RECORD + AT_CELLS]!, i, now);
}

/** {@link othersRank} from the integration's cells. */
function othersIn(s: IndexStore, cells: number, i: number, now: number): number {
  const value = (cells >> 3) & 7;
  return (value & HAS_EXPIRY) !== 0 && now >= s.othersExpiry(i) ? 0 : value & 3;
}

/** The admin floor of integration `i` at `now`: its `admins` rank, never below DELETE_ONLY. */
function adminFloor(s: IndexStore, cells: number, i: number, now: number): number {
  const value = cells & 7;
  if ((value & HAS_EXPIRY) !== 0 && now >= s.adminsExpiry(i)) return 1;
  return Math.max(1, value & 3);
}

/** The highest live level the groups of member `m` give on integration `i` (with group mask `mask`), or `level`. */
function groupLevel(s: IndexStore, m: number, i: number, mask: number, now: number, level: number): number {
  const pool = s.memberGroups;
  const items = pool.items;
  const from = pool.start[m]!;
  const to = pool.end(m);
  for (let k = from; k < to; k++) {
    const g = items[k]!;
    if ((mask & groupBit(g)) === 0) continue;
    const value = entryValueIn(s.groupEntries, g, i);
    if (value < 0 || (value & 3) <= level) continue;
    if ((value & HAS_EXPIRY) === 0 || now < groupEntryExpiry(s, i, g)) level = value & 3;
  }
  return level;
}

/**
 * The effective level rank of user `u` on integration `i` at `now`, without reasons and without
 * allocating: the fast path. Mirrors `resolveFacts` exactly (a test keeps them in step).
 */
export function fastLevel(s: IndexStore, u: number, i: number, now: number): number {
  const records = s.records;
  const at = i * RECORD;
  return levelIn(
    s,
    u,
    i,
    records[at + AT_WORKSPACE]!,
    records[at + AT_PROJECT]!,
    records[at + AT_MASK]!,
    records[at + AT_CELLS]!,
    now,
  );
}

/**
 * {@link fastLevel} with integration `i`'s workspace `w`, project `p` and group mask `mask` already
 * read (from its record, or from the payload of its id's slot in the packed id table).
 */
export function levelIn(
  s: IndexStore,
  u: number,
  i: number,
  w: number,
  p: number,
  mask: number,
  cells: number,
  now: number,
): number {
  if (w < 0) return 0;
  // From the user id's slot when its lookup has just found it in the packed table.
  const m = s.memberFound(u, w);
  if (m < 0) return 0;
  const workspaceRole = s.memberRole[m]!;
  if (workspaceRole < 0) return 0;
  let role = workspaceRole;
  let othersApply = true;
  if (p >= 0) {
    const projectRole = s.projectRoleOf(m, p);
    if (workspaceRole === ADMIN) othersApply = projectRole >= 0;
    else if (projectRole < 0) return 0;
    else role = projectRole;
  }
  let level = -1;
  const own = entryValueIn(s.memberEntries, m, i);
  if (own >= 0 && ((own & HAS_EXPIRY) === 0 || now < userEntryExpiry(s, i, m))) level = own & 3;
  else {
    if (mask !== 0) level = groupLevel(s, m, i, mask, now, level);
    if (level < 0) level = othersApply ? othersIn(s, cells, i, now) : 0;
  }
  if (role === ADMIN || workspaceRole === ADMIN) {
    const floor = adminFloor(s, cells, i, now);
    if (floor > level) level = floor;
  }
  if (role === MEMBER && level > USE) level = USE;
  return level;
}

/** The scope of integration `i` as a value. */
export function scopeOf(s: IndexStore, i: number): IntegrationScope {
  const p = s.projectOf(i);
  return p < 0 ? { type: 'WORKSPACE' } : { type: 'PROJECT', projectId: s.projectIds[p]! };
}

/** The facts of (user `u`, integration `i`) for `resolveFacts`: the explain path (allocates). */
export function factsFromStore(s: IndexStore, u: number, i: number): ResolutionFacts {
  const w = s.workspaceOf(i);
  const m = u < 0 ? -1 : s.memberOf(u, w);
  const role = m < 0 ? -1 : s.memberRole[m]!;
  const p = s.projectOf(i);
  const projectRank = p >= 0 && role >= 0 ? s.projectRoleOf(m, p) : -1;
  const projectRole = projectRank < 0 ? undefined : projectRank;
  const source = m < 0 ? undefined : s.memberRoleSource.get(m);
  const member =
    role < 0
      ? undefined
      : {
          role: ROLES[role]!,
          ...(source === undefined ? {} : { roleSource: source }),
          ...(projectRole === undefined ? {} : { projectRole: ROLES[projectRole]! }),
        };
  const own = m < 0 ? -1 : userEntryValue(s, i, m);
  const groupEntries: { groupId: string; entry: Entry }[] = [];
  for (let k = 0; m >= 0 && k < s.memberGroups.size(m); k++) {
    const g = s.memberGroups.at(m, k);
    const value = groupEntryValue(s, i, g);
    if (value >= 0)
      groupEntries.push({ groupId: s.groupIds[g]!, entry: entryOf(value, groupEntryExpiry(s, i, g)) });
  }
  return {
    workspaceId: s.workspaceIds[w]!,
    scope: scopeOf(s, i),
    member,
    userEntry: own < 0 ? undefined : entryOf(own, userEntryExpiry(s, i, m)),
    groupEntries,
    admins: entryOf(s.adminsValue(i), s.adminsExpiry(i)),
    others: entryOf(s.othersValue(i), s.othersExpiry(i)),
  };
}

/** Marks in `scratch` the level the user's own and group entries give (user entries win). */
function markEntries(s: IndexStore, m: number, now: number): void {
  const scratch = s.scratch;
  const entries = s.memberEntries;
  for (let k = 0; k < entries.size(m); k++) {
    const item = entries.at(m, k);
    const i = item >> 3;
    if ((item & HAS_EXPIRY) === 0 || now < userEntryExpiry(s, i, m)) scratch[i] = 8 | (item & 3);
  }
  const groups = s.memberGroups;
  const groupEntries = s.groupEntries;
  for (let k = 0; k < groups.size(m); k++) {
    const g = groups.at(m, k);
    for (let j = 0; j < groupEntries.size(g); j++) {
      const value = groupEntries.at(g, j);
      const i = value >> 3;
      const mark = scratch[i]!;
      if (mark >= 8) continue;
      if ((value & 3) <= mark) continue;
      if ((value & HAS_EXPIRY) === 0 || now < groupEntryExpiry(s, i, g)) scratch[i] = value & 3;
    }
  }
}

function clearMarks(s: IndexStore, m: number): void {
  const { memberEntries, memberGroups, groupEntries, scratch } = s;
  for (let k = 0; k < memberEntries.size(m); k++) scratch[memberEntries.at(m, k) >> 3] = -1;
  for (let k = 0; k < memberGroups.size(m); k++) {
    const g = memberGroups.at(m, k);
    for (let j = 0; j < groupEntries.size(g); j++) scratch[groupEntries.at(g, j) >> 3] = -1;
  }
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
 * A workspace admin sees every integration (admin floor DELETE_ONLY): the ids, no entry read. The
 * whole-workspace list is kept until an integration is placed or taken out, and handed out as a copy.
 */
function listEverything(s: IndexStore, w: number, p: number): string[] {
  const kept = p === -1 ? s.workspaceListing[w] : undefined;
  if (kept !== undefined) return kept.slice();
  const buckets = [s.workspaceBucket[w]!];
  for (const project of s.workspaceProjects[w]!)
    if (p === -1 || project === p) buckets.push(s.projectBucket[project]!);
  let total = 0;
  for (const bucket of buckets) total += bucket.length;
  const out = new Array<string>(total);
  const ids = s.integrationIds;
  let at = 0;
  for (const bucket of buckets) for (let k = 0; k < bucket.length; k++) out[at++] = ids[bucket[k]!]!;
  if (p === -1) s.workspaceListing[w] = out.slice();
  return out;
}

/**
 * The ids of the integrations member `m` of workspace `w` sees (level above DENY), from the
 * scope buckets and the inverted entry lists; `p` ≥ 0 limits to WORKSPACE scope plus project `p`, -2 to WORKSPACE scope.
 */
export function listFromStore(s: IndexStore, m: number, w: number, now: number, p: number): string[] {
  const out: string[] = [];
  const role = s.memberRole[m]!;
  if (role < 0) return out;
  if (role === ADMIN) return listEverything(s, w, p);
  markEntries(s, m, now);
  try {
    scan(s, s.workspaceBucket[w]!, false, now, out);
    for (const packed of s.memberProjects.toArray(m)) {
      const project = packed >> 2;
      if (p === -1 || project === p) scan(s, s.projectBucket[project]!, (packed & 3) === ADMIN, now, out);
    }
  } finally {
    clearMarks(s, m);
  }
  return out;
}

/** The pipeline rule for pipeline `q` and integration `i` (both interned; either may be gone). */
export function pipelineRuleFromStore(s: IndexStore, q: number, i: number, now: number): PipelineRule {
  const w = i < 0 ? -1 : s.workspaceOf(i);
  if (w < 0 || q < 0 || s.pipelineWorkspace[q] !== w) return 'other-workspace';
  const p = s.projectOf(i);
  if (p >= 0 && s.pipelineProject[q] !== p) return 'other-project';
  const allowed = s.allowed[i];
  if (allowed === null || allowed === undefined) return 'all';
  const expiresAt = allowed.get(q);
  if (expiresAt === undefined) return 'not-listed';
  return now < expiresAt ? 'listed' : 'expired';
}
