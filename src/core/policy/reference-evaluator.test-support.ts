/**
 * A plain reference evaluator, written separately and naively from SPEC.md and docs/permissions.md
 * for the model-based tests. It shares no code with the engine, only the types. Slow on purpose:
 * every answer is a linear search over plain data.
 */
import type { IntegrationAction, Level, PolicyData, PolicyIntegration, RunDecision } from './types.ts';

const ORDER: readonly Level[] = ['DENY', 'DELETE_ONLY', 'USE', 'MANAGE'];
const CAN: Readonly<Record<Level, readonly IntegrationAction[]>> = {
  DENY: [],
  DELETE_ONLY: ['integration.view', 'integration.delete'],
  USE: ['integration.view', 'integration.use', 'integration.verify', 'integration.grant-pipeline'],
  MANAGE: [
    'integration.view',
    'integration.use',
    'integration.verify',
    'integration.grant-pipeline',
    'integration.edit',
    'integration.manage-permissions',
    'integration.delete',
  ],
};

const higher = (a: Level, b: Level): Level => (ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b);
const lower = (a: Level, b: Level): Level => (ORDER.indexOf(a) <= ORDER.indexOf(b) ? a : b);
const stillValid = (expiresAt: number | undefined, now: number): boolean =>
  expiresAt === undefined || expiresAt > now;

/** The reference level of a user on an integration. */
export function referenceLevel(data: PolicyData, userId: string, integrationId: string, now: number): Level {
  const integration = data.integrations.find((candidate) => candidate.id === integrationId);
  if (integration === undefined) return 'DENY';
  const member = data.members.find((m) => m.userId === userId && m.workspaceId === integration.workspaceId);
  if (member === undefined) return 'DENY';
  const workspaceAdmin = member.role === 'admin';
  let role = member.role;
  let othersCount = true;
  if (integration.scope.type === 'PROJECT') {
    const projectRole = member.projectRoles?.[integration.scope.projectId];
    if (workspaceAdmin) othersCount = projectRole !== undefined;
    else if (projectRole === undefined) return 'DENY';
    else role = projectRole;
  }
  let level: Level;
  const mine = integration.permissions.users.find((entry) => entry.id === userId);
  if (mine !== undefined && stillValid(mine.expiresAt, now)) {
    level = mine.level;
  } else {
    const myGroups = data.groups
      .filter((group) => group.workspaceId === integration.workspaceId && group.userIds.includes(userId))
      .map((group) => group.id);
    const groupLevels = integration.permissions.groups
      .filter((entry) => myGroups.includes(entry.id) && stillValid(entry.expiresAt, now))
      .map((entry) => entry.level);
    if (groupLevels.length > 0) level = groupLevels.reduce(higher);
    else {
      const others = integration.permissions.others;
      level = othersCount && stillValid(others.expiresAt, now) ? others.level : 'DENY';
    }
  }
  if (workspaceAdmin || role === 'admin') {
    const admins = integration.permissions.admins;
    const floor = stillValid(admins.expiresAt, now) ? higher(admins.level, 'DELETE_ONLY') : 'DELETE_ONLY';
    level = higher(level, floor);
  }
  if (role === 'member') level = lower(level, 'USE');
  return level;
}

/** Whether the reference allows the action. */
export function referenceAllows(
  data: PolicyData,
  userId: string,
  integrationId: string,
  action: IntegrationAction,
  now: number,
): boolean {
  return CAN[referenceLevel(data, userId, integrationId, now)].includes(action);
}

/** The reference list of visible integration ids, sorted. */
export function referenceList(
  data: PolicyData,
  userId: string,
  workspaceId: string,
  now: number,
  projectId?: string,
): string[] {
  return data.integrations
    .filter((integration) => integration.workspaceId === workspaceId)
    .filter(
      (integration) =>
        projectId === undefined ||
        integration.scope.type === 'WORKSPACE' ||
        integration.scope.projectId === projectId,
    )
    .filter((integration) => referenceLevel(data, userId, integration.id, now) !== 'DENY')
    .map((integration) => integration.id)
    .sort();
}

function pipelineMayUse(
  data: PolicyData,
  pipelineId: string,
  integration: PolicyIntegration | undefined,
  now: number,
): boolean {
  const pipeline = data.pipelines.find((candidate) => candidate.id === pipelineId);
  if (pipeline === undefined || integration === undefined) return false;
  if (pipeline.workspaceId !== integration.workspaceId) return false;
  if (integration.scope.type === 'PROJECT' && integration.scope.projectId !== pipeline.projectId)
    return false;
  if (integration.allowedPipelines === 'ALL') return true;
  return integration.allowedPipelines.some(
    (entry) => entry.id === pipelineId && stillValid(entry.expiresAt, now),
  );
}

/** Whether the reference lets the pipeline use the integration. */
export function referenceAdmits(
  data: PolicyData,
  pipelineId: string,
  integrationId: string,
  now: number,
): boolean {
  return pipelineMayUse(
    data,
    pipelineId,
    data.integrations.find((candidate) => candidate.id === integrationId),
    now,
  );
}

/** The reference run check (reasons left out). */
export function referenceRun(
  data: PolicyData,
  pipelineId: string,
  integrationIds: readonly string[],
  now: number,
  asUserId?: string,
): Omit<RunDecision, 'reasons'> {
  const missing = integrationIds
    .filter((id) => !referenceAdmits(data, pipelineId, id, now))
    .map((id) => ({ id, name: data.integrations.find((candidate) => candidate.id === id)?.name ?? id }));
  if (missing.length === 0) return { allowed: true, missing: [] };
  const names = missing.map((entry) => entry.name).join(', ');
  const message =
    missing.length === 1
      ? `Missing permissions to the following integration: ${names}`
      : `Missing permissions to the following integrations: ${names}`;
  const result = { allowed: false, missing, code: 'integration_permission_missing' as const, message };
  if (asUserId === undefined) return result;
  const pipeline = data.pipelines.find((candidate) => candidate.id === pipelineId);
  const canGrantAndRetry = missing.every(({ id }) => {
    const integration = data.integrations.find((candidate) => candidate.id === id);
    if (
      pipeline === undefined ||
      integration === undefined ||
      integration.workspaceId !== pipeline.workspaceId
    )
      return false;
    if (integration.scope.type === 'PROJECT' && integration.scope.projectId !== pipeline.projectId)
      return false;
    const level = referenceLevel(data, asUserId, id, now);
    return level === 'USE' || level === 'MANAGE';
  });
  return { ...result, canGrantAndRetry };
}

export { applyToData } from './reference-apply.test-support.ts';
