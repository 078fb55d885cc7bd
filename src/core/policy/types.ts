/**
 * Public types of the decision engine. Pure data: no I/O, no clock (time is always an argument,
 * epoch milliseconds).
 */

/** Integration permission levels, lowest first. Index order is the level order. */
export const LEVELS = ['DENY', 'DELETE_ONLY', 'USE', 'MANAGE'] as const;
export type Level = (typeof LEVELS)[number];

/** Platform roles, lowest first (workspace role, and project role with the same values). */
export const ROLES = ['member', 'collaborator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Where a role came from: set by hand (never overwritten by sync) or mapped from an SCM role. */
export type RoleSource =
  | { readonly kind: 'manual' }
  | {
      readonly kind: 'scm';
      readonly host: string;
      /** The SCM role or team it was mapped from, spelled as the host spells it. */
      readonly scmRole: string;
      /** Epoch ms of the sync that produced it. */
      readonly syncedAt: number;
    };

/** A permission entry: a level, optionally lapsing at `expiresAt` (epoch ms, exclusive). */
export interface Entry {
  readonly level: Level;
  readonly expiresAt?: number;
}

/** A user or group entry of an integration's permissions. */
export interface SubjectEntry extends Entry {
  readonly id: string;
}

/**
 * A user entry of an integration's permissions. `userSeq`, where the input gives one, is the
 * user's sequence number as the user's member carries it (`PolicyMember.userSeq`): a bulk load
 * finds the user by it, and only when it names a member whose user id is `id`.
 */
export interface UserEntry extends SubjectEntry {
  readonly userSeq?: number;
}

/** A pipeline in an integration's allowed list, optionally time-boxed. */
export interface PipelineEntry {
  readonly id: string;
  readonly expiresAt?: number;
}

/** `ALL`, or an explicit list of pipelines. */
export type AllowedPipelines = 'ALL' | readonly PipelineEntry[];

/** The permission entries of one integration. */
export interface IntegrationPermissions {
  /** Floor for workspace admins; never below DELETE_ONLY. Default MANAGE. */
  readonly admins: Entry;
  /** Default for every other member (of the workspace, or of the project for a PROJECT integration). Default USE. */
  readonly others: Entry;
  readonly users: readonly UserEntry[];
  readonly groups: readonly SubjectEntry[];
}

export type IntegrationScope =
  | { readonly type: 'WORKSPACE' }
  | { readonly type: 'PROJECT'; readonly projectId: string };

/** What the engine needs to know of an integration (never a secret). */
export interface PolicyIntegration {
  readonly id: string;
  readonly workspaceId: string;
  readonly name: string;
  readonly scope: IntegrationScope;
  readonly createdBy?: string;
  readonly permissions: IntegrationPermissions;
  readonly allowedPipelines: AllowedPipelines;
}

/** A workspace member as the engine sees them. */
export interface PolicyMember {
  readonly userId: string;
  /**
   * The user's sequence number: a non-negative integer the input gives each user, the same in
   * every row that names the user (the store's `users.seq`). Entries and group memberships that
   * carry it are resolved by it in a bulk load; an id that disagrees with it decides.
   */
  readonly userSeq?: number;
  readonly workspaceId: string;
  readonly role: Role;
  readonly roleSource?: RoleSource;
  /** projectId → project role (same three values). */
  readonly projectRoles?: Readonly<Record<string, Role>>;
}

export interface PolicyPipeline {
  readonly id: string;
  readonly workspaceId: string;
  readonly projectId: string;
  readonly name?: string;
}

/** Actions on an integration. */
export const INTEGRATION_ACTIONS = [
  'integration.view',
  'integration.use',
  'integration.verify',
  'integration.grant-pipeline',
  'integration.edit',
  'integration.manage-permissions',
  'integration.delete',
] as const;
export type IntegrationAction = (typeof INTEGRATION_ACTIONS)[number];

/** One hop of a decision, in the order it was applied. */
export type Reason =
  | { readonly hop: 'membership'; readonly workspaceId: string; readonly member: boolean }
  | {
      readonly hop: 'role';
      readonly role: Role;
      readonly source: 'workspace' | 'project';
      readonly projectId?: string;
      readonly roleSource?: RoleSource;
    }
  | {
      readonly hop: 'scope';
      readonly scope: IntegrationScope;
      readonly admitted: boolean;
      readonly projectId?: string;
    }
  | { readonly hop: 'user-entry'; readonly level: Level; readonly expiresAt?: number }
  | {
      readonly hop: 'group-entry';
      readonly groupId: string;
      readonly level: Level;
      readonly expiresAt?: number;
    }
  | {
      readonly hop: 'others';
      readonly level: Level;
      /** True for a workspace admin outside a PROJECT integration's project: `others` does not apply. */
      readonly outsideProject?: boolean;
    }
  | {
      readonly hop: 'expired';
      readonly subject: 'user' | 'group' | 'pipeline' | 'admins' | 'others';
      readonly id?: string;
      readonly expiresAt: number;
    }
  | { readonly hop: 'admin-floor'; readonly from: Level; readonly to: Level }
  | { readonly hop: 'role-cap'; readonly role: Role; readonly from: Level; readonly to: Level }
  | {
      readonly hop: 'action';
      readonly action: string;
      readonly required: Level;
      readonly level: Level;
      readonly allowed: boolean;
    }
  | {
      readonly hop: 'pipeline';
      readonly pipelineId: string;
      readonly integrationId: string;
      readonly admitted: boolean;
      readonly rule: 'all' | 'listed' | 'not-listed' | 'expired' | 'other-project' | 'other-workspace';
    }
  | {
      readonly hop: 'platform-action';
      readonly action: string;
      readonly level: 'repository' | 'organisation' | 'personal';
      readonly required: Role | 'owner';
      readonly role?: Role;
      readonly allowed: boolean;
    };

/** A decision: a value that explains itself. */
export interface Decision {
  readonly allowed: boolean;
  /** The effective integration level (DENY when hidden). */
  readonly level: Level;
  readonly reasons: readonly Reason[];
}

/** The result of checking a pipeline run against the integrations it uses. */
export interface RunDecision {
  readonly allowed: boolean;
  /** Every integration that does not admit the pipeline, not only the first. */
  readonly missing: readonly { readonly id: string; readonly name: string }[];
  /** Stable code when refused: `integration_permission_missing`. */
  readonly code?: 'integration_permission_missing';
  /** `Missing permissions to the following integration: <name>` (plural form for several). */
  readonly message?: string;
  /** For the asking user: may they add the pipeline to every missing integration and retry? */
  readonly canGrantAndRetry?: boolean;
  readonly reasons: readonly Reason[];
}

/** A group of a workspace with its members. */
export interface PolicyGroup {
  readonly id: string;
  readonly workspaceId: string;
  readonly userIds: readonly string[];
  /** Where given, the sequence number of each of `userIds`, in the same order (see `PolicyMember.userSeq`). */
  readonly userSeqs?: readonly number[];
}

/** Everything the engine knows, as plain data: the bulk-load and snapshot form of the index. */
export interface PolicyData {
  readonly members: readonly PolicyMember[];
  readonly groups: readonly PolicyGroup[];
  readonly integrations: readonly PolicyIntegration[];
  readonly pipelines: readonly PolicyPipeline[];
}
