/**
 * What the token's user may do where the integration points: the project (or group) it can see,
 * its access level there against the minimal role of the enabled features, and the branch.
 */
import { Compile } from 'typebox/compile';
import type { RoleRequirement } from '../../core/catalogue/index.ts';
import type { HttpClient, HttpOutcome, VerificationReport } from '../http/index.ts';
import { recordRepositoryFailure, recordRoleShortfall, sharedCheck } from '../http/index.ts';
import type { CheckResult } from '../types.ts';
import type { GitlabConfig } from './gitlab-config.ts';
import { ACCESS_LEVELS, type GitlabProject, MemberSchema, ProjectSchema } from './gitlab-schema.ts';
import { commonFailure } from './gitlab-token.ts';

const project = Compile(ProjectSchema);
const member = Compile(MemberSchema);

/** The acceptable scopes named by a 403 `insufficient_scope` body, when it is one. */
export function insufficientScope(outcome: HttpOutcome): string[] | undefined {
  if (outcome.kind !== 'response' || outcome.status !== 403) return undefined;
  const body = outcome.json as { error?: unknown; scope?: unknown } | undefined;
  if (body?.error !== 'insufficient_scope') return undefined;
  return typeof body.scope === 'string' ? body.scope.split(/\s+/).filter(Boolean) : [];
}

function levelName(level: number): string {
  return `${ACCESS_LEVELS[level] ?? 'access level'} (${level})`;
}

function deniedDetail(outcome: HttpOutcome, what: string): { detail: string; fix: string } {
  const scopes = insufficientScope(outcome);
  if (scopes !== undefined) {
    return {
      detail: `GitLab refused to read the ${what}: the token lacks one of ${scopes.join(', ')} (403 insufficient_scope).`,
      fix: `Add ${scopes.join(' or ')} to the token.`,
    };
  }
  const status = outcome.kind === 'response' ? outcome.status : 0;
  return status === 404
    ? {
        detail: `The ${what} does not exist or the token's user cannot see it (GitLab answers 404 for both).`,
        fix: `Check the configured ${what} path and add the token's user to it.`,
      }
    : {
        detail: `GitLab answered ${status} for the ${what}.`,
        fix: `Give the token's user access to the ${what}.`,
      };
}

/** The project, with the `repository-access` check; undefined when it cannot be read. */
export async function readProject(
  client: HttpClient,
  report: VerificationReport,
  config: GitlabConfig,
): Promise<{ stop?: ReturnType<typeof commonFailure>; project?: GitlabProject }> {
  if (config.project === undefined) {
    report.check(sharedCheck('repository-access', 'skipped', 'No project is configured.'));
    return {};
  }
  const outcome = await client.request(`/projects/${encodeURIComponent(config.project)}`);
  const stop = commonFailure(report, outcome, 'token');
  if (stop !== undefined) return { stop };
  if (outcome.kind === 'response' && outcome.status === 200 && project.Check(outcome.json)) {
    const found = outcome.json;
    report.check(sharedCheck('repository-access', 'pass', `Reads ${found.path_with_namespace}.`));
    return { project: found };
  }
  const { detail, fix } = deniedDetail(outcome, 'project');
  recordRepositoryFailure(report, detail, fix);
  return {};
}

/** The effective access level: on the project (max of direct and inherited), or on the group. */
export async function readAccessLevel(
  client: HttpClient,
  config: GitlabConfig,
  found: GitlabProject | undefined,
  userId: number | undefined,
): Promise<{ level?: number; where: string }> {
  if (found !== undefined) {
    const levels = [found.permissions?.project_access, found.permissions?.group_access]
      .map((access) => access?.access_level)
      .filter((level): level is number => level !== undefined);
    return levels.length === 0
      ? { where: 'project' }
      : { level: Math.max(...levels), where: `project ${found.path_with_namespace}` };
  }
  if (config.group === undefined || userId === undefined) return { where: 'none' };
  const outcome = await client.request(`/groups/${encodeURIComponent(config.group)}/members/all/${userId}`);
  if (outcome.kind === 'response' && outcome.status === 200 && member.Check(outcome.json)) {
    return { level: outcome.json.access_level, where: `group ${config.group}` };
  }
  return { level: 0, where: `group ${config.group}` };
}

/** The `role` check: the access level against the highest minimal role of the enabled features. */
export function checkRole(
  report: VerificationReport,
  required: readonly { feature: string; role: RoleRequirement }[],
  level: number | undefined,
  where: string,
): void {
  const needed = required.filter((entry) => entry.role.accessLevel !== undefined);
  if (needed.length === 0 || where === 'none') {
    const detail =
      where === 'none' ? 'No project or group is configured.' : 'No enabled feature needs a role.';
    report.check(sharedCheck('role', 'skipped', detail));
    return;
  }
  if (level === undefined) {
    report.check(sharedCheck('role', 'skipped', `GitLab did not report an access level on the ${where}.`));
    return;
  }
  const short = needed.filter((entry) => (entry.role.accessLevel ?? 0) > level);
  if (short.length === 0) {
    report.check(sharedCheck('role', 'pass', `${levelName(level)} on the ${where}.`));
    return;
  }
  const top = Math.max(...short.map((entry) => entry.role.accessLevel ?? 0));
  const fix = `Give the token's user (or bot) the ${levelName(top)} role on the ${where}.`;
  const messages = short.map(
    (entry) =>
      `Feature ${entry.feature} needs ${levelName(entry.role.accessLevel ?? 0)}; the token's user has ${levelName(level)} on the ${where}.`,
  );
  recordRoleShortfall(report, messages, `${levelName(level)} is below ${levelName(top)}.`, fix);
}

/** The `branch-exists` check. */
export async function checkBranch(
  client: HttpClient,
  config: GitlabConfig,
  readable: boolean,
): Promise<CheckResult> {
  if (config.project === undefined || config.branch === undefined)
    return sharedCheck('branch-exists', 'skipped', 'No project and branch are configured.');
  if (!readable) return sharedCheck('branch-exists', 'skipped', 'The project could not be read.');
  const path = `/projects/${encodeURIComponent(config.project)}/repository/branches/${encodeURIComponent(config.branch)}`;
  const outcome = await client.request(path);
  if (outcome.kind === 'response' && outcome.status === 200)
    return sharedCheck('branch-exists', 'pass', `Branch ${config.branch} exists.`);
  const status = outcome.kind === 'response' ? String(outcome.status) : outcome.kind;
  return sharedCheck(
    'branch-exists',
    'fail',
    `Branch ${config.branch} was not found (${status}).`,
    `Create branch ${config.branch} or configure an existing one.`,
  );
}
