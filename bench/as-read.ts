/**
 * The generated data as the service reads it from a database: every id a separate string, made
 * once per row; levels and roles the engine's own strings, as the snapshot hands them. Each timed
 * build in the benchmarks reads its own such copy.
 */
import { levelNamed, roleNamed } from '../src/core/policy/levels.ts';
import type { Level, PolicyData, Role, SubjectEntry } from '../src/core/policy/types.ts';

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
 * database: every id a separate string, made once per row (a user named by ten entries comes as
 * ten strings, none of whose hashes V8 has computed yet), where the generator shares one string
 * per id; every level and role the engine's own string of that name (`levelNamed`, `roleNamed`),
 * as the snapshot names them. Each timed build gets its own copy, so none finds the hashes an
 * earlier one computed.
 */
export function asReadFromDatabase(data: PolicyData): PolicyData {
  const entry = (e: SubjectEntry): SubjectEntry =>
    e.expiresAt === undefined
      ? { id: freshCopy(e.id), level: asLevel(e.level) }
      : { id: freshCopy(e.id), level: asLevel(e.level), expiresAt: e.expiresAt };
  return {
    members: data.members.map((m) => {
      const member = {
        userId: freshCopy(m.userId),
        workspaceId: freshCopy(m.workspaceId),
        role: asRole(m.role),
      };
      if (m.projectRoles === undefined) return member;
      // Built key by key in a record without prototype, as the service's snapshot gathers
      // project-role rows.
      const projectRoles = Object.create(null) as Record<string, Role>;
      for (const [project, role] of Object.entries(m.projectRoles)) projectRoles[project] = asRole(role);
      return { ...member, projectRoles };
    }),
    groups: data.groups.map((g) => ({
      id: freshCopy(g.id),
      workspaceId: freshCopy(g.workspaceId),
      userIds: g.userIds.map(freshCopy),
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
        users: i.permissions.users.map(entry),
        groups: i.permissions.groups.map(entry),
      },
      allowedPipelines: i.allowedPipelines,
    })),
    pipelines: data.pipelines,
  };
}
