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

/**
 * Up to 31 names, each found by its length and one character: `slots[key]` is the name's number,
 * -1 for no name, -2 for two or more names with that key ({@link nameBit}).
 */
export interface NameLookup {
  readonly names: readonly string[];
  /** The position of the character in a key. */
  readonly at: number;
  readonly slots: Int8Array;
}

/** A name's key: its length and its character at `at` (a code unit, NaN past the end), 13 bits. */
function nameKey(name: string, at: number): number {
  return ((name.length & 63) << 7) | (name.charCodeAt(at) & 127);
}

/** The lookup of `names` (at most 31), reading the character at the first position that tells most of them apart. */
export function nameLookup(names: readonly string[]): NameLookup {
  if (names.length > 31) throw new RangeError('a name lookup holds at most 31 names');
  let at = 0;
  let distinct = 0;
  for (let k = 0; k < 64; k++) {
    const count = new Set(names.map((name) => nameKey(name, k))).size;
    if (count > distinct) [at, distinct] = [k, count];
  }
  const slots = new Int8Array(1 << 13).fill(-1);
  for (const [n, name] of names.entries()) {
    const key = nameKey(name, at);
    slots[key] = slots[key] === -1 ? n : -2;
  }
  return { names, at, slots };
}

/**
 * `1 << n` for the `n`-th name of `lookup`, 0 for any other text: one slot read and one
 * comparison with that name (a pointer check when callers pass the names' own strings); a key two
 * names share falls back to a search.
 */
export function nameBit(lookup: NameLookup, name: string): number {
  const n = lookup.slots[nameKey(name, lookup.at)]!;
  if (n >= 0) return lookup.names[n] === name ? 1 << n : 0;
  if (n === -1) return 0;
  const k = lookup.names.indexOf(name);
  return k < 0 ? 0 : 1 << k;
}

/** The actions by length and the letter after `integration.`, which tell all seven apart. */
const ACTION_LOOKUP = nameLookup(INTEGRATION_ACTIONS);

/**
 * Bit of each action in an action mask (bit n = `INTEGRATION_ACTIONS[n]`), 0 for any other text.
 * Every decision asks this: a keyed read of a record by a key that varies is a megamorphic
 * lookup, about 25 ns against 5 for {@link nameBit} in the decision benchmark's `allows()` loop
 * (7 % of a decision at 50k entries).
 */
export function actionBit(action: IntegrationAction): number {
  return nameBit(ACTION_LOOKUP, action);
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
