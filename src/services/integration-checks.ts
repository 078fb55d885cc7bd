/**
 * What the integration use cases share: the checks of a permission set's subjects, the policy
 * view of a stored integration, conditional-update results, and the caller's view of one.
 */
import { KeyhouseError } from '../core/errors.ts';
import { validatePermissions } from '../core/policy/levels.ts';
import type {
  AllowedPipelines,
  IntegrationPermissions,
  IntegrationScope,
  PolicyIntegration,
} from '../core/policy/types.ts';
import type { StoreTransaction } from '../storage/store.ts';
import type { ConditionalResult, Integration } from '../storage/types.ts';
import { freshIndex, type Principal, type ServiceContext } from './context.ts';
import { type IntegrationOut, integrationOut } from './wire.ts';

/** A `validation_failed` error naming one field. */
export function invalid(path: string, message: string): KeyhouseError {
  return new KeyhouseError('validation_failed', undefined, { details: { fields: [{ path, message }] } });
}

/** The policy engine's view of a stored integration. */
export function policyOf(i: Integration): PolicyIntegration {
  return {
    id: i.id,
    workspaceId: i.workspaceId,
    name: i.name,
    scope: i.scope,
    ...(i.createdBy === null ? {} : { createdBy: i.createdBy }),
    permissions: i.permissions,
    allowedPipelines: i.allowedPipelines,
  };
}

/** Unwraps a conditional update: 404 when gone, 412 when another write came first. */
export function settled<T>(r: ConditionalResult<T>): T {
  if (r.status === 'not_found') throw new KeyhouseError('not_found');
  if (r.status === 'conflict') throw new KeyhouseError('precondition_failed');
  return r.value;
}

/** Checks that every user, group and pipeline an entry names exists in the workspace (and scope). */
export async function checkSubjects(
  tx: StoreTransaction,
  ws: string,
  scope: IntegrationScope,
  set: { permissions: IntegrationPermissions; allowedPipelines: AllowedPipelines },
) {
  const problems = validatePermissions(set.permissions);
  if (problems.length > 0) {
    throw new KeyhouseError('validation_failed', problems[0]!.message, {
      details: { fields: problems.map((pr) => ({ path: `body.${pr.path}`, message: pr.message })) },
    });
  }
  // One query per kind (per 500 ids), not one per entry; the first entry that fails is named.
  const { users, groups } = set.permissions;
  const members = await tx.membersAmong(
    ws,
    users.map((u) => u.id),
  );
  const missingUser = users.findIndex((u) => !members.has(u.id));
  if (missingUser >= 0) throw invalid(`body.users.${missingUser}.id`, 'is not a member of this workspace');
  const known = await tx.groupsAmong(
    ws,
    groups.map((g) => g.id),
  );
  const missingGroup = groups.findIndex((g) => !known.has(g.id));
  if (missingGroup >= 0) throw invalid(`body.groups.${missingGroup}.id`, 'is not a group of this workspace');
  if (set.allowedPipelines === 'ALL') return;
  const allowed = set.allowedPipelines;
  const projects = await tx.pipelinesAmong(
    ws,
    allowed.map((a) => a.id),
  );
  for (const [i, a] of allowed.entries()) {
    const project = projects.get(a.id);
    if (project === undefined)
      throw invalid(`body.allowedPipelines.${i}.id`, 'is not a pipeline of this workspace');
    if (scope.type === 'PROJECT' && project !== scope.projectId)
      throw invalid(
        `body.allowedPipelines.${i}.id`,
        'belongs to another project than this PROJECT integration',
      );
  }
}

/** The integration as the caller sees it: with the caller's level from a fresh index. */
export async function integrationOutFor(
  ctx: ServiceContext,
  p: Principal,
  i: Integration,
): Promise<IntegrationOut> {
  const index = await freshIndex(ctx);
  return integrationOut(i, index.level(p.userId, i.id, ctx.now()));
}

/** The integration, or `not_found`. */
export async function loadIntegration(ctx: ServiceContext, ws: string, id: string): Promise<Integration> {
  const i = await ctx.store.getIntegration(ws, id);
  if (!i) throw new KeyhouseError('not_found');
  return i;
}
