/**
 * Row types of every table, as Kysely sees them. One schema for SQLite and PostgreSQL:
 * timestamps are epoch-ms integers (`bigint` columns, read back as numbers), booleans are
 * 0/1 integers, JSON is canonical text, bytes are base64 text.
 */
import type { Generated } from 'kysely';

/** A workspace (tenant). */
export interface WorkspaceTable {
  id: string;
  name: string;
  created_at: number;
}

/** A project of a workspace, usually one SCM repository. */
export interface ProjectTable {
  id: string;
  workspace_id: string;
  name: string;
  scm_host: string | null;
  scm_full_name: string | null;
  created_at: number;
}

/** A pipeline of a project. */
export interface PipelineTable {
  id: string;
  workspace_id: string;
  project_id: string;
  name: string;
  created_at: number;
}

/** A user; global, joined to workspaces by memberships. */
export interface UserTable {
  id: string;
  login: string;
  display_name: string | null;
  email: string | null;
  created_at: number;
  /**
   * The user's sequence number (migration 0007): from the `users` counter of `sequences`, never
   * reused; written as `user_seq` in every row that names the user.
   */
  seq: number;
}

/** A counter that only grows (migration 0007): `users` numbers the users. */
export interface SequenceTable {
  name: string;
  value: number;
}

/** A user's role in a workspace. `role_source` is a JSON `RoleSource`. */
export interface MembershipTable {
  workspace_id: string;
  user_id: string;
  role: string;
  role_source: string;
  updated_at: number;
}

/** A user's role in one project. */
export interface ProjectRoleTable {
  workspace_id: string;
  project_id: string;
  user_id: string;
  role: string;
  role_source: string;
  updated_at: number;
}

/** A named set of users. `source` is a JSON `GroupSource`. */
export interface GroupTable {
  id: string;
  workspace_id: string;
  name: string;
  source: string;
  created_at: number;
}

/** Membership of a user in a group. */
export interface GroupMemberTable {
  workspace_id: string;
  group_id: string;
  user_id: string;
  /** The user's `users.seq` (null when no such user existed when the row was written). */
  user_seq: number | null;
}

/** A stored integration, without its permissions (see the entry tables) or secrets. */
export interface IntegrationTable {
  id: string;
  workspace_id: string;
  scope: string;
  project_id: string | null;
  provider: string;
  credential_type: string;
  name: string;
  config: string;
  all_pipelines_allowed: number;
  verification: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  version: number;
}

/** One permission entry: `admins`/`others` have an empty `subject_id`. */
export interface IntegrationEntryTable {
  workspace_id: string;
  integration_id: string;
  subject_type: string;
  subject_id: string;
  level: string;
  expires_at: number | null;
  /** For a user entry, the user's `users.seq` (null otherwise, or when no such user existed). */
  user_seq: number | null;
}

/** One pipeline of an integration's allowed list. */
export interface IntegrationPipelineTable {
  workspace_id: string;
  integration_id: string;
  pipeline_id: string;
  expires_at: number | null;
}

/** One encrypted secret field of an integration (ciphertext only). */
export interface IntegrationSecretTable {
  workspace_id: string;
  integration_id: string;
  field: string;
  key_id: string;
  iv: string;
  tag: string;
  ciphertext: string;
  version: number;
}

/** A workspace data key, wrapped by a master key. */
export interface WorkspaceKeyTable {
  workspace_id: string;
  key_id: string;
  wrapped_key: string;
  master_key_id: string;
  created_at: number;
  destroyed_at: number | null;
}

/** A key-check value per master key (never the key). */
export interface MasterKeyCheckTable {
  master_key_id: string;
  check_value: string;
  created_at: number;
}

/** An API token: only the lookup prefix and a SHA-256 hash are kept. */
export interface ApiTokenTable {
  id: string;
  workspace_id: string;
  user_id: string;
  prefix: string;
  hash: string;
  name: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

/** A web session: only a SHA-256 hash of its secret is kept. */
export interface SessionTable {
  id: string;
  user_id: string;
  hash: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  last_seen_at: number | null;
}

/** An audit event, chained by hash to the previous event of its workspace. */
export interface AuditEventTable {
  workspace_id: string;
  seq: number;
  at: number;
  actor: string;
  action: string;
  target_type: string;
  target_id: string | null;
  before: string | null;
  after: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

/** The head of each workspace's audit chain (detects a deleted tail). */
export interface AuditHeadTable {
  workspace_id: string;
  seq: number;
  hash: string;
}

/** The global change log: one monotonically increasing revision per change. */
export interface ChangeTable {
  revision: Generated<number>;
  workspace_id: string | null;
  kind: string;
  ids: string;
  at: number;
  /** The policy change the write applied to the index, as JSON; null when there is none. */
  policy_change: string | null;
}

/** The whole database, for `Kysely<Database>`. */
export interface Database {
  workspaces: WorkspaceTable;
  projects: ProjectTable;
  pipelines: PipelineTable;
  users: UserTable;
  memberships: MembershipTable;
  project_roles: ProjectRoleTable;
  groups: GroupTable;
  group_members: GroupMemberTable;
  integrations: IntegrationTable;
  integration_entries: IntegrationEntryTable;
  integration_pipelines: IntegrationPipelineTable;
  integration_secrets: IntegrationSecretTable;
  workspace_keys: WorkspaceKeyTable;
  master_key_check: MasterKeyCheckTable;
  api_tokens: ApiTokenTable;
  sessions: SessionTable;
  audit_events: AuditEventTable;
  audit_heads: AuditHeadTable;
  sequences: SequenceTable;
  changes: ChangeTable;
}
