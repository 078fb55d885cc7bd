/**
 * Which pipelines may use an integration: scope and allowed pipelines alone (a user's DENY does
 * not break a pipeline). Pure.
 */
import { isActive, levelAllows } from './levels.ts';
import { resolve } from './resolve.ts';
import type { PolicyIntegration, PolicyMember, PolicyPipeline, Reason, RunDecision } from './types.ts';

/** The stable code of a refused run. */
export const INTEGRATION_PERMISSION_MISSING = 'integration_permission_missing' as const;

/** The rule that admitted or refused a pipeline. */
export type PipelineRule = Extract<Reason, { hop: 'pipeline' }>['rule'];

/** The user asking for a run, for grant-and-retry: the member and the ids of their groups. */
export interface RunAsker {
  readonly member: PolicyMember;
  readonly groupIds: readonly string[];
}

/** Whether the rule refuses for a reason that adding the pipeline to the allowed list cannot fix. */
export function isUngrantableRule(rule: PipelineRule): boolean {
  return rule === 'other-project' || rule === 'other-workspace';
}

/** The rule for one (pipeline, integration) pair: workspace, then scope, then the allowed list. */
export function pipelineRule(
  pipeline: PolicyPipeline,
  integration: PolicyIntegration,
  now: number,
): PipelineRule {
  if (pipeline.workspaceId !== integration.workspaceId) return 'other-workspace';
  const scope = integration.scope;
  if (scope.type === 'PROJECT' && scope.projectId !== pipeline.projectId) return 'other-project';
  const allowed = integration.allowedPipelines;
  if (allowed === 'ALL') return 'all';
  let expired = false;
  for (const entry of allowed) {
    if (entry.id !== pipeline.id) continue;
    if (isActive(entry.expiresAt, now)) return 'listed';
    expired = true;
  }
  return expired ? 'expired' : 'not-listed';
}

/** Whether a rule admits the pipeline. */
export function ruleAdmits(rule: PipelineRule): boolean {
  return rule === 'all' || rule === 'listed';
}

/** `Missing permissions to the following integration: <name>`, plural for several names. */
export function missingPermissionsMessage(names: readonly string[]): string {
  const noun = names.length === 1 ? 'integration' : 'integrations';
  return `Missing permissions to the following ${noun}: ${names.join(', ')}`;
}

/** Builds the run decision from the per-integration rules (shared by this module and the index). */
export function runDecisionOf(
  pipelineId: string,
  checks: readonly { readonly id: string; readonly name: string; readonly rule: PipelineRule }[],
  grantable: ((index: number) => Reason) | undefined,
): RunDecision {
  const reasons: Reason[] = checks.map((check) => ({
    hop: 'pipeline',
    pipelineId,
    integrationId: check.id,
    admitted: ruleAdmits(check.rule),
    rule: check.rule,
  }));
  const missingIndexes = checks.flatMap((check, index) => (ruleAdmits(check.rule) ? [] : [index]));
  if (missingIndexes.length === 0) return { allowed: true, missing: [], reasons };
  const missing = missingIndexes.map((index) => ({ id: checks[index]!.id, name: checks[index]!.name }));
  const base = {
    allowed: false,
    missing,
    code: INTEGRATION_PERMISSION_MISSING,
    message: missingPermissionsMessage(missing.map((entry) => entry.name)),
  };
  if (grantable === undefined) return { ...base, reasons };
  let canGrant = true;
  for (const index of missingIndexes) {
    const check = checks[index]!;
    if (isUngrantableRule(check.rule)) {
      canGrant = false;
      continue;
    }
    const reason = grantable(index);
    reasons.push(reason);
    if (reason.hop !== 'action' || !reason.allowed) canGrant = false;
  }
  return { ...base, canGrantAndRetry: canGrant, reasons };
}

/**
 * Checks a run of `pipeline` that uses `integrations`: allowed only if each one's scope and
 * allowed pipelines admit the pipeline. A refusal lists every missing integration; with `asUser`,
 * says whether that user may add the pipeline to each missing one and retry (needs the
 * grant-pipeline action, i.e. USE or MANAGE, and a missing integration the pipeline can be granted).
 */
export function checkRun(
  pipeline: PolicyPipeline,
  integrations: readonly PolicyIntegration[],
  now: number,
  asUser?: RunAsker,
): RunDecision {
  const checks = integrations.map((integration) => ({
    id: integration.id,
    name: integration.name,
    rule: pipelineRule(pipeline, integration, now),
  }));
  const grantable =
    asUser === undefined
      ? undefined
      : (index: number): Reason => {
          const integration = integrations[index]!;
          const level = resolve(asUser.member, asUser.groupIds, integration, now).level;
          const allowed = levelAllows(level, 'integration.grant-pipeline');
          return { hop: 'action', action: 'integration.grant-pipeline', required: 'USE', level, allowed };
        };
  return runDecisionOf(pipeline.id, checks, grantable);
}
