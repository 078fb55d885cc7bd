/**
 * Conversions between stored records (epoch ms) and the API's wire form (ISO 8601 strings).
 * Secrets never pass through here: an integration's credential appears as field names and
 * fingerprints only.
 */
import { KeyhouseError } from '../core/errors.ts';
import type {
  AllowedPipelines,
  Entry,
  IntegrationPermissions,
  Level,
  SubjectEntry,
} from '../core/policy/types.ts';
import type { Integration } from '../storage/types.ts';

/** Epoch ms → ISO 8601. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Optional epoch ms → ISO 8601 or null. */
export function isoOrNull(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : iso(ms);
}

/** ISO 8601 → epoch ms; a 400 naming the field when it does not parse. */
export function msOf(text: string, field: string): number {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) {
    throw new KeyhouseError('validation_failed', undefined, {
      details: { fields: [{ path: field, message: 'is not a date-time' }] },
    });
  }
  return ms;
}

/** The wire form of an entry. */
export interface WireEntry {
  level: Level;
  expiresAt?: string;
}

/** The wire form of permissions (with allowed pipelines, as the API groups them). */
export interface WirePermissions {
  admins: WireEntry;
  others: WireEntry;
  users: (WireEntry & { id: string })[];
  groups: (WireEntry & { id: string })[];
  allowedPipelines: 'ALL' | { id: string; expiresAt?: string }[];
}

function entryOut(e: Entry): WireEntry {
  return e.expiresAt === undefined ? { level: e.level } : { level: e.level, expiresAt: iso(e.expiresAt) };
}

function entryIn(e: WireEntry, path: string): Entry {
  return e.expiresAt === undefined
    ? { level: e.level }
    : { level: e.level, expiresAt: msOf(e.expiresAt, `${path}.expiresAt`) };
}

/** Stored permissions → wire. */
export function permissionsOut(p: IntegrationPermissions, allowed: AllowedPipelines): WirePermissions {
  return {
    admins: entryOut(p.admins),
    others: entryOut(p.others),
    users: p.users.map((u) => ({ id: u.id, ...entryOut(u) })),
    groups: p.groups.map((g) => ({ id: g.id, ...entryOut(g) })),
    allowedPipelines:
      allowed === 'ALL'
        ? 'ALL'
        : allowed.map((a) =>
            a.expiresAt === undefined ? { id: a.id } : { id: a.id, expiresAt: iso(a.expiresAt) },
          ),
  };
}

function subjectsIn(list: readonly (WireEntry & { id: string })[], path: string): SubjectEntry[] {
  const seen = new Set<string>();
  return list.map((s, i) => {
    if (seen.has(s.id)) {
      throw new KeyhouseError('validation_failed', undefined, {
        details: { fields: [{ path: `${path}.${i}.id`, message: 'appears twice' }] },
      });
    }
    seen.add(s.id);
    return { id: s.id, ...entryIn(s, `${path}.${i}`) };
  });
}

/** Wire permissions → stored form (validated shapes; dates parsed). */
export function permissionsIn(w: WirePermissions): {
  permissions: IntegrationPermissions;
  allowedPipelines: AllowedPipelines;
} {
  return {
    permissions: {
      admins: entryIn(w.admins, 'body.admins'),
      others: entryIn(w.others, 'body.others'),
      users: subjectsIn(w.users, 'body.users'),
      groups: subjectsIn(w.groups, 'body.groups'),
    },
    allowedPipelines:
      w.allowedPipelines === 'ALL'
        ? 'ALL'
        : w.allowedPipelines.map((a, i) =>
            a.expiresAt === undefined
              ? { id: a.id }
              : { id: a.id, expiresAt: msOf(a.expiresAt, `body.allowedPipelines.${i}.expiresAt`) },
          ),
  };
}

/** Credential metadata kept in config under a reserved key: field names and fingerprints. */
export const CREDENTIAL_META_KEY = '__credential';

/** Credential metadata stored beside the config (never a secret). */
export interface CredentialMeta {
  fields: string[];
  fingerprints: Record<string, string>;
  replacedAt: number;
}

/** A stored integration → the API object, with the caller's level. */
export function integrationOut(i: Integration, yourLevel: Level) {
  const { [CREDENTIAL_META_KEY]: meta, ...config } = i.config as Record<string, unknown>;
  const m = (meta ?? { fields: [], fingerprints: {}, replacedAt: i.createdAt }) as CredentialMeta;
  const verification = (i.verification ?? { status: 'unverified' }) as {
    status: string;
    checkedAt?: number;
    findings?: unknown[];
  };
  return {
    id: i.id,
    workspaceId: i.workspaceId,
    name: i.name,
    provider: i.provider,
    credentialType: i.credentialType,
    scope: i.scope,
    config: config as Record<string, string | number | boolean | string[]>,
    permissions: permissionsOut(i.permissions, i.allowedPipelines),
    credential: { fields: m.fields, fingerprints: m.fingerprints, replacedAt: iso(m.replacedAt) },
    verification: {
      status: verification.status,
      ...(verification.checkedAt === undefined ? {} : { checkedAt: iso(verification.checkedAt) }),
      ...(verification.findings === undefined ? {} : { findings: verification.findings }),
    },
    createdBy: i.createdBy,
    createdAt: iso(i.createdAt),
    updatedAt: iso(i.updatedAt),
    version: i.version,
    yourLevel,
  };
}

/** The API object of an integration. */
export type IntegrationOut = ReturnType<typeof integrationOut>;
