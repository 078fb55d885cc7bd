/**
 * The generated data as the service reads it from a database: every id a separate string, made
 * once per row; levels and roles the engine's own strings, as the snapshot hands them. Each timed
 * build in the benchmarks reads its own such copy.
 */
import { levelNamed, roleNamed } from '../src/core/policy/levels.ts';
import type { Level, PolicyData, Role, SubjectEntry, UserEntry } from '../src/core/policy/types.ts';

/**
 * A separate flat copy of a string, as a database driver makes one per row and column and a
 * parser one per request: equal to the original, not the same string object (a lookup cannot
 * succeed on pointer equality alone), and flat.
 */
export function freshCopy(value: string): string {
  return Buffer.from(value, 'latin1').toString('latin1');
}

/** A level or role as the snapshot reads it: the driver's string for the row, named by the engine's own. */
const asRole = (role: Role): Role => roleNamed(freshCopy(role));
const asLevel = (level: Level): Level => levelNamed(freshCopy(level));

/**
 * The workspace's data as the service hands it to `PolicyIndex.build` after reading it from the
 * database (`src/storage/snapshot.ts`): every member's user id a separate string, made once per
 * membership row, with the user's sequence number (`users.seq`, here numbered in the members'
 * order); every entry and group membership that names a user hands over that member's string and
 * number (the rows carry the number, not the id); every other id a separate string per row (none
 * of whose hashes V8 has computed yet); every level and role the engine's own string of that name
 * (`levelNamed`, `roleNamed`), as the snapshot names them. Each timed build gets its own copy, so
 * none finds the hashes an earlier one computed.
 */
export function asReadFromDatabase(data: PolicyData): PolicyData {
  const users = new Map<string, { readonly id: string; readonly seq: number }>();
  const members = data.members.map((m) => {
    let user = users.get(m.userId);
    if (user === undefined) {
      user = { id: freshCopy(m.userId), seq: users.size + 1 };
      users.set(m.userId, user);
    }
    const member = {
      userId: user.id,
      userSeq: user.seq,
      workspaceId: freshCopy(m.workspaceId),
      role: asRole(m.role),
    };
    if (m.projectRoles === undefined) return member;
    // Built key by key in a record without prototype, as the service's snapshot gathers
    // project-role rows.
    const projectRoles = Object.create(null) as Record<string, Role>;
    for (const [project, role] of Object.entries(m.projectRoles)) projectRoles[project] = asRole(role);
    return { ...member, projectRoles };
  });
  const entry = (e: SubjectEntry): SubjectEntry =>
    e.expiresAt === undefined
      ? { id: freshCopy(e.id), level: asLevel(e.level) }
      : { id: freshCopy(e.id), level: asLevel(e.level), expiresAt: e.expiresAt };
  const userEntry = (e: SubjectEntry): UserEntry => {
    const user = users.get(e.id);
    if (user === undefined) return entry(e);
    return e.expiresAt === undefined
      ? { id: user.id, level: asLevel(e.level), userSeq: user.seq }
      : { id: user.id, level: asLevel(e.level), expiresAt: e.expiresAt, userSeq: user.seq };
  };
  return {
    members,
    groups: data.groups.map((g) => ({
      id: freshCopy(g.id),
      workspaceId: freshCopy(g.workspaceId),
      userIds: g.userIds.map((id) => users.get(id)?.id ?? freshCopy(id)),
      userSeqs: g.userIds.map((id) => users.get(id)?.seq ?? -1),
    })),
    integrations: data.integrations.map((i) => ({
      id: freshCopy(i.id),
      workspaceId: freshCopy(i.workspaceId),
      name: freshCopy(i.name),
      scope:
        i.scope.type === 'PROJECT' ? { type: 'PROJECT', projectId: freshCopy(i.scope.projectId) } : i.scope,
      permissions: {
        admins: i.permissions.admins,
        others: i.permissions.others,
        users: i.permissions.users.map(userEntry),
        groups: i.permissions.groups.map(entry),
      },
      allowedPipelines: i.allowedPipelines,
    })),
    pipelines: data.pipelines,
  };
}
