import type { CommandSpec } from '../command.ts';
import { arg, reportDeleted, wsPath } from './shared.ts';

/** `keyhouse members remove USER`: removes a member from the workspace. */
export const membersRemove: CommandSpec = {
  name: 'members remove',
  summary: 'Remove a member from the workspace',
  args: [{ name: 'user', description: 'user id' }],
  run: async (context) => {
    await (await context.api()).delete(wsPath(context, 'members', arg(context, 0)));
    return reportDeleted(context, 'membership of', arg(context, 0));
  },
};
