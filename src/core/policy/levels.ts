/**
 * Permission levels and what each level may do, as data. Pure: no I/O.
 */
import type {
  AllowedPipelines,
  IntegrationAction,
  IntegrationPermissions,
  Level,
  Role,
  SubjectEntry,
} from './types.ts';
import { INTEGRATION_ACTIONS, LEVELS, ROLES } from './types.ts';

/** Numeric rank of a level: DENY 0, DELETE_ONLY 1, USE 2, MANAGE 3. */
export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}

/** The level of a rank (0–3); out-of-range ranks are clamped. */
export function levelOfRank(rank: number): Level {
  return LEVELS[Math.max(0, Math.min(LEVELS.length - 1, rank | 0))] as Level;
}

/** Compares two levels: negative when `a < b`, 0 when equal, positive when `a > b`. */
export function compareLevels(a: Level, b: Level): number {
  return levelRank(a) - levelRank(b);
}

/** The higher of two levels. */
export function maxLevel(a: Level, b: Level): Level {
  return compareLevels(a, b) >= 0 ? a : b;
}

/** The lower of two levels. */
export function minLevel(a: Level, b: Level): Level {
  return compareLevels(a, b) <= 0 ? a : b;
}

/** Numeric rank of a role: member 0, collaborator 1, admin 2. */
export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

/**
 * The level named `text`, as the one shared string of that name (a reader of stored rows hands
 * the engine these, not a string per row: a million entries keep four strings, and the engine
 * compares them by reference); any other text is DENY, so a corrupt row fails closed.
 */
export function levelNamed(text: string): Level {
  return LEVELS[Math.max(0, LEVELS.indexOf(text as Level))]!;
}

/** The role named `text`, as the one shared string of that name; any other text is member (fails closed). */
export function roleNamed(text: string): Role {
  return ROLES[Math.max(0, ROLES.indexOf(text as Role))]!;
}

/**
 * What each level may do. A capability set per level, not a threshold: `DELETE_ONLY` may delete
 * but `USE`, which is higher, may not.
 */
export const INTEGRATION_ACTION_LEVELS: Readonly<Record<Level, readonly IntegrationAction[]>> = {
  DENY: [],
  DELETE_ONLY: ['integration.view', 'integration.delete'],
  USE: ['integration.view', 'integration.use', 'integration.verify', 'integration.grant-pipeline'],
  MANAGE: INTEGRATION_ACTIONS,
};

const ACTION_BITS: Readonly<Record<IntegrationAction, number>> = Object.fromEntries(
  INTEGRATION_ACTIONS.map((action, n) => [action, 1 << n]),
) as Record<IntegrationAction, number>;

/** Bit of each action in an action mask (bit n = `INTEGRATION_ACTIONS[n]`). */
export function actionBit(action: IntegrationAction): number {
  return ACTION_BITS[action];
}

/** Action masks indexed by level rank, derived from {@link INTEGRATION_ACTION_LEVELS}. */
export const LEVEL_ACTION_MASKS: readonly number[] = LEVELS.map((level) =>
  INTEGRATION_ACTION_LEVELS[level].reduce((mask, action) => mask | actionBit(action), 0),
);

/** Whether a level permits an action. */
export function levelAllows(level: Level, action: IntegrationAction): boolean {
  return ((LEVEL_ACTION_MASKS[levelRank(level)] ?? 0) & actionBit(action)) !== 0;
}

/** The lowest level that permits an action (DELETE_ONLY for delete, USE for use, MANAGE for edit). */
export function minimalLevelFor(action: IntegrationAction): Level {
  return LEVELS.find((level) => levelAllows(level, action)) ?? 'MANAGE';
}

/** The levels that permit an action, lowest first. */
export function levelsAllowing(action: IntegrationAction): readonly Level[] {
  return LEVELS.filter((level) => levelAllows(level, action));
}

/** The actions a level permits, in the order of {@link INTEGRATION_ACTIONS}. */
export function actionsOf(level: Level): readonly IntegrationAction[] {
  return INTEGRATION_ACTION_LEVELS[level];
}

/** The default access of a new integration. */
export interface DefaultAccess {
  readonly permissions: IntegrationPermissions;
  readonly allowedPipelines: AllowedPipelines;
}

/**
 * Default access of a new integration: admins MANAGE, others USE, the creator (when known) a
 * MANAGE user entry, every pipeline allowed.
 */
export function defaultPermissions(creatorId?: string): DefaultAccess {
  const users: SubjectEntry[] = creatorId === undefined ? [] : [{ id: creatorId, level: 'MANAGE' }];
  return {
    permissions: { admins: { level: 'MANAGE' }, others: { level: 'USE' }, users, groups: [] },
    allowedPipelines: 'ALL',
  };
}

/** One problem found by {@link validatePermissions}. */
export interface PermissionsProblem {
  readonly code: 'admins_below_delete_only' | 'duplicate_user_entry' | 'duplicate_group_entry';
  /** Path of the offending field, e.g. `admins.level` or `users[2].id`. */
  readonly path: string;
  readonly message: string;
}

/**
 * Checks a permissions value: `admins` may not be below DELETE_ONLY (an administrator can always
 * find and delete an integration), and a user or group has at most one entry. Empty when valid.
 */
export function validatePermissions(permissions: IntegrationPermissions): readonly PermissionsProblem[] {
  const problems: PermissionsProblem[] = [];
  if (levelRank(permissions.admins.level) < levelRank('DELETE_ONLY')) {
    problems.push({
      code: 'admins_below_delete_only',
      path: 'admins.level',
      message: `The admins level must be DELETE_ONLY, USE or MANAGE, not ${permissions.admins.level}: an administrator can always find and delete an integration.`,
    });
  }
  const duplicates = (list: readonly SubjectEntry[], kind: 'user' | 'group'): void => {
    const seen = new Set<string>();
    list.forEach((entry, index) => {
      if (seen.has(entry.id)) {
        problems.push({
          code: kind === 'user' ? 'duplicate_user_entry' : 'duplicate_group_entry',
          path: `${kind}s[${index}].id`,
          message: `The ${kind} ${entry.id} has more than one entry.`,
        });
      }
      seen.add(entry.id);
    });
  };
  duplicates(permissions.users, 'user');
  duplicates(permissions.groups, 'group');
  return problems;
}

/** Whether an entry with this expiry is active at `now` (expiry is exclusive: lapsed at `expiresAt`). */
export function isActive(expiresAt: number | undefined, now: number): boolean {
  return expiresAt === undefined || now < expiresAt;
}
