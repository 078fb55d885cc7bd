/**
 * The one table of CLI commands, in help order: dispatch, parsing and every `--help` text are
 * generated from it.
 */
import type { CommandSpec, RawCommandSpec } from './command.ts';
import { auditList } from './commands/audit-list.ts';
import { auditVerify } from './commands/audit-verify.ts';
import { checkCommand } from './commands/check.ts';
import { diagnoseCommand } from './commands/diagnose.ts';
import { doctorCommand } from './commands/doctor.ts';
import { explainCommand } from './commands/explain.ts';
import { groupsCreate } from './commands/groups-create.ts';
import { groupsDelete } from './commands/groups-delete.ts';
import { groupsList } from './commands/groups-list.ts';
import { groupsAddMember, groupsRemoveMember } from './commands/groups-member.ts';
import { integrationsCreate } from './commands/integrations-create.ts';
import { integrationsDelete } from './commands/integrations-delete.ts';
import { integrationsList } from './commands/integrations-list.ts';
import { integrationsShow } from './commands/integrations-show.ts';
import { keysRotate } from './commands/keys-rotate.ts';
import { membersAdd } from './commands/members-add.ts';
import { membersList } from './commands/members-list.ts';
import { membersRemove } from './commands/members-remove.ts';
import { membersSetRole } from './commands/members-set-role.ts';
import { permissionsGet } from './commands/permissions-get.ts';
import { permissionsSet } from './commands/permissions-set.ts';
import { pipelinesCreate } from './commands/pipelines-create.ts';
import { pipelinesDelete } from './commands/pipelines-delete.ts';
import { pipelinesList } from './commands/pipelines-list.ts';
import { projectsCreate } from './commands/projects-create.ts';
import { projectsDelete } from './commands/projects-delete.ts';
import { projectsList } from './commands/projects-list.ts';
import { runsCheck } from './commands/runs-check.ts';
import { scopesCommand } from './commands/scopes.ts';
import { scopesCompare } from './commands/scopes-compare.ts';
import { tokensCreate } from './commands/tokens-create.ts';
import { tokensList } from './commands/tokens-list.ts';
import { tokensRevoke } from './commands/tokens-revoke.ts';
import { verifyCommand } from './commands/verify.ts';
import { whatIfCommand } from './commands/what-if.ts';
import { workspacesCreate } from './commands/workspaces-create.ts';
import { workspacesDelete } from './commands/workspaces-delete.ts';
import { workspacesList } from './commands/workspaces-list.ts';
import { workspacesShow } from './commands/workspaces-show.ts';

/** `keyhouse serve`: parsed and run by the server module, loaded only when asked for. */
export const serveCommand: RawCommandSpec = {
  name: 'serve',
  summary: 'Start the Keyhouse server (HTTP API and docs)',
  // Loaded on demand: the client commands must not pay for loading the server, its store and drivers.
  raw: async (argv, io) => (await import('./commands/serve.ts')).runServe(argv, io),
};

/** Every command, in the order `keyhouse --help` lists them. */
export const COMMANDS: readonly (CommandSpec | RawCommandSpec)[] = [
  serveCommand,
  workspacesList,
  workspacesCreate,
  workspacesShow,
  workspacesDelete,
  projectsList,
  projectsCreate,
  projectsDelete,
  pipelinesList,
  pipelinesCreate,
  pipelinesDelete,
  membersList,
  membersAdd,
  membersSetRole,
  membersRemove,
  groupsList,
  groupsCreate,
  groupsDelete,
  groupsAddMember,
  groupsRemoveMember,
  integrationsList,
  integrationsShow,
  integrationsCreate,
  integrationsDelete,
  verifyCommand,
  doctorCommand,
  diagnoseCommand,
  permissionsGet,
  permissionsSet,
  checkCommand,
  explainCommand,
  runsCheck,
  whatIfCommand,
  auditList,
  auditVerify,
  tokensList,
  tokensCreate,
  tokensRevoke,
  keysRotate,
  scopesCommand,
  scopesCompare,
];

/** True for a command that parses its own arguments. */
export function isRaw(spec: CommandSpec | RawCommandSpec): spec is RawCommandSpec {
  return 'raw' in spec;
}

/** The command named by the first words of `words` (two words before one), and how many words it took. */
export function findCommand(
  words: readonly string[],
  table: readonly (CommandSpec | RawCommandSpec)[] = COMMANDS,
): { spec: CommandSpec | RawCommandSpec; consumed: number } | undefined {
  const [first, second] = words;
  if (first === undefined || first.startsWith('-')) return undefined;
  const two = second === undefined ? undefined : table.find((c) => c.name === `${first} ${second}`);
  if (two) return { spec: two, consumed: 2 };
  const one = table.find((c) => c.name === first);
  return one ? { spec: one, consumed: 1 } : undefined;
}

/** The commands whose first word is `noun` and that have a verb (`projects` → list, create, delete). */
export function commandsOfNoun(
  noun: string,
  table: readonly (CommandSpec | RawCommandSpec)[] = COMMANDS,
): (CommandSpec | RawCommandSpec)[] {
  return table.filter((c) => c.name.startsWith(`${noun} `));
}
