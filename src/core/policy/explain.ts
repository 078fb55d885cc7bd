/**
 * Turns a decision into plain English: one sentence per hop, then the hop that decided.
 */
import { levelsAllowing } from './levels.ts';
import type { Decision, IntegrationAction, Reason, RunDecision } from './types.ts';
import { INTEGRATION_ACTIONS } from './types.ts';

const expiry = (expiresAt: number | undefined): string =>
  expiresAt === undefined ? '' : ` until ${new Date(expiresAt).toISOString()}`;

const PIPELINE_RULES: Readonly<Record<Extract<Reason, { hop: 'pipeline' }>['rule'], string>> = {
  all: 'allows every pipeline',
  listed: 'lists the pipeline among its allowed pipelines',
  'not-listed': 'does not list the pipeline among its allowed pipelines',
  expired: 'lists the pipeline, but that grant has expired',
  'other-project': 'belongs to another project',
  'other-workspace': 'belongs to another workspace (or does not exist)',
};

function isIntegrationAction(action: string): action is IntegrationAction {
  return (INTEGRATION_ACTIONS as readonly string[]).includes(action);
}

/** One plain-English sentence for one hop. */
export function explainReason(reason: Reason): string {
  switch (reason.hop) {
    case 'membership':
      return reason.member
        ? `The user is a member of workspace ${reason.workspaceId}.`
        : `The user is not a member of workspace ${reason.workspaceId}, so the integration does not exist for them.`;
    case 'role': {
      const where = reason.source === 'project' ? `project ${reason.projectId ?? ''} role` : 'workspace role';
      const from =
        reason.roleSource?.kind === 'scm'
          ? ` (from ${reason.roleSource.host} role ${reason.roleSource.scmRole})`
          : '';
      return `The user's ${where} is ${reason.role}${from}.`;
    }
    case 'scope':
      if (reason.scope.type === 'WORKSPACE') return 'The integration is workspace-wide.';
      return reason.admitted
        ? `The integration belongs to project ${reason.scope.projectId}, which the user can see.`
        : `The integration belongs to project ${reason.scope.projectId}, outside the user's reach, so it does not exist for them.`;
    case 'user-entry':
      return `The user's own entry gives ${reason.level}${expiry(reason.expiresAt)}; it wins over groups and others.`;
    case 'group-entry':
      return `The highest entry among the user's groups is ${reason.level}, from group ${reason.groupId}${expiry(reason.expiresAt)}.`;
    case 'others':
      return reason.outsideProject
        ? "The 'others' level applies to project members only, and the user is not one: DENY before the admin floor."
        : `No user or group entry applies, so the 'others' level ${reason.level} applies.`;
    case 'expired':
      return `The ${reason.subject} entry${reason.id === undefined ? '' : ` for ${reason.id}`} expired at ${new Date(reason.expiresAt).toISOString()} and is ignored.`;
    case 'admin-floor':
      return `As an administrator the user is raised from ${reason.from} to the admins level ${reason.to}.`;
    case 'role-cap':
      return `The ${reason.role} role caps ${reason.from} at ${reason.to}: members never edit or delete integrations.`;
    case 'action': {
      const needs = isIntegrationAction(reason.action)
        ? levelsAllowing(reason.action).join(' or ')
        : reason.required;
      return `${reason.action} needs ${needs}; the user has ${reason.level}, so it is ${reason.allowed ? 'allowed' : 'refused'}.`;
    }
    case 'pipeline':
      return `Integration ${reason.integrationId} ${PIPELINE_RULES[reason.rule]}: pipeline ${reason.pipelineId} is ${reason.admitted ? 'admitted' : 'refused'}.`;
    case 'platform-action':
      return `${reason.action} needs ${reason.required} at ${reason.level} level; the user is ${reason.role ?? 'without a role'}, so it is ${reason.allowed ? 'allowed' : 'refused'}.`;
  }
}

/** The index of the hop that decided: the last hop that set or refused the outcome. */
export function decidingHop(reasons: readonly Reason[]): number {
  for (let index = reasons.length - 1; index >= 0; index--) {
    const reason = reasons[index]!;
    if (reason.hop === 'action' && reason.allowed) continue;
    if (reason.hop === 'pipeline' && reason.admitted) continue;
    if (reason.hop === 'expired' || (reason.hop === 'membership' && reason.member)) continue;
    if (reason.hop === 'role' || (reason.hop === 'scope' && reason.admitted)) continue;
    return index;
  }
  return reasons.length - 1;
}

/**
 * Explains a decision or a run decision: one sentence per hop in order, then a final sentence
 * naming the hop that decided.
 */
export function explain(decision: Decision | RunDecision): readonly string[] {
  const sentences = decision.reasons.map(explainReason);
  if ('missing' in decision) {
    if (decision.allowed)
      return [...sentences, 'Decided by the pipeline rules: every integration admits the pipeline.'];
    const retry =
      decision.canGrantAndRetry === undefined
        ? ''
        : decision.canGrantAndRetry
          ? ' The user may add the pipeline and retry.'
          : ' The user may not add the pipeline and retry.';
    return [...sentences, `Decided by the pipeline rules: ${decision.message ?? ''}.${retry}`];
  }
  const hop = decision.reasons[decidingHop(decision.reasons)];
  const outcome = decision.allowed ? `allowed at ${decision.level}` : `refused (level ${decision.level})`;
  return [...sentences, `Decided by the ${hop?.hop ?? 'default'} hop: ${outcome}.`];
}
