/**
 * The records the store reads and writes, in the domain's vocabulary (camelCase, epoch-ms
 * numbers, parsed JSON). Policy shapes are the decision engine's own types.
 */
import type { PolicyChange } from '../core/policy/changes.ts';
import type {
  AllowedPipelines,
  IntegrationPermissions,
  IntegrationScope,
  Role,
  RoleSource,
} from '../core/policy/types.ts';

/** Any JSON value. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };
/** A JSON object. */
export type JsonObject = { readonly [key: string]: JsonValue };

/** A workspace (tenant). */
export interface Workspace {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
}

/** The SCM repository a project mirrors. */
export interface ScmRepository {
  readonly host: string;
  /** `owner/name`, as the host spells it. */
  readonly fullName: string;
}

/** A project of a workspace. */
export interface Project {
  readonly id: string;
  readonly workspaceId: string;
  readonly name: string;
  readonly repository: ScmRepository | null;
  readonly createdAt: number;
}

/** A pipeline of a project. */
export interface Pipeline {
  readonly id: string;
  readonly workspaceId: string;
  readonly projectId: string;
  readonly name: string;
  readonly createdAt: number;
}

/** A user (global; joined to workspaces by memberships). */
export interface User {
  readonly id: string;
  readonly login: string;
  readonly displayName: string | null;
  readonly email: string | null;
  readonly createdAt: number;
}

/** A user's workspace role and where it came from. */
export interface Membership {
  readonly workspaceId: string;
  readonly userId: string;
  readonly role: Role;
  readonly roleSource: RoleSource;
  readonly updatedAt: number;
}

/** A user's role in one project. */
export interface ProjectRoleAssignment {
  readonly workspaceId: string;
  readonly projectId: string;
  readonly userId: string;
  readonly role: Role;
  readonly roleSource: RoleSource;
  readonly updatedAt: number;
}

/** Where a group came from: made by hand, or synced from an SCM team or group. */
export type GroupSource =
  | { readonly kind: 'manual' }
  | { readonly kind: 'scm'; readonly host: string; readonly team: string; readonly syncedAt: number };

/** A named set of users of a workspace. */
export interface Group {
  readonly id: string;
  readonly workspaceId: string;
  readonly name: string;
  readonly source: GroupSource;
  readonly createdAt: number;
}

/** A stored integration (never its secrets). `version` is the ETag. */
export interface Integration {
  readonly id: string;
  readonly workspaceId: string;
  readonly scope: IntegrationScope;
  readonly provider: string;
  readonly credentialType: string;
  readonly name: string;
  /** Non-secret configuration. */
  readonly config: JsonObject;
  readonly permissions: IntegrationPermissions;
  readonly allowedPipelines: AllowedPipelines;
  /** Latest verification status, as the verifier wrote it; null before the first. */
  readonly verification: JsonValue | null;
  readonly createdBy: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly version: number;
}

/** One encrypted secret field of an integration, exactly as the secrets module produced it. */
export interface EncryptedField {
  readonly field: string;
  /** The workspace data key that encrypted it. */
  readonly keyId: string;
  readonly iv: Uint8Array;
  readonly tag: Uint8Array;
  readonly ciphertext: Uint8Array;
  /** Format version of the envelope. */
  readonly version: number;
}

/** A workspace data key, wrapped by a master key. */
export interface WorkspaceKey {
  readonly workspaceId: string;
  readonly keyId: string;
  /** Empty once destroyed. */
  readonly wrappedKey: Uint8Array;
  readonly masterKeyId: string;
  readonly createdAt: number;
  readonly destroyedAt: number | null;
}

/** An API token record: the `kh_…` lookup prefix and the SHA-256 hash of the whole token. */
export interface ApiToken {
  readonly id: string;
  readonly workspaceId: string;
  readonly userId: string;
  readonly prefix: string;
  readonly hash: string;
  readonly name: string;
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly revokedAt: number | null;
  readonly lastUsedAt: number | null;
}

/** A web-UI session record: the SHA-256 hash of its secret only. */
export interface WebSession {
  readonly id: string;
  readonly userId: string;
  readonly hash: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly revokedAt: number | null;
  readonly lastSeenAt: number | null;
}

/** What a caller supplies to append an audit event. Never put a secret in `before`/`after`. */
export interface AuditEventInput {
  readonly workspaceId: string;
  /** Who acted: a user id, `token:<id>`, or `system`. */
  readonly actor: string;
  /** Dotted action, e.g. `integration.permissions.update`, `integration.manage.refused`. */
  readonly action: string;
  readonly targetType: string;
  readonly targetId?: string | null;
  readonly before?: JsonValue;
  readonly after?: JsonValue;
  readonly requestId?: string | null;
  /** Defaults to the store's clock. */
  readonly at?: number;
}

/** A stored audit event with its place in the workspace's hash chain. */
export interface AuditEvent {
  readonly workspaceId: string;
  readonly seq: number;
  readonly at: number;
  readonly actor: string;
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string | null;
  readonly before: JsonValue | null;
  readonly after: JsonValue | null;
  readonly requestId: string | null;
  readonly prevHash: string;
  readonly hash: string;
}

/** One entry of the global change log. */
export interface Change {
  readonly revision: number;
  readonly workspaceId: string | null;
  readonly kind: string;
  readonly ids: Readonly<Record<string, string>>;
  readonly at: number;
  /** The policy change the write applied to the index (replayed by other processes), or null. */
  readonly policyChange: PolicyChange | null;
}

/** Outcome of a conditional (ETag) update. */
export type ConditionalResult<T> =
  | { readonly status: 'updated'; readonly value: T }
  | { readonly status: 'conflict'; readonly currentVersion: number }
  | { readonly status: 'not_found' };

/** What a verification schedule reads of an integration (`listVerificationCandidates`). */
export type VerificationCandidate = Pick<
  Integration,
  'id' | 'workspaceId' | 'provider' | 'config' | 'verification' | 'createdAt'
>;
