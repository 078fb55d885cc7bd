/**
 * Test support: the permission set the kill -9 writer stores for each version, so the checker can
 * recompute what a given version must look like.
 */
import type { PermissionSet } from '../integration-permissions.ts';

/** Users referenced by the entries (ids only; the entries need no user rows). */
export const KILL9_USERS = Array.from({ length: 8 }, (_, n) => `kill9-user-${n}`);

/** The permission set written for `version`: a varying number of user entries and levels. */
export function kill9PermissionSet(version: number): PermissionSet {
  const levels = ['DENY', 'DELETE_ONLY', 'USE', 'MANAGE'] as const;
  const count = 1 + (version % KILL9_USERS.length);
  return {
    permissions: {
      admins: { level: 'MANAGE' },
      others: { level: levels[version % 4]!, expiresAt: version },
      users: KILL9_USERS.slice(0, count).map((id, n) => ({ id, level: levels[(version + n) % 4]! })),
      groups: [],
    },
    allowedPipelines: 'ALL',
  };
}
