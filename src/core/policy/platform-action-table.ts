/**
 * The default table of platform actions, as data: every row of the seed table (the Shippable CI
 * permissions page) with the minimal role its "Yes" columns stand for, at repository (project)
 * and organisation (workspace) level, and the personal-account actions. `platform-actions.ts`
 * adjusts it per workspace and decides with it.
 */
import type {
  AdjustableLevel,
  PlatformActionRule,
  PlatformActionTable,
  SeedYes,
} from './platform-actions.ts';
import type { Role } from './types.ts';

/** The minimal role that a seed row's Yes columns stand for. */
export function minimalRoleFromYes(yes: SeedYes): Role {
  return yes === 'YYY' ? 'member' : yes === '-YY' ? 'collaborator' : 'admin';
}

/** One seed row as written below: [action id, seed action, Yes columns, description]. */
type SeedTuple = readonly [action: string, seedAction: string, yes: SeedYes, description: string];

/** Rules SPEC.md fixes ("only an admin, or a pipeline run of that project, can decrypt"). */
const FIXED: Readonly<Record<string, PlatformActionRule['pipelineRuns']>> = {
  'repository secret.decrypt': 'same-project',
  'organisation secret.decrypt': 'any-project',
};

function ranked(
  level: AdjustableLevel,
  table: string,
  groups: Readonly<Record<string, readonly SeedTuple[]>>,
) {
  return Object.entries(groups).flatMap(([group, rows]) =>
    rows.map(([action, seedAction, yes, description]): PlatformActionRule => {
      const key = `${level} ${action}`;
      const pipelineRuns = FIXED[key];
      return {
        action,
        level,
        required: minimalRoleFromYes(yes),
        description,
        seed: { path: `${table} › ${group} › ${seedAction}`, yes },
        adjustable: !(key in FIXED),
        ...(pipelineRuns === undefined ? {} : { pipelineRuns }),
      };
    }),
  );
}

function personal(groups: Readonly<Record<string, readonly (readonly [string, string, string])[]>>) {
  return Object.entries(groups).flatMap(([group, rows]) =>
    rows.map(
      ([action, seedAction, description]): PlatformActionRule => ({
        action,
        level: 'personal',
        required: 'owner',
        description,
        seed: { path: `User level › Account Settings › ${group} › ${seedAction}` },
        adjustable: false,
      }),
    ),
  );
}

/** The default table: every row of the seed table, in its order. */
export const DEFAULT_PLATFORM_ACTIONS: PlatformActionTable = [
  ...ranked('repository', 'Repository (Project) level', {
    'Builds › In SCM': [['build.trigger', 'Trigger a Run through commit', '-YY', 'Start a run by a commit']],
    'Builds › Dashboard': [
      ['build.view', 'View', 'YYY', "See the project's runs and their results"],
      ['build.run', 'Run', '-YY', 'Start a run from the dashboard'],
      ['build.rerun', 'Re-run', '-YY', 'Run a finished run again'],
      ['build.cancel', 'Cancel', '-YY', 'Cancel a queued or running run'],
      ['build.run-custom', 'Run Custom Build', '-YY', 'Start a run with custom settings'],
      ['logs.download', 'Download logs', 'YYY', "Download a run's logs"],
    ],
    'Projects › Dashboard': [['project.enable', 'Enable', '-YY', 'Enable a repository as a project']],
    'Projects › Options': [
      ['project.synchronize', 'Synchronize', 'YYY', 'Refresh the project from the SCM'],
      ['project.pause', 'Pause/Resume', '-YY', "Pause or resume the project's runs"],
      ['project.reset', 'Reset', '--Y', 'Reset the project (keys and hooks)'],
      ['project.delete', 'Delete', '--Y', 'Delete the project'],
    ],
    'Projects › Runs Config': [
      ['run-config.branches', 'Branches to be displayed', '-YY', 'Choose the branches shown'],
      ['run-config.run-types', 'Run types to be displayed', '-YY', 'Choose the run types shown'],
      [
        'run-config.webhook-events',
        'Configure Webhook Events for Triggering Builds',
        '-YY',
        'Choose the SCM events that start runs',
      ],
      ['run-config.parallel-jobs', 'Run Parallel Jobs', '-YY', 'Allow jobs to run in parallel'],
      ['run-config.consolidate-reports', 'Consolidate Reports', '-YY', 'Merge test and coverage reports'],
      ['run-config.timeout', 'Custom Timeout', '-YY', 'Set a custom run timeout'],
      ['run-config.coverage-alert', 'Low Coverage Alert', '-YY', 'Set the low-coverage alert'],
    ],
    'Projects › Encrypt': [
      ['secret.encrypt', 'Encrypt', '-YY', 'Encrypt a value for the project'],
      ['secret.decrypt', 'Decrypt', '--Y', 'Decrypt a value of the project'],
    ],
    Projects: [['badge.view', 'Badges', 'YYY', "Get the project's status badge"]],
  }),
  ...ranked('organisation', 'Organization level', {
    'Subscriptions › Options': [
      ['subscription.machine-image', 'Select Machine Image', '-YY', 'Choose the machine image of runs'],
      ['subscription.deploy-key.copy', 'Copy Deployment key', 'YYY', "Copy the workspace's deploy key"],
      [
        'subscription.technical-contact.edit',
        'Edit Technical Contact',
        '--Y',
        'Change the technical contact',
      ],
      ['billing.contact.edit', 'Edit Billing Contact', '--Y', 'Change the billing contact'],
      ['subscription.reset', 'Reset Subscription', '--Y', 'Reset the workspace'],
    ],
    'Subscriptions › Integrations': [
      ['integrations.add', 'Add Integrations', '-YY', 'Create an integration'],
      ['integrations.edit', 'Edit Integrations', '-YY', 'Edit integrations (role gate)'],
      ['integrations.delete', 'Delete Integrations', '-YY', 'Delete integrations (role gate)'],
    ],
    'Subscriptions › Encrypt': [
      ['secret.encrypt', 'Encrypt', '-YY', 'Encrypt a value for the workspace'],
      ['secret.decrypt', 'Decrypt', '--Y', 'Decrypt a value of the workspace'],
    ],
    'Subscriptions › Billing': [['billing.edit', 'Update plan', '--Y', 'Change the plan']],
    'Subscriptions › Nodes': [
      ['nodes.configure', 'Change/configure Node provider', '-YY', 'Choose the node provider'],
      ['nodes.edit', 'Edit custom Node', '-YY', 'Edit a custom node'],
      ['nodes.reset', 'Reset custom Node', '-YY', 'Reset a custom node'],
      ['nodes.delete', 'Delete custom Node', '-YY', 'Delete a custom node'],
    ],
  }),
  ...personal({
    Accounts: [
      ['account.email.edit', 'Edit email', 'Change the account email'],
      ['account.synchronize', 'Synchronize', 'Refresh the account from the SCM'],
      ['account.git-identities.enable', 'Enable git identities', 'Link another SCM identity'],
      ['account.delete', 'Delete Account', 'Delete the account'],
    ],
    Integrations: [
      ['account.integrations.add', 'Add Integrations', 'Add a personal integration'],
      ['account.integrations.edit', 'Edit Integrations Cards', 'Edit a personal integration'],
      ['account.integrations.delete', 'Delete Integrations', 'Delete a personal integration'],
    ],
    Cards: [['account.cards.edit', 'Add/Edit/Delete Credit Cards', 'Add, edit or delete payment cards']],
    'API tokens': [
      ['account.api-tokens.edit', 'Add/Delete API token', "Add or delete the account's API tokens"],
    ],
  }),
];
