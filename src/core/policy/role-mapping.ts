/**
 * SCM role → platform role: one lookup over the data of `scm-roles.ts`, per-workspace overrides,
 * the provenance of every mapped role, the staleness rule and the merge that keeps manual roles.
 */
import {
  DEFAULT_PLATFORM_ACTIONS,
  type PlatformActionLevel,
  type PlatformActionTable,
} from './platform-actions.ts';
import {
  isScmHost,
  isScmLevel,
  normaliseScmRole,
  SCM_HOSTS,
  SCM_ROLE_TABLE,
  type ScmHost,
  type ScmLevel,
  type ScmRoleRow,
  spellingsOf,
} from './scm-roles.ts';
import type { Role, RoleSource } from './types.ts';
import { ROLES } from './types.ts';

/** A platform role together with where it came from. */
export interface AssignedRole {
  readonly role: Role;
  readonly source: RoleSource;
}

/** The result of a mapping: the role, its provenance, and whether a workspace override decided it. */
export interface MappedRole extends AssignedRole {
  readonly source: Extract<RoleSource, { kind: 'scm' }>;
  readonly mappedBy: 'default' | 'override';
}

/** One override as written in a workspace's configuration (unvalidated). */
export interface ScmRoleOverrideInput {
  readonly host: string;
  readonly level: string;
  readonly scmRole: string;
  /** `member`, `collaborator`, `admin`, or `none` (the SCM role grants nothing). */
  readonly role: string;
}

/** Validated overrides of one workspace; only `createScmRoleOverrides` builds one. */
export interface ScmRoleOverrides {
  readonly kind: 'scm-role-overrides';
  /** `host level key` → role (`null`: grants nothing). */
  readonly entries: ReadonlyMap<string, Role | null>;
}

/** Why an override was rejected. */
export interface ScmRoleOverrideError {
  readonly index: number;
  readonly code: 'unknown_host' | 'unknown_level' | 'unknown_role' | 'empty_scm_role' | 'duplicate_override';
  readonly message: string;
}

/** Overrides ready for use, or every reason they are not. */
export type ScmRoleOverridesResult =
  | { readonly ok: true; readonly overrides: ScmRoleOverrides }
  | { readonly ok: false; readonly errors: readonly ScmRoleOverrideError[] };

/** Arguments of `mapScmRole`. */
export interface MapScmRoleOptions {
  readonly host: string;
  readonly level: ScmLevel;
  /** The role as the host reports it; kept verbatim in the provenance. */
  readonly scmRole: string;
  readonly overrides?: ScmRoleOverrides;
  /** Epoch ms of the sync that read the role. */
  readonly syncedAt: number;
}

/** The default staleness limit of a synced role: one hour. */
export const DEFAULT_STALENESS_LIMIT_MS = 3_600_000;

const entryKey = (host: ScmHost, level: ScmLevel, key: string): string => `${host} ${level} ${key}`;

function buildIndex(): ReadonlyMap<string, ScmRoleRow> {
  const index = new Map<string, ScmRoleRow>();
  for (const host of SCM_HOSTS) {
    for (const level of ['organisation', 'repository'] as const) {
      for (const row of SCM_ROLE_TABLE[host][level]) {
        for (const spelling of spellingsOf(row))
          index.set(entryKey(host, level, normaliseScmRole(host, spelling)), row);
      }
    }
  }
  return index;
}

const DEFAULT_INDEX = buildIndex();

/** The known row for an SCM role, or undefined when the host does not define that role. */
export function findScmRoleRow(host: ScmHost, level: ScmLevel, scmRole: string): ScmRoleRow | undefined {
  return DEFAULT_INDEX.get(entryKey(host, level, normaliseScmRole(host, scmRole)));
}

/**
 * Maps an SCM role to a platform role. A workspace override wins; then the default table.
 * A role the table maps to nothing, an unknown or custom role, or an unknown host gives
 * `undefined`: an unrecognised role never grants anything (a workspace maps it by override).
 */
export function mapScmRole(options: MapScmRoleOptions): MappedRole | undefined {
  const { host, level, scmRole, overrides, syncedAt } = options;
  if (!isScmHost(host)) return undefined;
  const key = entryKey(host, level, normaliseScmRole(host, scmRole));
  const source = { kind: 'scm', host, scmRole, syncedAt } as const;
  if (overrides?.entries.has(key)) {
    const role = overrides.entries.get(key) ?? null;
    return role === null ? undefined : { role, source, mappedBy: 'override' };
  }
  const role = DEFAULT_INDEX.get(key)?.role ?? null;
  return role === null ? undefined : { role, source, mappedBy: 'default' };
}

/** A safe rendering of any value for an error message: never throws, never long. */
function shown(value: unknown): string {
  if (typeof value === 'string') return value.slice(0, 60);
  if (value === null || ['number', 'boolean', 'undefined', 'bigint'].includes(typeof value))
    return String(value);
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}

function checkOverride(input: ScmRoleOverrideInput, index: number): ScmRoleOverrideError | undefined {
  const fail = (code: ScmRoleOverrideError['code'], message: string) => ({ index, code, message });
  if (typeof input.host !== 'string' || !isScmHost(input.host))
    return fail(
      'unknown_host',
      `override ${index}: unknown host '${shown(input.host)}' (expected ${SCM_HOSTS.join(', ')})`,
    );
  if (typeof input.level !== 'string' || !isScmLevel(input.level))
    return fail(
      'unknown_level',
      `override ${index}: unknown level '${shown(input.level)}' (expected organisation or repository)`,
    );
  if (typeof input.scmRole !== 'string' || input.scmRole.trim() === '')
    return fail('empty_scm_role', `override ${index}: scmRole must be a non-empty string`);
  if (
    typeof input.role !== 'string' ||
    !(input.role === 'none' || (ROLES as readonly string[]).includes(input.role))
  )
    return fail(
      'unknown_role',
      `override ${index}: unknown role '${shown(input.role)}' (expected ${ROLES.join(', ')} or none)`,
    );
  return undefined;
}

/** Every key an override covers: all spellings of a known role, or the custom role's own. */
function overrideKeys(host: ScmHost, level: ScmLevel, scmRole: string): readonly string[] {
  const row = findScmRoleRow(host, level, scmRole);
  const spellings = row === undefined ? [scmRole] : spellingsOf(row);
  return spellings.map((spelling) => entryKey(host, level, normaliseScmRole(host, spelling)));
}

/**
 * Validates a workspace's overrides. Any SCM role may be overridden, known or custom; the host,
 * level and role must be known, and one SCM role may be overridden once. An override of a known
 * role covers all its spellings (GitLab `30` and `developer`). Never throws.
 */
export function createScmRoleOverrides(inputs: readonly ScmRoleOverrideInput[]): ScmRoleOverridesResult {
  const errors: ScmRoleOverrideError[] = [];
  const entries = new Map<string, Role | null>();
  for (const [index, input] of inputs.entries()) {
    const error = checkOverride(input, index);
    const keys = error ? [] : overrideKeys(input.host as ScmHost, input.level as ScmLevel, input.scmRole);
    if (error !== undefined) errors.push(error);
    else if (keys.some((key) => entries.has(key))) {
      const message = `override ${index}: ${input.host} ${input.level} role '${input.scmRole}' is overridden twice`;
      errors.push({ index, code: 'duplicate_override', message });
    } else for (const key of keys) entries.set(key, input.role === 'none' ? null : (input.role as Role));
  }
  return errors.length > 0
    ? { ok: false, errors }
    : { ok: true, overrides: { kind: 'scm-role-overrides', entries } };
}

/**
 * True when a synced role is older than the limit (default one hour) and must be refreshed before
 * it decides anything. A manual role is never stale. A limit that is not a number counts as stale.
 */
export function isStale(
  source: RoleSource,
  now: number,
  limitMs: number = DEFAULT_STALENESS_LIMIT_MS,
): boolean {
  if (source.kind === 'manual') return false;
  return !(now - source.syncedAt <= limitMs);
}

/**
 * The role to keep after a sync. A manual role is never overwritten; otherwise the newer sync
 * wins, and a sync that maps to nothing (`undefined`) removes the synced role: access follows
 * the SCM.
 */
export function mergeRole(
  current: AssignedRole | undefined,
  synced: AssignedRole | undefined,
): AssignedRole | undefined {
  if (current?.source.kind === 'manual') return current;
  if (synced === undefined) return undefined;
  if (
    current?.source.kind === 'scm' &&
    synced.source.kind === 'scm' &&
    synced.source.syncedAt < current.source.syncedAt
  )
    return current;
  return synced;
}

const LEVEL_TITLES: Readonly<Record<PlatformActionLevel, string>> = {
  repository: 'Repository (project) level',
  organisation: 'Organisation (workspace) level',
  personal: 'Personal account (the account owner alone)',
};

const YES_COLUMNS = (yes: string | undefined): string =>
  yes === undefined ? 'all users, own account' : [...yes].map((c) => (c === 'Y' ? 'Yes' : '–')).join(' / ');

function renderPlatformActions(table: PlatformActionTable): string[] {
  const lines: string[] = [];
  for (const level of ['repository', 'organisation', 'personal'] as const) {
    lines.push(`### ${LEVEL_TITLES[level]}`, '');
    lines.push('| action | minimal role | description | seed row (Member / Collaborator / Admin) | notes |');
    lines.push('|---|---|---|---|---|');
    for (const rule of table.filter((candidate) => candidate.level === level)) {
      const notes = [
        rule.adjustable || level === 'personal' ? '' : 'fixed by SPEC.md',
        rule.pipelineRuns === undefined ? '' : `pipeline runs: ${rule.pipelineRuns}`,
      ].filter((note) => note !== '');
      const seed = `${rule.seed.path} (${YES_COLUMNS(rule.seed.yes)})`;
      lines.push(
        `| \`${rule.action}\` | ${rule.required} | ${rule.description} | ${seed} | ${notes.join('; ')} |`,
      );
    }
    lines.push('');
  }
  return lines;
}

function renderScmHost(host: ScmHost): string[] {
  const lines = [`### ${host}`, '', '| level | SCM role | also spelled | platform role | source | note |'];
  lines.push('|---|---|---|---|---|---|');
  for (const level of ['organisation', 'repository'] as const) {
    for (const row of SCM_ROLE_TABLE[host][level]) {
      const name = row.label === undefined ? `\`${row.scmRole}\`` : `\`${row.scmRole}\` ${row.label}`;
      const aliases = (row.aliases ?? []).map((alias) => `\`${alias}\``).join(', ');
      const cells = [level, name, aliases, row.role ?? 'nothing', row.source, row.note ?? ''];
      lines.push(`| ${cells.join(' | ')} |`);
    }
  }
  return [...lines, ''];
}

/**
 * The generated part of `docs/roles-and-actions.md`: the platform-action table (default, or the
 * given one) and the SCM role mapping, with the source of every row. Lowest SCM role first.
 */
export function renderRolesAndActionsMarkdown(table: PlatformActionTable = DEFAULT_PLATFORM_ACTIONS): string {
  const lines = ['## Platform actions', '', ...renderPlatformActions(table), '## SCM role mapping', ''];
  for (const host of SCM_HOSTS) {
    const sameAs = SCM_HOSTS.find(
      (other) => other !== host && SCM_ROLE_TABLE[other] === SCM_ROLE_TABLE[host],
    );
    if (sameAs !== undefined && SCM_HOSTS.indexOf(sameAs) < SCM_HOSTS.indexOf(host)) {
      lines.push(`### ${host}`, '', `Same as ${sameAs}.`, '');
    } else lines.push(...renderScmHost(host));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
