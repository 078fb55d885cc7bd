/**
 * The SCM roles of every supported host as ordered data (lowest first), each with the platform role
 * it maps to by default. SPEC.md, "Role mapping from the SCM", is the contract; rows it does not
 * name are marked `decision` and explained in `docs/roles-and-actions.md`.
 */
import type { Role } from './types.ts';

/** Source-control hosts whose roles Keyhouse maps. */
export const SCM_HOSTS = [
  'github',
  'github-enterprise',
  'gitlab',
  'bitbucket-cloud',
  'bitbucket-server',
  'azure-devops',
  'gitea',
] as const;
export type ScmHost = (typeof SCM_HOSTS)[number];

/** Where an SCM role is held: the organisation (workspace) or one repository (project). */
export const SCM_LEVELS = ['organisation', 'repository'] as const;
export type ScmLevel = (typeof SCM_LEVELS)[number];

/** Why a row says what it says: SPEC.md, the seed table only, or a decision written in the docs. */
export type ScmRowSource = 'spec' | 'seed' | 'decision';

/** One known SCM role and its default platform role (`null`: grants nothing). */
export interface ScmRoleRow {
  /** The role as the host spells it in its API. */
  readonly scmRole: string;
  /** Human name when `scmRole` is a code (GitLab access levels). */
  readonly label?: string;
  /** Other spellings of the same role (older names, UI names, other endpoints). */
  readonly aliases?: readonly string[];
  readonly role: Role | null;
  readonly source: ScmRowSource;
  readonly note?: string;
}

/** Known roles of one host at one level, lowest privilege first. */
export type ScmRoleLadder = readonly ScmRoleRow[];

const GITHUB: Readonly<Record<ScmLevel, ScmRoleLadder>> = {
  organisation: [
    { scmRole: 'outside_collaborator', role: null, source: 'decision', note: 'repository roles decide' },
    { scmRole: 'billing_manager', role: null, source: 'decision', note: 'no repository access on GitHub' },
    { scmRole: 'security_manager', role: 'member', source: 'decision', note: 'reads every repository' },
    { scmRole: 'member', role: 'collaborator', source: 'spec' },
    { scmRole: 'admin', aliases: ['owner'], role: 'admin', source: 'spec' },
  ],
  repository: [
    { scmRole: 'none', role: null, source: 'decision', note: 'legacy permission endpoint: no access' },
    { scmRole: 'read', aliases: ['pull'], role: 'member', source: 'spec' },
    { scmRole: 'triage', role: 'member', source: 'spec' },
    { scmRole: 'write', aliases: ['push'], role: 'collaborator', source: 'spec' },
    { scmRole: 'maintain', role: 'collaborator', source: 'spec' },
    { scmRole: 'admin', role: 'admin', source: 'spec' },
  ],
};

const GITLAB_LEVELS: ScmRoleLadder = [
  { scmRole: '0', label: 'No access', aliases: ['no access'], role: null, source: 'decision' },
  {
    scmRole: '5',
    label: 'Minimal access',
    aliases: ['minimal access'],
    role: null,
    source: 'decision',
    note: 'group membership without access to its projects',
  },
  { scmRole: '10', label: 'Guest', aliases: ['guest'], role: 'member', source: 'spec' },
  { scmRole: '15', label: 'Planner', aliases: ['planner'], role: 'member', source: 'spec' },
  { scmRole: '20', label: 'Reporter', aliases: ['reporter'], role: 'member', source: 'spec' },
  { scmRole: '30', label: 'Developer', aliases: ['developer'], role: 'collaborator', source: 'spec' },
  { scmRole: '40', label: 'Maintainer', aliases: ['maintainer', 'master'], role: 'admin', source: 'spec' },
  { scmRole: '50', label: 'Owner', aliases: ['owner'], role: 'admin', source: 'spec' },
  {
    scmRole: '60',
    label: 'Admin',
    aliases: ['admin'],
    role: 'admin',
    source: 'decision',
    note: 'instance administrator, above Owner',
  },
];

const BITBUCKET_CLOUD: Readonly<Record<ScmLevel, ScmRoleLadder>> = {
  organisation: [
    {
      scmRole: 'collaborator',
      role: null,
      source: 'decision',
      note: 'not a workspace member; repository roles decide',
    },
    { scmRole: 'member', role: 'member', source: 'spec' },
    { scmRole: 'contributor', role: 'collaborator', source: 'spec' },
    { scmRole: 'owner', aliases: ['admin'], role: 'admin', source: 'spec' },
  ],
  repository: [
    { scmRole: 'read', aliases: ['member'], role: 'member', source: 'spec' },
    { scmRole: 'write', aliases: ['contributor'], role: 'collaborator', source: 'spec' },
    { scmRole: 'admin', aliases: ['owner'], role: 'admin', source: 'spec' },
  ],
};

const BITBUCKET_SERVER: Readonly<Record<ScmLevel, ScmRoleLadder>> = {
  organisation: [
    { scmRole: 'PROJECT_READ', aliases: ['project_view'], role: 'member', source: 'spec' },
    { scmRole: 'PROJECT_WRITE', role: 'collaborator', source: 'spec' },
    { scmRole: 'REPO_CREATE', role: 'collaborator', source: 'decision', note: 'write plus create (8.x)' },
    { scmRole: 'PROJECT_ADMIN', role: 'admin', source: 'spec' },
  ],
  repository: [
    { scmRole: 'REPO_READ', role: 'member', source: 'spec' },
    {
      scmRole: 'PROJECT_READ',
      aliases: ['project_view'],
      role: 'member',
      source: 'decision',
      note: 'implies REPO_READ',
    },
    { scmRole: 'REPO_WRITE', role: 'collaborator', source: 'spec' },
    { scmRole: 'PROJECT_WRITE', role: 'collaborator', source: 'decision', note: 'implies REPO_WRITE' },
    { scmRole: 'REPO_ADMIN', role: 'admin', source: 'spec' },
    { scmRole: 'PROJECT_ADMIN', role: 'admin', source: 'decision', note: 'implies REPO_ADMIN' },
  ],
};

const AZURE_COMMON: ScmRoleLadder = [
  { scmRole: 'Readers', role: 'member', source: 'spec' },
  { scmRole: 'Contributors', role: 'collaborator', source: 'spec' },
  { scmRole: 'Build Administrators', role: 'collaborator', source: 'decision', note: 'runs, not settings' },
  { scmRole: 'Project Collection Build Administrators', role: 'collaborator', source: 'decision' },
  { scmRole: 'Project Administrators', role: 'admin', source: 'spec' },
  { scmRole: 'Project Collection Administrators', role: 'admin', source: 'decision' },
];

const AZURE_DEVOPS: Readonly<Record<ScmLevel, ScmRoleLadder>> = {
  organisation: [
    {
      scmRole: 'Project-Scoped Users',
      role: null,
      source: 'decision',
      note: 'limited visibility; project groups decide',
    },
    { scmRole: 'Project Collection Service Accounts', role: null, source: 'decision', note: 'not people' },
    { scmRole: 'Project Valid Users', role: 'member', source: 'decision', note: 'every project member' },
    { scmRole: 'Project Collection Valid Users', role: 'member', source: 'decision' },
    AZURE_COMMON[0]!,
    AZURE_COMMON[1]!,
    { scmRole: 'Endpoint Creators', role: 'collaborator', source: 'decision', note: 'creates connections' },
    {
      scmRole: 'Endpoint Administrators',
      role: 'collaborator',
      source: 'decision',
      note: 'manages connections',
    },
    ...AZURE_COMMON.slice(2),
  ],
  repository: AZURE_COMMON,
};

const GITEA_LEVELS: ScmRoleLadder = [
  { scmRole: 'none', role: null, source: 'decision' },
  { scmRole: 'read', role: 'member', source: 'spec' },
  { scmRole: 'write', role: 'collaborator', source: 'spec' },
  { scmRole: 'admin', role: 'admin', source: 'spec' },
  { scmRole: 'owner', role: 'admin', source: 'spec' },
];

/** Default mapping: every known role of every host at both levels, lowest first. */
export const SCM_ROLE_TABLE: Readonly<Record<ScmHost, Readonly<Record<ScmLevel, ScmRoleLadder>>>> = {
  github: GITHUB,
  'github-enterprise': GITHUB,
  gitlab: { organisation: GITLAB_LEVELS, repository: GITLAB_LEVELS },
  'bitbucket-cloud': BITBUCKET_CLOUD,
  'bitbucket-server': BITBUCKET_SERVER,
  'azure-devops': AZURE_DEVOPS,
  gitea: { organisation: GITEA_LEVELS, repository: GITEA_LEVELS },
};

/** True when `value` is one of the supported hosts. */
export function isScmHost(value: string): value is ScmHost {
  return (SCM_HOSTS as readonly string[]).includes(value);
}

/** True when `value` is `organisation` or `repository`. */
export function isScmLevel(value: string): value is ScmLevel {
  return (SCM_LEVELS as readonly string[]).includes(value);
}

/**
 * The comparison key of an SCM role: trimmed and lower-cased; for Azure DevOps the scope prefix
 * of a group's display name (`[Fabrikam]\Contributors`) is dropped.
 */
export function normaliseScmRole(host: ScmHost, scmRole: string): string {
  const key = scmRole.trim().toLowerCase();
  return host === 'azure-devops' ? key.replace(/^\[[^\]]*\]\\/, '') : key;
}

/** Every spelling of a row (its API spelling, then its aliases). */
export function spellingsOf(row: ScmRoleRow): readonly string[] {
  return [row.scmRole, ...(row.aliases ?? [])];
}
