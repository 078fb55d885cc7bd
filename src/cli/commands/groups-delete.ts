import type { CommandSpec } from '../command.ts';
import { arg, reportDeleted, wsPath } from './shared.ts';

/** `keyhouse groups delete ID`. */
export const groupsDelete: CommandSpec = {
  name: 'groups delete',
  summary: 'Delete a group',
  args: [{ name: 'id', description: 'group id' }],
  run: async (context) => {
    await (await context.api()).delete(wsPath(context, 'groups', arg(context, 0)));
    return reportDeleted(context, 'group', arg(context, 0));
  },
};
