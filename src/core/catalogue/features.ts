/**
 * The platform features the catalogue knows. A feature is something the platform does with a
 * provider credential; every provider file states, per credential type, what each of its
 * features needs. Ids are lower kebab and stable: they appear in APIs, CLI flags and YAML.
 */

/** Every feature id, with a title and a one-line description, in display order. */
export const FEATURES = [
  {
    id: 'read-repository-contents',
    title: 'Read repository contents',
    description: 'Read files such as dependency manifests through the API, on a schedule.',
  },
  {
    id: 'list-repositories',
    title: 'List repositories',
    description: 'List the repositories the credential can reach, to import them as projects.',
  },
  {
    id: 'list-organisations',
    title: 'List organisations',
    description: 'List the organisations, groups, workspaces or projects the credential can reach.',
  },
  { id: 'clone', title: 'Clone', description: 'Clone or fetch a repository over HTTPS.' },
  { id: 'push', title: 'Push', description: 'Push commits and create branches.' },
  {
    id: 'open-pull-requests',
    title: 'Open pull requests',
    description: 'Open fix and upgrade pull (merge) requests, including pushing their branch.',
  },
  {
    id: 'post-commit-statuses',
    title: 'Post commit statuses',
    description: 'Report a build or scan result as a status on a commit.',
  },
  {
    id: 'post-checks',
    title: 'Post checks',
    description: 'Create and update check runs (rich results with annotations) on a commit.',
  },
  {
    id: 'manage-webhooks',
    title: 'Manage webhooks',
    description: 'Create, update and delete repository webhooks so that events reach the platform.',
  },
  {
    id: 'read-org-members',
    title: 'Read organisation members',
    description: 'Read organisation members, teams and their roles, for role synchronisation.',
  },
  {
    id: 'read-user-identity',
    title: 'Read user identity',
    description: 'Read who the credential belongs to, and the primary email where the host has one.',
  },
  { id: 'pull-images', title: 'Pull images', description: 'Pull container images from a registry.' },
  { id: 'push-images', title: 'Push images', description: 'Push container images to a registry.' },
  {
    id: 'backup-to-bucket',
    title: 'Back up to a bucket',
    description: 'Write, list, read back and prune backups under a prefix of a bucket.',
  },
  {
    id: 'provision-compute',
    title: 'Provision compute',
    description: 'Start, inspect, tag and terminate virtual machines for build agents.',
  },
] as const;

/** A feature id. */
export type FeatureId = (typeof FEATURES)[number]['id'];

/** The feature ids, in display order. */
export const FEATURE_IDS: readonly FeatureId[] = FEATURES.map((feature) => feature.id);

/** True when `value` is a known feature id. */
export function isFeatureId(value: string): value is FeatureId {
  return (FEATURE_IDS as readonly string[]).includes(value);
}
