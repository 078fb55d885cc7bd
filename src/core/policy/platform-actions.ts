/**
 * The platform's own actions (trigger a build, download logs, encrypt a secret, edit billing…) with
 * the minimal role each needs, as data. The defaults reproduce the seed table (the Shippable CI
 * permissions page): three "Yes" = member, two = collaborator, one = admin. A workspace may adjust
 * the table; personal-account actions belong to the account owner alone.
 */
import type { Reason, Role, RoleSource } from './types.ts';
import { ROLES } from './types.ts';

export { DEFAULT_PLATFORM_ACTIONS, minimalRoleFromYes } from './platform-action-table.ts';

/** Level at which an action is decided (the `level` of the `platform-action` reason). */
export type PlatformActionLevel = Extract<Reason, { hop: 'platform-action' }>['level'];

/** The levels a workspace may adjust. */
export type AdjustableLevel = Exclude<PlatformActionLevel, 'personal'>;

/** The Yes columns (Member, Collaborator, Admin) of a seed row: `Y` = "Yes", `-` = blank. */
export type SeedYes = 'YYY' | '-YY' | '--Y';

/** The seed row a rule came from: its Categories › Sub-categories › Actions path and Yes columns. */
export interface SeedRow {
  readonly path: string;
  /** Absent for the user-level rows ("all users … for their accounts"). */
  readonly yes?: SeedYes;
}

/** One action at one level. */
export interface PlatformActionRule {
  /** Dotted action id (`build.cancel`); an id may have a rule at several levels. */
  readonly action: string;
  readonly level: PlatformActionLevel;
  /** Minimal role, or `owner` for personal-account actions. */
  readonly required: Role | 'owner';
  readonly description: string;
  readonly seed: SeedRow;
  /** False where SPEC.md fixes the role (decrypt: admin only) or for personal actions. */
  readonly adjustable: boolean;
  /** Pipeline runs that may also perform it: of the same project, or of any project. */
  readonly pipelineRuns?: 'same-project' | 'any-project';
}

/** A table of platform actions, in display order. */
export type PlatformActionTable = readonly PlatformActionRule[];

/** Per-workspace adjustments: action id → level → role (unvalidated, as read from configuration). */
export type PlatformActionOverrides = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** Why an override was rejected. */
export interface PlatformActionOverrideError {
  readonly action: string;
  readonly level?: string;
  readonly code: 'unknown_action' | 'unknown_level' | 'unknown_role' | 'not_adjustable';
  readonly message: string;
}

/** The adjusted table, or every reason it could not be built. */
export type PlatformActionTableResult =
  | { readonly ok: true; readonly table: PlatformActionTable }
  | { readonly ok: false; readonly errors: readonly PlatformActionOverrideError[] };

function checkOverride(table: PlatformActionTable, action: string, level: string, role: unknown) {
  const fail = (code: PlatformActionOverrideError['code'], message: string): PlatformActionOverrideError => ({
    action,
    level,
    code,
    message: `platform action '${action}' at level '${level}': ${message}`,
  });
  const rules = table.filter((rule) => rule.action === action);
  const rule = rules.find((candidate) => candidate.level === level);
  if (rule === undefined) {
    const levels = rules.map((candidate) => candidate.level).join(', ');
    return fail('unknown_level', `the action has no rule at this level (it has: ${levels})`);
  }
  if (!rule.adjustable) return fail('not_adjustable', 'this rule is fixed and cannot be adjusted');
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role))
    return fail(
      'unknown_role',
      `unknown role '${typeof role === 'string' ? role.slice(0, 60) : `a ${typeof role}`}' (expected ${ROLES.join(', ')})`,
    );
  return undefined;
}

/**
 * Applies a workspace's adjustments to a table. Every override is checked (known action, a level
 * the action has, an adjustable rule, a known role); a bad one yields an error value, never a throw.
 */
export function withOverrides(
  defaults: PlatformActionTable,
  overrides: PlatformActionOverrides,
): PlatformActionTableResult {
  const errors: PlatformActionOverrideError[] = [];
  const wanted = new Map<string, Role>();
  for (const [action, levels] of Object.entries(overrides)) {
    if (!defaults.some((rule) => rule.action === action)) {
      errors.push({ action, code: 'unknown_action', message: `unknown platform action '${action}'` });
      continue;
    }
    for (const [level, role] of Object.entries(levels ?? {})) {
      const error = checkOverride(defaults, action, level, role);
      if (error === undefined) wanted.set(`${action} ${level}`, role as Role);
      else errors.push(error);
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const table = defaults.map((rule) => {
    const role = wanted.get(`${rule.action} ${rule.level}`);
    return role === undefined ? rule : { ...rule, required: role };
  });
  return { ok: true, table };
}

/** A user asking to perform a platform action. */
export interface PlatformUserActor {
  readonly kind?: 'user';
  readonly userId: string;
  /** Absent when the user is not a member of the workspace. */
  readonly workspaceRole?: Role;
  /** projectId → project role. */
  readonly projectRoles?: Readonly<Record<string, Role>>;
  /** Where the workspace role came from, named in the role hop (explain reaches the SCM role). */
  readonly workspaceRoleSource?: RoleSource;
  /** projectId → where that project role came from. */
  readonly projectRoleSources?: Readonly<Record<string, RoleSource>>;
}

/** A pipeline run asking to perform a platform action (only decrypt admits runs). */
export interface PlatformRunActor {
  readonly kind: 'pipeline-run';
  readonly pipelineId: string;
  readonly projectId: string;
}

/** The hop for a pipeline run; every other hop is a `Reason` of `types.ts`. */
export interface PipelineRunReason {
  readonly hop: 'pipeline-run';
  readonly action: string;
  readonly pipelineId: string;
  readonly projectId: string;
  readonly rule: 'same-project' | 'any-project' | 'other-project' | 'not-admitted';
  readonly allowed: boolean;
}

/** A hop of a platform-action decision. */
export type PlatformReason = Reason | PipelineRunReason;

/** Arguments of `decidePlatformAction`. */
export interface DecidePlatformActionOptions {
  readonly action: string;
  readonly actor: PlatformUserActor | PlatformRunActor;
  /** The project acted on; selects the repository-level rule where the action has one. */
  readonly projectId?: string;
  /** The workspace acted in; named in the membership hop of a non-member. */
  readonly workspaceId?: string;
  /** Owner of the personal account acted on. */
  readonly accountOwnerId?: string;
  readonly table: PlatformActionTable;
}

/** The outcome of a platform-action decision, with the hops that decided it. */
export interface PlatformDecision {
  readonly allowed: boolean;
  readonly reasons: readonly PlatformReason[];
  /** Set when the action is not in the table. */
  readonly code?: 'platform_action_unknown';
}

/**
 * The rule that decides: the personal rule for account actions; with a project, the repository
 * rule if the action has one; otherwise the organisation rule; a repository-only action asked
 * without a project is decided by its repository rule with the workspace role.
 */
export function selectPlatformRule(
  table: PlatformActionTable,
  action: string,
  projectId: string | undefined,
): PlatformActionRule | undefined {
  const rules = table.filter((rule) => rule.action === action);
  const at = (level: PlatformActionLevel) => rules.find((rule) => rule.level === level);
  return (
    at('personal') ??
    (projectId === undefined ? undefined : at('repository')) ??
    at('organisation') ??
    at('repository')
  );
}

const rank = (role: Role): number => ROLES.indexOf(role);

function decideForRun(
  rule: PlatformActionRule,
  run: PlatformRunActor,
  projectId: string | undefined,
): PlatformDecision {
  const { action } = rule;
  const base = { hop: 'pipeline-run', action, pipelineId: run.pipelineId, projectId: run.projectId } as const;
  let rule_: PipelineRunReason['rule'] = 'not-admitted';
  if (rule.pipelineRuns === 'any-project') rule_ = 'any-project';
  else if (rule.pipelineRuns === 'same-project')
    rule_ = run.projectId === projectId ? 'same-project' : 'other-project';
  const allowed = rule_ === 'same-project' || rule_ === 'any-project';
  return { allowed, reasons: [{ ...base, rule: rule_, allowed }] };
}

function decideForUser(
  rule: PlatformActionRule,
  actor: PlatformUserActor,
  options: DecidePlatformActionOptions,
): PlatformDecision {
  const { action, level, required } = rule;
  if (level === 'personal') {
    const allowed = options.accountOwnerId !== undefined && actor.userId === options.accountOwnerId;
    return { allowed, reasons: [{ hop: 'platform-action', action, level, required, allowed }] };
  }
  const reasons: PlatformReason[] = [];
  const { projectId } = options;
  const projectRole =
    level === 'repository' && projectId !== undefined ? actor.projectRoles?.[projectId] : undefined;
  const role = projectRole ?? actor.workspaceRole;
  if (projectRole !== undefined && projectId !== undefined) {
    const roleSource = actor.projectRoleSources?.[projectId];
    reasons.push({
      hop: 'role',
      role: projectRole,
      source: 'project',
      projectId,
      ...(roleSource && { roleSource }),
    });
  } else if (role !== undefined) {
    const roleSource = actor.workspaceRoleSource;
    reasons.push({ hop: 'role', role, source: 'workspace', ...(roleSource && { roleSource }) });
  } else if (options.workspaceId !== undefined) {
    reasons.push({ hop: 'membership', workspaceId: options.workspaceId, member: false });
  }
  const allowed = role !== undefined && required !== 'owner' && rank(role) >= rank(required);
  reasons.push({
    hop: 'platform-action',
    action,
    level,
    required,
    ...(role === undefined ? {} : { role }),
    allowed,
  });
  return { allowed, reasons };
}

/**
 * Decides whether a user (or a pipeline run) may perform a platform action. A project role, where
 * set, decides repository-level actions in that project; otherwise the workspace role decides.
 * Organisation-level actions use the workspace role; personal actions the account owner alone.
 * Without a role (not a member) the action is refused. Never throws.
 */
export function decidePlatformAction(options: DecidePlatformActionOptions): PlatformDecision {
  const rule = selectPlatformRule(options.table, options.action, options.projectId);
  if (rule === undefined) return { allowed: false, reasons: [], code: 'platform_action_unknown' };
  const { actor } = options;
  return actor.kind === 'pipeline-run'
    ? decideForRun(rule, actor, options.projectId)
    : decideForUser(rule, actor, options);
}
