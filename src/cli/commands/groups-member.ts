import type { GroupBody } from '../api-types.ts';
import type { CommandSpec } from '../command.ts';
import { emit } from '../output.ts';
import { sanitize } from '../table.ts';
import { arg, wsPath } from './shared.ts';

/** `keyhouse groups add-member|remove-member GROUP USER`: one request, one line of output. */
function memberCommand(add: boolean): CommandSpec {
  return {
    name: add ? 'groups add-member' : 'groups remove-member',
    summary: add ? 'Add a user to a group' : 'Remove a user from a group',
    args: [
      { name: 'group', description: 'group id' },
      { name: 'user', description: 'user id' },
    ],
    run: async (context) => {
      const [group, user] = [arg(context, 0), arg(context, 1)];
      const path = wsPath(context, 'groups', group, 'members', user);
      const { body } = await (await context.api()).request<GroupBody>(add ? 'PUT' : 'DELETE', path);
      const done = add
        ? `Added ${sanitize(user)} to group ${sanitize(group)}.`
        : `Removed ${sanitize(user)} from group ${sanitize(group)}.`;
      return emit(context, body, () => context.io.stdout.write(`${done}\n`));
    },
  };
}

/** `keyhouse groups add-member GROUP USER`. */
export const groupsAddMember: CommandSpec = memberCommand(true);

/** `keyhouse groups remove-member GROUP USER`. */
export const groupsRemoveMember: CommandSpec = memberCommand(false);
