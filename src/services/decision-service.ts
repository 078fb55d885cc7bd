/** Use cases that answer questions: check, explain, pipeline runs, platform actions, what-if. */
import { KeyhouseError } from '../core/errors.ts';
import type { PolicyChange } from '../core/policy/changes.ts';
import { explain, explainReason } from '../core/policy/explain.ts';
import { DEFAULT_PLATFORM_ACTIONS, decidePlatformAction } from '../core/policy/platform-actions.ts';
import type { PolicyIndex } from '../core/policy/policy-index.ts';
import type {
  AllowedPipelines,
  IntegrationAction,
  IntegrationScope,
  Level,
  Reason,
  Role,
} from '../core/policy/types.ts';
import { whatIf } from '../core/policy/what-if.ts';
import { freshIndex, membershipOf, type Principal, requireRole, type ServiceContext } from './context.ts';
import { msOf } from './wire.ts';

/** A what-if change as the API accepts it. */
export type WhatIfInput =
  | {
      kind: 'set-entry';
      integrationId: string;
      subject: 'user' | 'group';
      id: string;
      level: Level | null;
      expiresAt?: string;
    }
  | { kind: 'set-default'; integrationId: string; which: 'admins' | 'others'; level: Level }
  | { kind: 'group-membership'; groupId: string; userId: string; member: boolean }
  | { kind: 'role'; userId: string; role: Role | null; projectId?: string }
  | { kind: 'scope'; integrationId: string; scope: IntegrationScope }
  | {
      kind: 'allowed-pipelines';
      integrationId: string;
      allowedPipelines: 'ALL' | { id: string; expiresAt?: string }[];
    };

/** The answer for an integration the caller may not see: the same as for one that does not exist. */
const HIDDEN = {
  allowed: false,
  level: 'DENY' as Level,
  reasons: [] as Reason[],
  explanation: ['No integration with this id is visible to you.'],
};

function hiddenFromCaller(
  index: PolicyIndex,
  ws: string,
  callerId: string,
  integrationId: string,
  now: number,
): boolean {
  const i = index.integration(integrationId);
  return !i || i.workspaceId !== ws || index.level(callerId, integrationId, now) === 'DENY';
}

/** Decision use cases. */
export function decisionService(ctx: ServiceContext) {
  /** Maps an API what-if change to the engine's change vocabulary. */
  async function toPolicyChange(ws: string, change: WhatIfInput): Promise<PolicyChange> {
    switch (change.kind) {
      case 'set-entry': {
        const entry = {
          level: change.level ?? 'DENY',
          ...(change.expiresAt ? { expiresAt: msOf(change.expiresAt, 'body.change.expiresAt') } : {}),
        };
        if (change.subject === 'user') {
          return change.level === null
            ? { type: 'entry.remove-user', integrationId: change.integrationId, userId: change.id }
            : { type: 'entry.set-user', integrationId: change.integrationId, userId: change.id, entry };
        }
        return change.level === null
          ? { type: 'entry.remove-group', integrationId: change.integrationId, groupId: change.id }
          : { type: 'entry.set-group', integrationId: change.integrationId, groupId: change.id, entry };
      }
      case 'set-default':
        return {
          type: change.which === 'admins' ? 'admins.set' : 'others.set',
          integrationId: change.integrationId,
          entry: { level: change.level },
        };
      case 'group-membership':
        return {
          type: change.member ? 'group.add-member' : 'group.remove-member',
          workspaceId: ws,
          groupId: change.groupId,
          userId: change.userId,
        };
      case 'scope':
        return { type: 'integration.move', integrationId: change.integrationId, scope: change.scope };
      case 'allowed-pipelines': {
        const allowed: AllowedPipelines =
          change.allowedPipelines === 'ALL'
            ? 'ALL'
            : change.allowedPipelines.map((a) =>
                a.expiresAt
                  ? { id: a.id, expiresAt: msOf(a.expiresAt, 'body.change.allowedPipelines') }
                  : { id: a.id },
              );
        return { type: 'pipelines.set', integrationId: change.integrationId, allowedPipelines: allowed };
      }
      case 'role': {
        const m = await ctx.store.getMembership(ws, change.userId);
        if (!m) throw new KeyhouseError('validation_failed', 'The user is not a member of this workspace.');
        const roles = await ctx.store.listProjectRoles(ws, { userId: change.userId });
        const projectRoles: Record<string, Role> = Object.fromEntries(
          roles.map((r) => [r.projectId, r.role]),
        );
        if (change.projectId === undefined) {
          if (change.role === null) return { type: 'member.remove', workspaceId: ws, userId: change.userId };
          return {
            type: 'member.upsert',
            member: {
              userId: change.userId,
              workspaceId: ws,
              role: change.role,
              roleSource: { kind: 'manual' },
              projectRoles,
            },
          };
        }
        if (change.role === null) delete projectRoles[change.projectId];
        else projectRoles[change.projectId] = change.role;
        return {
          type: 'member.upsert',
          member: {
            userId: change.userId,
            workspaceId: ws,
            role: m.role,
            roleSource: m.roleSource,
            projectRoles,
          },
        };
      }
    }
  }

  return {
    /** Decides one action of a user (the caller by default) on an integration, with its explanation. */
    async check(
      p: Principal,
      ws: string,
      input: { userId?: string; integrationId: string; action: IntegrationAction; minRevision?: number },
    ) {
      const m = await membershipOf(ctx, p, ws);
      const subject = input.userId ?? p.userId;
      if (subject !== p.userId && m.role !== 'admin') {
        throw new KeyhouseError('forbidden', 'Only workspace admins may check another user’s access.');
      }
      const index = await freshIndex(ctx, input.minRevision);
      const now = ctx.now();
      if (hiddenFromCaller(index, ws, p.userId, input.integrationId, now)) return HIDDEN;
      const d = index.decide(subject, input.integrationId, input.action, now);
      return { allowed: d.allowed, level: d.level, reasons: [...d.reasons], explanation: [...explain(d)] };
    },
    /** Checks a pipeline run against the integrations it uses: every missing one is listed. */
    async checkRun(
      p: Principal,
      ws: string,
      input: { pipelineId: string; integrationIds: string[]; asUserId?: string },
    ) {
      const m = await membershipOf(ctx, p, ws);
      const index = await freshIndex(ctx);
      const pl = index.pipeline(input.pipelineId);
      if (!pl || pl.workspaceId !== ws) throw new KeyhouseError('not_found');
      const asUser = input.asUserId ?? p.userId;
      if (asUser !== p.userId && m.role !== 'admin')
        throw new KeyhouseError('forbidden', 'Only workspace admins may ask on behalf of another user.');
      const d = index.checkRun(input.pipelineId, input.integrationIds, ctx.now(), asUser);
      return { ...d, missing: [...d.missing], reasons: [...d.reasons], explanation: [...explain(d)] };
    },
    /** Decides a platform action for a user (the caller by default). */
    async checkPlatformAction(
      p: Principal,
      ws: string,
      input: { action: string; userId?: string; projectId?: string; accountOwnerId?: string },
    ) {
      const m = await membershipOf(ctx, p, ws);
      const subject = input.userId ?? p.userId;
      if (subject !== p.userId && m.role !== 'admin')
        throw new KeyhouseError('forbidden', 'Only workspace admins may check another user’s actions.');
      const sm = await ctx.store.getMembership(ws, subject);
      const roles = await ctx.store.listProjectRoles(ws, { userId: subject });
      const d = decidePlatformAction({
        action: input.action,
        actor: {
          userId: subject,
          ...(sm ? { workspaceRole: sm.role, workspaceRoleSource: sm.roleSource } : {}),
          projectRoles: Object.fromEntries(roles.map((r) => [r.projectId, r.role])),
        },
        workspaceId: ws,
        ...(input.projectId ? { projectId: input.projectId } : {}),
        ...(input.accountOwnerId ? { accountOwnerId: input.accountOwnerId } : {}),
        table: DEFAULT_PLATFORM_ACTIONS,
      });
      if (d.code === 'platform_action_unknown') {
        throw new KeyhouseError('validation_failed', `Unknown platform action: ${input.action}`, {
          details: { fields: [{ path: 'body.action', message: 'is not a known platform action' }] },
        });
      }
      // Users reach here (no pipeline-run hop); a platform action has no integration level to name.
      const hops = d.reasons.filter((r): r is Reason => r.hop !== 'pipeline-run').map(explainReason);
      return {
        allowed: d.allowed,
        reasons: [...d.reasons],
        explanation: [...hops, `Decided by the platform-action rule: ${d.allowed ? 'allowed' : 'refused'}.`],
      };
    },
    /** Predicts the effect of a change without applying it. Admins; or MANAGE on the integration it touches. */
    async whatIf(p: Principal, ws: string, change: WhatIfInput) {
      const index = await freshIndex(ctx);
      const now = ctx.now();
      if ('integrationId' in change) {
        if (hiddenFromCaller(index, ws, p.userId, change.integrationId, now))
          throw new KeyhouseError('not_found');
        if (!index.allows(p.userId, change.integrationId, 'integration.manage-permissions', now)) {
          await requireRole(ctx, p, ws, 'admin', 'what-if');
        }
      } else {
        await requireRole(ctx, p, ws, 'admin', 'what-if');
      }
      const result = whatIf(index, await toPolicyChange(ws, change), now);
      return { change, users: result.users, pipelines: result.pipelines };
    },
  };
}
