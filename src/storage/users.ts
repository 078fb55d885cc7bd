/** Users, workspace memberships (role and role source) and project roles. */
import type { Selectable } from 'kysely';
import type { Role, RoleSource } from '../core/policy/types.ts';
import { atomically, foundAmong, orNull, parseJson, type RepoContext } from './context.ts';
import type { MembershipTable, ProjectRoleTable, UserTable } from './schema.ts';
import type { Membership, ProjectRoleAssignment, User } from './types.ts';

/** Input of `createUser`. */
export interface CreateUserInput {
  readonly id?: string;
  readonly login: string;
  readonly displayName?: string | null;
  readonly email?: string | null;
}

/** Changes accepted by `updateUser`. */
export interface UpdateUserInput {
  readonly displayName?: string | null;
  readonly email?: string | null;
}

/** Input of `setMembership`. */
export interface SetMembershipInput {
  readonly workspaceId: string;
  readonly userId: string;
  readonly role: Role;
  readonly roleSource: RoleSource;
}

/** Input of `setProjectRole`. */
export interface SetProjectRoleInput extends SetMembershipInput {
  readonly projectId: string;
}

/** Row → record. */
export function toUser(row: Selectable<UserTable>): User {
  return {
    id: row.id,
    login: row.login,
    displayName: row.display_name,
    email: row.email,
    createdAt: row.created_at,
  };
}

/** Row → record. */
export function toMembership(row: Selectable<MembershipTable>): Membership {
  return {
    workspaceId: row.workspace_id,
    userId: row.user_id,
    role: row.role as Role,
    roleSource: parseJson<RoleSource>(row.role_source),
    updatedAt: row.updated_at,
  };
}

/** Row → record. */
export function toProjectRole(row: Selectable<ProjectRoleTable>): ProjectRoleAssignment {
  return { ...toMembership(row), projectId: row.project_id };
}

/** User, membership and project-role functions bound to a context. */
export function userRepo(ctx: RepoContext) {
  return {
    /** Creates a user; logins are unique (`duplicate` otherwise). */
    async createUser(input: CreateUserInput): Promise<User> {
      return atomically(ctx, async (trx) => {
        // The next number from a counter that only grows (a failed insert rolls it back with it).
        const { value: seq } = await trx
          .updateTable('sequences')
          .set((eb) => ({ value: eb('value', '+', 1) }))
          .where('name', '=', 'users')
          .returning('value')
          .executeTakeFirstOrThrow();
        const row = {
          id: input.id ?? ctx.newId(),
          login: input.login,
          display_name: orNull(input.displayName),
          email: orNull(input.email),
          created_at: ctx.now(),
          seq,
        };
        await trx.insertInto('users').values(row).execute();
        return toUser(row);
      });
    },
    /** A user by id. */
    async getUser(id: string): Promise<User | undefined> {
      const row = await ctx.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toUser(row);
    },
    /** A user by login. */
    async getUserByLogin(login: string): Promise<User | undefined> {
      const row = await ctx.db.selectFrom('users').selectAll().where('login', '=', login).executeTakeFirst();
      return row && toUser(row);
    },
    /** The members of a workspace, as users, by login. */
    async listUsers(workspaceId: string): Promise<User[]> {
      const rows = await ctx.db
        .selectFrom('users')
        .innerJoin('memberships', 'memberships.user_id', 'users.id')
        .selectAll('users')
        .where('memberships.workspace_id', '=', workspaceId)
        .orderBy('users.login')
        .execute();
      return rows.map(toUser);
    },
    /** Updates a user's profile; undefined when missing. */
    async updateUser(id: string, input: UpdateUserInput): Promise<User | undefined> {
      const row = await ctx.db
        .updateTable('users')
        .set({
          ...(input.displayName === undefined ? {} : { display_name: input.displayName }),
          ...(input.email === undefined ? {} : { email: input.email }),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row && toUser(row);
    },
    /** Deletes a user with their memberships, roles, group places, tokens and sessions. */
    async deleteUser(id: string): Promise<boolean> {
      const r = await ctx.db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
    /** Adds a member or changes their role (upsert). */
    async setMembership(input: SetMembershipInput): Promise<Membership> {
      const row = {
        workspace_id: input.workspaceId,
        user_id: input.userId,
        role: input.role,
        role_source: JSON.stringify(input.roleSource),
        updated_at: ctx.now(),
      };
      await ctx.db
        .insertInto('memberships')
        .values(row)
        .onConflict((oc) =>
          oc
            .columns(['workspace_id', 'user_id'])
            .doUpdateSet({ role: row.role, role_source: row.role_source, updated_at: row.updated_at }),
        )
        .execute();
      return toMembership(row);
    },
    /** A user's membership of a workspace. */
    async getMembership(workspaceId: string, userId: string): Promise<Membership | undefined> {
      const row = await ctx.db
        .selectFrom('memberships')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row && toMembership(row);
    },
    /** Which of `userIds` are members of the workspace (one query per `IDS_PER_QUERY` ids). */
    async membersAmong(workspaceId: string, userIds: readonly string[]): Promise<Set<string>> {
      return foundAmong(userIds, async (list) =>
        (
          await ctx.db
            .selectFrom('memberships')
            .select('user_id')
            .where('workspace_id', '=', workspaceId)
            .where('user_id', 'in', list)
            .execute()
        ).map((row) => row.user_id),
      );
    },
    /** Every membership of a workspace. */
    async listMemberships(workspaceId: string): Promise<Membership[]> {
      const rows = await ctx.db
        .selectFrom('memberships')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .orderBy('user_id')
        .execute();
      return rows.map(toMembership);
    },
    /** Removes a member, with their project roles and group places in that workspace. */
    async removeMembership(workspaceId: string, userId: string): Promise<boolean> {
      return atomically(ctx, async (trx) => {
        await trx
          .deleteFrom('project_roles')
          .where('workspace_id', '=', workspaceId)
          .where('user_id', '=', userId)
          .execute();
        await trx
          .deleteFrom('group_members')
          .where('workspace_id', '=', workspaceId)
          .where('user_id', '=', userId)
          .execute();
        const r = await trx
          .deleteFrom('memberships')
          .where('workspace_id', '=', workspaceId)
          .where('user_id', '=', userId)
          .executeTakeFirst();
        return r.numDeletedRows > 0n;
      });
    },
    /** Sets a user's role in a project (upsert). */
    async setProjectRole(input: SetProjectRoleInput): Promise<ProjectRoleAssignment> {
      const row = {
        workspace_id: input.workspaceId,
        project_id: input.projectId,
        user_id: input.userId,
        role: input.role,
        role_source: JSON.stringify(input.roleSource),
        updated_at: ctx.now(),
      };
      await ctx.db
        .insertInto('project_roles')
        .values(row)
        .onConflict((oc) =>
          oc
            .columns(['project_id', 'user_id'])
            .doUpdateSet({ role: row.role, role_source: row.role_source, updated_at: row.updated_at }),
        )
        .execute();
      return toProjectRole(row);
    },
    /** Project roles of a workspace, optionally of one project or one user. */
    async listProjectRoles(
      workspaceId: string,
      filter: { readonly projectId?: string; readonly userId?: string } = {},
    ): Promise<ProjectRoleAssignment[]> {
      let query = ctx.db.selectFrom('project_roles').selectAll().where('workspace_id', '=', workspaceId);
      if (filter.projectId !== undefined) query = query.where('project_id', '=', filter.projectId);
      else if (filter.userId === undefined)
        // Through the workspace's projects, whose ids lead the key (migration 0006).
        query = query.where(
          'project_id',
          'in',
          ctx.db.selectFrom('projects').select('id').where('workspace_id', '=', workspaceId),
        );
      if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
      const rows = await query.orderBy('project_id').orderBy('user_id').execute();
      return rows.map(toProjectRole);
    },
    /** Removes a user's role in a project. */
    async removeProjectRole(workspaceId: string, projectId: string, userId: string): Promise<boolean> {
      const r = await ctx.db
        .deleteFrom('project_roles')
        .where('workspace_id', '=', workspaceId)
        .where('project_id', '=', projectId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
  };
}
