/**
 * `permissions set` flags applied to the permissions read from the server: `--admins MANAGE`,
 * `--others USE`, `--user u1=USE`, `--group g1=DENY@2026-12-01T00:00:00Z`, `--remove-user u1`,
 * `--pipelines ALL|p1,p2@TIME`. Buddy.Works' names `USE_ONLY` and `DENIED` are accepted too.
 */
import { LEVELS, type Level } from '../core/policy/types.ts';
import type { PermissionsBody } from './api-types.ts';
import { UsageError } from './cli-error.ts';

/** The flags of `permissions set`, as given. */
export interface PermissionFlags {
  readonly admins?: string;
  readonly others?: string;
  readonly users: readonly string[];
  readonly groups: readonly string[];
  readonly removeUsers: readonly string[];
  readonly removeGroups: readonly string[];
  readonly pipelines?: string;
}

const ALIASES: Readonly<Record<string, Level>> = { USE_ONLY: 'USE', DENIED: 'DENY' };
type Entry = PermissionsBody['admins'];
type SubjectEntry = PermissionsBody['users'][number];

/** Parses a level name (any case; Buddy.Works aliases accepted). */
export function parseLevel(text: string, flag: string): Level {
  const upper = text.trim().toUpperCase().replaceAll('-', '_');
  const level = ALIASES[upper] ?? LEVELS.find((l) => l === upper);
  if (!level)
    throw new UsageError(`${flag}: '${text}' is not a level (${LEVELS.join(', ')})`, 'permissions set');
  return level;
}

/** Parses an expiry (ISO 8601 date-time) into its canonical UTC form. */
export function parseExpiry(text: string, flag: string): string {
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(ms)) {
    throw new UsageError(
      `${flag}: '${text}' is not an ISO 8601 date-time such as 2026-12-01T00:00:00Z`,
      'permissions set',
    );
  }
  return new Date(ms).toISOString();
}

/** Splits `VALUE@EXPIRY`. */
function splitExpiry(text: string, flag: string): { value: string; expiresAt?: string } {
  const at = text.indexOf('@');
  if (at < 0) return { value: text };
  return { value: text.slice(0, at), expiresAt: parseExpiry(text.slice(at + 1), flag) };
}

/** Parses `LEVEL[@EXPIRY]` for `--admins` and `--others`. */
export function parseDefaultEntry(text: string, flag: string): Entry {
  const { value, expiresAt } = splitExpiry(text, flag);
  const level = parseLevel(value, flag);
  return expiresAt === undefined ? { level } : { level, expiresAt };
}

/** Parses `ID=LEVEL[@EXPIRY]` for `--user` and `--group`. */
export function parseSubjectEntry(text: string, flag: string): SubjectEntry {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`${flag}: expected ID=LEVEL[@EXPIRY], got '${text}'`, 'permissions set');
  const id = text.slice(0, eq);
  return { id, ...parseDefaultEntry(text.slice(eq + 1), flag) };
}

/** Parses `--pipelines ALL` or `p1,p2@EXPIRY,…`. */
export function parsePipelines(text: string): PermissionsBody['allowedPipelines'] {
  if (text.trim().toUpperCase() === 'ALL') return 'ALL';
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return items.map((item) => {
    const { value, expiresAt } = splitExpiry(item, '--pipelines');
    if (value === '') throw new UsageError(`--pipelines: '${item}' names no pipeline`, 'permissions set');
    return expiresAt === undefined ? { id: value } : { id: value, expiresAt };
  });
}

/** Upserts entries by id (the last flag for an id wins) and drops removed ids. */
function mergeSubjects(
  current: readonly SubjectEntry[],
  added: readonly SubjectEntry[],
  removed: readonly string[],
): SubjectEntry[] {
  const byId = new Map(current.map((e) => [e.id, e]));
  for (const entry of added) byId.set(entry.id, entry);
  for (const id of removed) byId.delete(id);
  return [...byId.values()];
}

/** True when no flag changes anything. */
export function isEmptyChange(flags: PermissionFlags): boolean {
  return (
    flags.admins === undefined &&
    flags.others === undefined &&
    flags.pipelines === undefined &&
    flags.users.length + flags.groups.length + flags.removeUsers.length + flags.removeGroups.length === 0
  );
}

/** The permissions after applying `flags` to `current`; `current` is not modified. */
export function applyPermissionFlags(current: PermissionsBody, flags: PermissionFlags): PermissionsBody {
  return {
    admins: flags.admins === undefined ? current.admins : parseDefaultEntry(flags.admins, '--admins'),
    others: flags.others === undefined ? current.others : parseDefaultEntry(flags.others, '--others'),
    users: mergeSubjects(
      current.users,
      flags.users.map((u) => parseSubjectEntry(u, '--user')),
      flags.removeUsers,
    ),
    groups: mergeSubjects(
      current.groups,
      flags.groups.map((g) => parseSubjectEntry(g, '--group')),
      flags.removeGroups,
    ),
    allowedPipelines:
      flags.pipelines === undefined ? current.allowedPipelines : parsePipelines(flags.pipelines),
  };
}
