/** Use cases for users, workspace memberships and roles, project roles, and groups. */
import { KeyhouseError } from '../core/errors.ts';
import type { PolicyMember, Role } from '../core/policy/types.ts';
import type { StoreTransaction } from '../storage/store.ts';
import type { Group, Membership, ProjectRoleAssignment, User } from '../storage/types.ts';
import {
  auditEvent,
  membershipOf,
  type Principal,
  requireRole,
  type ServiceContext,
  write,
} from './context.ts';
import { iso } from './wire.ts';

function userOut(u: User) {
  return { id: u.id, login: u.login, displayName: u.displayName, email: u.email };
}

function roleSourceOut(m: Membership) {
  const s = m.roleSource;
  return s.kind === 'manual'
    ? s
    : { kind: 'scm' as const, host: s.host, scmRole: s.scmRole, syncedAt: iso(s.syncedAt) };
}

/** Appends `value` to the list of `key` in `lists`. */
function append<T>(lists: Map<string, T[]>, key: string, value: T): void {
  const list = lists.get(key);
  if (list === undefined) lists.set(key, [value]);
  else list.push(value);
}

/** A member as the API shows it: role and its source, project roles, groups (by name). */
function viewOf(
  m: Membership,
  user: User,
  roles: readonly ProjectRoleAssignment[],
  groups: readonly string[],
) {
  return {
    userId: m.userId,
    login: user.login,
    role: m.role,
    roleSource: roleSourceOut(m),
    projectRoles: Object.fromEntries(roles.map((r) => [r.projectId, r.role])),
    groups: [...groups],
  };
}

/** A group as the API shows it, with its members. */
function groupView(g: Group, members: readonly string[]) {
  return { id: g.id, workspaceId: g.workspaceId, name: g.name, members: [...members] };
}

/** The engine's view of a member, read inside a transaction after a change. */
async function policyMember(
  tx: StoreTransaction,
  ws: string,
  userId: string,
): Promise<PolicyMember | undefined> {
  const m = await tx.getMembership(ws, userId);
  if (!m) return undefined;
  const roles = await tx.listProjectRoles(ws, { userId });
  const projectRoles: Record<string, Role> = {};
  for (const r of roles) projectRoles[r.projectId] = r.role;
  return { userId, workspaceId: ws, role: m.role, roleSource: m.roleSource, projectRoles };
}

/** Member, role and group use cases. */
export function memberService(ctx: ServiceContext) {
  async function memberView(ws: string, userId: string) {
    const [m, user, roles, groups] = await Promise.all([
      ctx.store.getMembership(ws, userId),
      ctx.store.getUser(userId),
      ctx.store.listProjectRoles(ws, { userId }),
      ctx.store.listGroupsOfMember(ws, userId),
    ]);
    if (!m || !user) throw new KeyhouseError('not_found');
    return viewOf(m, user, roles, groups);
  }
  /** Every group of the workspace with its members: two queries, whatever the counts. */
  async function groupsWithMembers(ws: string) {
    const [groups, pairs] = await Promise.all([ctx.store.listGroups(ws), ctx.store.listGroupMemberships(ws)]);
    const members = new Map<string, string[]>();
    for (const { groupId, userId } of pairs) append(members, groupId, userId);
    return groups.map((g) => groupView(g, members.get(g.id) ?? []));
  }
  async function groupOut(g: Group) {
    return groupView(g, await ctx.store.listGroupMembers(g.workspaceId, g.id));
  }
  async function requireUserMember(ws: string, userId: string) {
    if (!(await ctx.store.getMembership(ws, userId))) throw new KeyhouseError('not_found');
  }
  return {
    /** The caller. */
    async me(p: Principal) {
      const u = await ctx.store.getUser(p.userId);
      if (!u) throw new KeyhouseError('unauthenticated');
      return { user: userOut(u) };
    },
    async listMembers(p: Principal, ws: string) {
      await membershipOf(ctx, p, ws);
      // Five queries for the whole workspace, not a handful per member (and one per group each).
      const [list, users, roles, groups, pairs] = await Promise.all([
        ctx.store.listMemberships(ws),
        ctx.store.listUsers(ws),
        ctx.store.listProjectRoles(ws),
        ctx.store.listGroups(ws),
        ctx.store.listGroupMemberships(ws),
      ]);
      const userById = new Map(users.map((u) => [u.id, u]));
      const rolesOf = new Map<string, ProjectRoleAssignment[]>();
      for (const r of roles) append(rolesOf, r.userId, r);
      const byName = new Map(groups.map((g, k) => [g.id, k]));
      const groupsOf = new Map<string, string[]>();
      for (const { groupId, userId } of pairs) append(groupsOf, userId, groupId);
      const views = [];
      for (const m of list) {
        const user = userById.get(m.userId);
        if (user === undefined) continue; // removed between the reads
        const own = (groupsOf.get(m.userId) ?? []).sort((a, b) => byName.get(a)! - byName.get(b)!);
        views.push(viewOf(m, user, rolesOf.get(m.userId) ?? [], own));
      }
      return views;
    },
    /** Adds a user (created by login when new) to the workspace with a hand-set role; admins only. */
    async addMember(
      p: Principal,
      ws: string,
      input: { login: string; role: Role; displayName?: string; email?: string },
    ) {
      await requireRole(ctx, p, ws, 'admin', 'member.add');
      const userId = await write(ctx, ws, async (tx) => {
        const user =
          (await tx.getUserByLogin(input.login)) ??
          (await tx.createUser({
            login: input.login,
            displayName: input.displayName ?? null,
            email: input.email ?? null,
          }));
        if (await tx.getMembership(ws, user.id))
          throw new KeyhouseError('conflict', 'This user is already a member of the workspace.');
        await tx.setMembership({
          workspaceId: ws,
          userId: user.id,
          role: input.role,
          roleSource: { kind: 'manual' },
        });
        const member = await policyMember(tx, ws, user.id);
        return {
          result: user.id,
          change: { type: 'member.upsert', member: member! },
          audit: [
            auditEvent(p, ws, 'member.add', 'user', user.id, {
              after: { login: user.login, role: input.role },
            }),
          ],
        };
      });
      return memberView(ws, userId);
    },
    /** Sets a member's workspace role by hand (marked manual: sync will not overwrite it); admins only. */
    async setMemberRole(p: Principal, ws: string, userId: string, role: Role) {
      await requireRole(ctx, p, ws, 'admin', 'member.set-role');
      await write(ctx, ws, async (tx) => {
        const before = await tx.getMembership(ws, userId);
        if (!before) throw new KeyhouseError('not_found');
        if (before.role === 'admin' && role !== 'admin') await assertAnotherAdmin(tx, ws, userId);
        await tx.setMembership({ workspaceId: ws, userId, role, roleSource: { kind: 'manual' } });
        return {
          result: undefined,
          change: { type: 'member.upsert', member: (await policyMember(tx, ws, userId))! },
          audit: [
            auditEvent(p, ws, 'member.set-role', 'user', userId, {
              before: { role: before.role },
              after: { role },
            }),
          ],
        };
      });
      return memberView(ws, userId);
    },
    /** Removes a member; the last admin cannot be removed. */
    async removeMember(p: Principal, ws: string, userId: string) {
      await requireRole(ctx, p, ws, 'admin', 'member.remove');
      await write(ctx, ws, async (tx) => {
        const before = await tx.getMembership(ws, userId);
        if (!before) throw new KeyhouseError('not_found');
        if (before.role === 'admin') await assertAnotherAdmin(tx, ws, userId);
        await tx.removeMembership(ws, userId);
        return {
          result: undefined,
          change: { type: 'member.remove', workspaceId: ws, userId },
          audit: [auditEvent(p, ws, 'member.remove', 'user', userId, { before: { role: before.role } })],
        };
      });
    },
    /** Sets (or with null removes) a member's project role; admins only. */
    async setProjectRole(p: Principal, ws: string, projectId: string, userId: string, role: Role | null) {
      await requireRole(ctx, p, ws, 'admin', 'member.set-project-role');
      if (!(await ctx.store.getProject(ws, projectId))) throw new KeyhouseError('not_found');
      await requireUserMember(ws, userId);
      await write(ctx, ws, async (tx) => {
        if (role === null) await tx.removeProjectRole(ws, projectId, userId);
        else
          await tx.setProjectRole({
            workspaceId: ws,
            projectId,
            userId,
            role,
            roleSource: { kind: 'manual' },
          });
        return {
          result: undefined,
          change: { type: 'member.upsert', member: (await policyMember(tx, ws, userId))! },
          audit: [
            auditEvent(p, ws, 'member.set-project-role', 'user', userId, { after: { projectId, role } }),
          ],
        };
      });
      return memberView(ws, userId);
    },
    async listGroups(p: Principal, ws: string) {
      await membershipOf(ctx, p, ws);
      return groupsWithMembers(ws);
    },
    async getGroup(p: Principal, ws: string, groupId: string) {
      await membershipOf(ctx, p, ws);
      const g = await ctx.store.getGroup(ws, groupId);
      if (!g) throw new KeyhouseError('not_found');
      return groupOut(g);
    },
    async createGroup(p: Principal, ws: string, input: { id?: string; name: string }) {
      await requireRole(ctx, p, ws, 'admin', 'group.create');
      const g = await write(ctx, ws, async (tx) => {
        const group = await tx.createGroup({
          workspaceId: ws,
          name: input.name,
          ...(input.id ? { id: input.id } : {}),
        });
        return {
          result: group,
          audit: [auditEvent(p, ws, 'group.create', 'group', group.id, { after: { name: group.name } })],
        };
      });
      return groupOut(g);
    },
    async deleteGroup(p: Principal, ws: string, groupId: string) {
      await requireRole(ctx, p, ws, 'admin', 'group.delete');
      await write(ctx, ws, async (tx) => {
        if (!(await tx.deleteGroup(ws, groupId))) throw new KeyhouseError('not_found');
        return {
          result: undefined,
          change: { type: 'group.delete', workspaceId: ws, groupId },
          audit: [auditEvent(p, ws, 'group.delete', 'group', groupId)],
        };
      });
    },
    async addGroupMember(p: Principal, ws: string, groupId: string, userId: string) {
      await requireRole(ctx, p, ws, 'admin', 'group.add-member');
      const g = await ctx.store.getGroup(ws, groupId);
      if (!g) throw new KeyhouseError('not_found');
      await requireUserMember(ws, userId);
      await write(ctx, ws, async (tx) => {
        await tx.addGroupMember(ws, groupId, userId);
        return {
          result: undefined,
          change: { type: 'group.add-member', workspaceId: ws, groupId, userId },
          audit: [auditEvent(p, ws, 'group.add-member', 'group', groupId, { after: { userId } })],
        };
      });
      return groupOut(g);
    },
    async removeGroupMember(p: Principal, ws: string, groupId: string, userId: string) {
      await requireRole(ctx, p, ws, 'admin', 'group.remove-member');
      const g = await ctx.store.getGroup(ws, groupId);
      if (!g) throw new KeyhouseError('not_found');
      await write(ctx, ws, async (tx) => {
        if (!(await tx.removeGroupMember(ws, groupId, userId))) throw new KeyhouseError('not_found');
        return {
          result: undefined,
          change: { type: 'group.remove-member', workspaceId: ws, groupId, userId },
          audit: [auditEvent(p, ws, 'group.remove-member', 'group', groupId, { before: { userId } })],
        };
      });
      return groupOut(g);
    },
  };
}

/** A workspace keeps at least one admin. */
async function assertAnotherAdmin(tx: StoreTransaction, ws: string, userId: string): Promise<void> {
  const admins = (await tx.listMemberships(ws)).filter((m) => m.role === 'admin' && m.userId !== userId);
  if (admins.length === 0) throw new KeyhouseError('conflict', 'A workspace keeps at least one admin.');
}
