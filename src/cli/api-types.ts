/**
 * The wire types the CLI reads, written out from the route schemas of `src/http/plugins/`.
 * They are not derived with TypeBox `Static` because the level and role unions there are built
 * with `.map()` and resolve to `never` (reported to the HTTP layer's owner); once that is fixed,
 * these can become `Static<typeof …>` aliases so an API change breaks the CLI's type check.
 */
import type { Level, Role } from '../core/policy/types.ts';

/** A list answer: `{ items }`. */
export interface ItemList<T> {
  readonly items: T[];
}

/** `Workspace`. */
export interface WorkspaceBody {
  readonly id: string;
  readonly name: string;
  readonly yourRole: Role | null;
  readonly createdAt: string;
}

/** `Project`. */
export interface ProjectBody {
  readonly id: string;
  readonly workspaceId: string;
  readonly name: string;
  readonly repository: { readonly host: string; readonly fullName: string } | null;
  readonly createdAt: string;
}

/** `Pipeline`. */
export interface PipelineBody {
  readonly id: string;
  readonly workspaceId: string;
  readonly projectId: string;
  readonly name: string;
  readonly createdAt: string;
}

/** `User`. */
export interface UserBody {
  readonly id: string;
  readonly login: string;
  readonly displayName: string | null;
  readonly email: string | null;
}

/** `Member`: a workspace membership with its role, role source, project roles and groups. */
export interface MemberBody {
  readonly userId: string;
  readonly login: string;
  readonly role: Role;
  readonly roleSource:
    | { readonly kind: 'manual' }
    | { readonly kind: 'scm'; readonly host: string; readonly scmRole: string; readonly syncedAt: string };
  readonly projectRoles: Readonly<Record<string, Role>>;
  readonly groups: readonly string[];
}

/** `Group`. */
export interface GroupBody {
  readonly id: string;
  readonly workspaceId: string;
  readonly name: string;
  readonly members: readonly string[];
}

/** `ApiToken` (never its value, except once in the creation answer). */
export interface ApiTokenBody {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

/** `AuditEvent`. */
export interface AuditEventBody {
  readonly seq: number;
  readonly at: string;
  readonly actor: string | null;
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly requestId: string | null;
  readonly hash: string;
}

/** `Entry`: a level, optionally lapsing. */
export interface EntryBody {
  readonly level: Level;
  readonly expiresAt?: string;
}

/** `SubjectEntry`: a user or group entry. */
export interface SubjectEntryBody extends EntryBody {
  readonly id: string;
}

/** `Permissions` of an integration. */
export interface PermissionsBody {
  readonly admins: EntryBody;
  readonly others: EntryBody;
  readonly users: readonly SubjectEntryBody[];
  readonly groups: readonly SubjectEntryBody[];
  readonly allowedPipelines: 'ALL' | readonly { readonly id: string; readonly expiresAt?: string }[];
}

/** `Integration`: never a secret (credential values are write-only). */
export interface IntegrationBody {
  readonly id: string;
  readonly workspaceId: string;
  readonly name: string;
  readonly provider: string;
  readonly credentialType: string;
  readonly scope: { readonly type: 'WORKSPACE' } | { readonly type: 'PROJECT'; readonly projectId: string };
  readonly config: Readonly<Record<string, string | number | boolean | readonly string[]>>;
  readonly permissions: PermissionsBody;
  readonly credential: {
    readonly fields: readonly string[];
    readonly fingerprints: Readonly<Record<string, string>>;
    readonly replacedAt: string;
  };
  readonly verification: {
    readonly status: string;
    readonly checkedAt?: string;
    readonly findings?: readonly unknown[];
  };
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
  readonly yourLevel: Level;
}

/** `Decision`: allow or deny with the hops that decided. */
export interface DecisionBody {
  readonly allowed: boolean;
  readonly level: Level;
  readonly reasons: readonly ({ readonly hop: string } & Readonly<Record<string, unknown>>)[];
  readonly explanation: readonly string[];
}

/** The answer of `POST …/runs/check`. */
export interface RunDecisionBody {
  readonly allowed: boolean;
  readonly missing: readonly { readonly id: string; readonly name: string }[];
  readonly code?: string;
  readonly message?: string;
  readonly canGrantAndRetry?: boolean;
  readonly explanation: readonly string[];
}

/** The answer of `GET …/audit/verify`. */
export interface AuditVerifyBody {
  readonly ok: boolean;
  readonly checked: number;
  readonly firstBadSeq?: number;
  readonly problem?: string;
}
