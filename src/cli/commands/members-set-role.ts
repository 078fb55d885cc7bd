import { ROLES } from '../../core/policy/types.ts';
import type { MemberBody } from '../api-types.ts';
import { UsageError } from '../cli-error.ts';
import { type CommandSpec, stringOption } from '../command.ts';
import { emit } from '../output.ts';
import { sanitize } from '../table.ts';
import { arg, wsPath } from './shared.ts';

/** `keyhouse members set-role USER ROLE [--project P]` (`none` clears a project role). */
export const membersSetRole: CommandSpec = {
  name: 'members set-role',
  summary: 'Set the workspace role of a member, or a project role with --project',
  args: [
    { name: 'user', description: 'user id' },
    { name: 'role', description: `${ROLES.join(' | ')} (with --project also: none)` },
  ],
  options: {
    project: { type: 'string', short: 'p', value: 'ID', description: 'set the role in this project only' },
  },
  run: async (context) => {
    const user = arg(context, 0);
    const roleText = arg(context, 1).toLowerCase();
    const project = stringOption(context.options, 'project');
    const role =
      ROLES.find((r) => r === roleText) ?? (roleText === 'none' && project !== undefined ? null : undefined);
    if (role === undefined)
      throw new UsageError(`'${arg(context, 1)}' is not a role (${ROLES.join(', ')})`, context.command);
    const path =
      project === undefined
        ? wsPath(context, 'members', user)
        : wsPath(context, 'projects', project, 'members', user);
    const { body } = await (await context.api()).request<MemberBody>('PUT', path, { body: { role } });
    const where = project === undefined ? 'workspace' : `project ${sanitize(project)}`;
    return emit(context, body, () =>
      context.io.stdout.write(`Set ${sanitize(user)}'s ${where} role to ${role ?? 'none'}.\n`),
    );
  },
};
