/**
 * The one resolution function: the effective level of a user on an integration, with the ordered
 * hops that decided it. Pure: time is an argument.
 */
import { isActive, levelAllows, levelRank, maxLevel, minimalLevelFor } from './levels.ts';
import type {
  Decision,
  Entry,
  IntegrationAction,
  IntegrationScope,
  Level,
  PolicyIntegration,
  PolicyMember,
  Reason,
  Role,
  RoleSource,
} from './types.ts';

/** The facts one resolution needs, however they are stored (plain objects or the index). */
export interface ResolutionFacts {
  readonly workspaceId: string;
  readonly scope: IntegrationScope;
  /** The member record in the integration's workspace; undefined when not a member. */
  readonly member:
    | {
        readonly role: Role;
        readonly roleSource?: RoleSource;
        /** The member's role in the integration's project (PROJECT scope only), when set. */
        readonly projectRole?: Role;
      }
    | undefined;
  readonly userEntry: Entry | undefined;
  /** The entries of the groups the user belongs to (any order). */
  readonly groupEntries: readonly { readonly groupId: string; readonly entry: Entry }[];
  readonly admins: Entry;
  readonly others: Entry;
}

/** Options of {@link resolve}. */
export interface ResolveOptions {
  /** Asked from inside this project: a PROJECT integration of another project is out of scope. */
  readonly projectId?: string;
}

const DENIED = (reasons: Reason[]): Decision => ({ allowed: false, level: 'DENY', reasons });

/** The role used for the cap and the floor, and whether the admin floor applies; undefined = out of scope. */
function effectiveRole(
  facts: ResolutionFacts,
  reasons: Reason[],
): { role: Role; floor: boolean } | undefined {
  const member = facts.member;
  if (member === undefined) return undefined;
  const scope = facts.scope;
  const projectId = scope.type === 'PROJECT' ? scope.projectId : undefined;
  if (member.role === 'admin' || projectId === undefined || member.projectRole === undefined) {
    reasons.push(roleReason(member.role, 'workspace', member.roleSource));
    if (projectId !== undefined && member.role !== 'admin') return undefined;
    return { role: member.role, floor: member.role === 'admin' };
  }
  reasons.push({ hop: 'role', role: member.projectRole, source: 'project', projectId });
  return { role: member.projectRole, floor: member.projectRole === 'admin' };
}

function roleReason(role: Role, source: 'workspace', roleSource: RoleSource | undefined): Reason {
  return roleSource === undefined ? { hop: 'role', role, source } : { hop: 'role', role, source, roleSource };
}

/** User entry, else highest active group entry, else `others`. */
function baseLevel(facts: ResolutionFacts, now: number, othersApply: boolean, reasons: Reason[]): Level {
  const user = facts.userEntry;
  if (user !== undefined) {
    if (isActive(user.expiresAt, now)) {
      reasons.push(withExpiry({ hop: 'user-entry', level: user.level }, user.expiresAt));
      return user.level;
    }
    reasons.push({ hop: 'expired', subject: 'user', expiresAt: user.expiresAt ?? 0 });
  }
  let best: { groupId: string; entry: Entry } | undefined;
  const sorted = [...facts.groupEntries].sort((a, b) =>
    a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0,
  );
  for (const group of sorted) {
    if (!isActive(group.entry.expiresAt, now)) {
      reasons.push({
        hop: 'expired',
        subject: 'group',
        id: group.groupId,
        expiresAt: group.entry.expiresAt ?? 0,
      });
    } else if (best === undefined || levelRank(group.entry.level) > levelRank(best.entry.level)) {
      best = group;
    }
  }
  if (best !== undefined) {
    const reason = { hop: 'group-entry', groupId: best.groupId, level: best.entry.level } as const;
    reasons.push(withExpiry(reason, best.entry.expiresAt));
    return best.entry.level;
  }
  return othersLevel(facts.others, now, othersApply, reasons);
}

function othersLevel(others: Entry, now: number, applies: boolean, reasons: Reason[]): Level {
  if (!applies) {
    reasons.push({ hop: 'others', level: 'DENY', outsideProject: true });
    return 'DENY';
  }
  if (!isActive(others.expiresAt, now)) {
    reasons.push({ hop: 'expired', subject: 'others', expiresAt: others.expiresAt ?? 0 });
    reasons.push({ hop: 'others', level: 'DENY' });
    return 'DENY';
  }
  reasons.push({ hop: 'others', level: others.level });
  return others.level;
}

function withExpiry<T extends Reason>(reason: T, expiresAt: number | undefined): T {
  return expiresAt === undefined ? reason : { ...reason, expiresAt };
}

/** The admins floor: never below DELETE_ONLY; an expired admins entry falls back to DELETE_ONLY. */
function adminsFloor(admins: Entry, now: number, reasons: Reason[]): Level {
  if (!isActive(admins.expiresAt, now)) {
    reasons.push({ hop: 'expired', subject: 'admins', expiresAt: admins.expiresAt ?? 0 });
    return 'DELETE_ONLY';
  }
  return maxLevel(admins.level, 'DELETE_ONLY');
}

/**
 * Resolves a user's level from the facts: membership, role, scope, user entry / groups / others,
 * admin floor, role cap — each a hop in the reasons, in that order.
 */
export function resolveFacts(facts: ResolutionFacts, now: number, options: ResolveOptions = {}): Decision {
  const reasons: Reason[] = [
    { hop: 'membership', workspaceId: facts.workspaceId, member: facts.member !== undefined },
  ];
  const scope = facts.scope;
  if (scope.type === 'PROJECT' && options.projectId !== undefined && options.projectId !== scope.projectId) {
    reasons.push({ hop: 'scope', scope, admitted: false, projectId: options.projectId });
    return DENIED(reasons);
  }
  const role = effectiveRole(facts, reasons);
  if (facts.member === undefined) return DENIED(reasons);
  if (scope.type === 'PROJECT') {
    reasons.push({ hop: 'scope', scope, admitted: role !== undefined, projectId: scope.projectId });
  }
  if (role === undefined) return DENIED(reasons);
  const inProject =
    scope.type === 'WORKSPACE' || facts.member.role !== 'admin' || facts.member.projectRole !== undefined;
  let level = baseLevel(facts, now, inProject, reasons);
  if (role.floor) {
    const floor = adminsFloor(facts.admins, now, reasons);
    if (levelRank(floor) > levelRank(level)) {
      reasons.push({ hop: 'admin-floor', from: level, to: floor });
      level = floor;
    }
  }
  if (role.role === 'member' && levelRank(level) > levelRank('USE')) {
    reasons.push({ hop: 'role-cap', role: role.role, from: level, to: 'USE' });
    level = 'USE';
  }
  return { allowed: level !== 'DENY', level, reasons };
}

/** Builds the facts from plain objects: the member, the ids of the user's groups, the integration. */
export function factsOf(
  member: PolicyMember | undefined,
  groupIds: readonly string[],
  integration: PolicyIntegration,
): ResolutionFacts {
  const inWorkspace = member !== undefined && member.workspaceId === integration.workspaceId;
  const scope = integration.scope;
  const projectRole =
    inWorkspace && scope.type === 'PROJECT' ? member.projectRoles?.[scope.projectId] : undefined;
  const memberFacts = !inWorkspace
    ? undefined
    : {
        role: member.role,
        ...(member.roleSource === undefined ? {} : { roleSource: member.roleSource }),
        ...(projectRole === undefined ? {} : { projectRole }),
      };
  const groups = new Set(groupIds);
  const userId = member?.userId;
  return {
    workspaceId: integration.workspaceId,
    scope,
    member: memberFacts,
    userEntry: integration.permissions.users.find((entry) => entry.id === userId),
    groupEntries: integration.permissions.groups
      .filter((entry) => groups.has(entry.id))
      .map((entry) => ({ groupId: entry.id, entry })),
    admins: integration.permissions.admins,
    others: integration.permissions.others,
  };
}

/**
 * Resolves the level of `member` (belonging to the groups `groupIds` of the integration's
 * workspace) on `integration` at `now`. A member of another workspace, or none, is denied.
 */
export function resolve(
  member: PolicyMember | undefined,
  groupIds: readonly string[],
  integration: PolicyIntegration,
  now: number,
  options: ResolveOptions = {},
): Decision {
  return resolveFacts(factsOf(member, groupIds, integration), now, options);
}

/** Adds the `action` hop to a resolved decision: allowed when the level's capability set holds the action. */
export function decideAction(resolved: Decision, action: IntegrationAction): Decision {
  const allowed = levelAllows(resolved.level, action);
  const reason: Reason = {
    hop: 'action',
    action,
    required: minimalLevelFor(action),
    level: resolved.level,
    allowed,
  };
  return { allowed, level: resolved.level, reasons: [...resolved.reasons, reason] };
}

/** {@link resolve} then {@link decideAction}: may this member perform `action` on the integration? */
export function decide(
  member: PolicyMember | undefined,
  groupIds: readonly string[],
  integration: PolicyIntegration,
  action: IntegrationAction,
  now: number,
  options: ResolveOptions = {},
): Decision {
  return decideAction(resolve(member, groupIds, integration, now, options), action);
}
