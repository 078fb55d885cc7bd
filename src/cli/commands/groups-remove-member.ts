import type { GroupBody } from '../api-types.ts';
import type { CommandSpec } from '../command.ts';
import { emit } from '../output.ts';
import { sanitize } from '../table.ts';
import { arg, wsPath } from './shared.ts';

/** `keyhouse groups remove-member GROUP USER`. */
export const groupsRemoveMember: CommandSpec = {
  name: 'groups remove-member',
  summary: 'Remove a user from a group',
  args: [
    { name: 'group', description: 'group id' },
    { name: 'user', description: 'user id' },
  ],
  run: async (context) => {
    const [group, user] = [arg(context, 0), arg(context, 1)];
    const path = wsPath(context, 'groups', group, 'members', user);
    const { body } = await (await context.api()).request<GroupBody>('DELETE', path);
    return emit(context, body, () =>
      context.io.stdout.write(`Removed ${sanitize(user)} from group ${sanitize(group)}.\n`),
    );
  },
};
