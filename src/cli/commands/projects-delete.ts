import type { CommandSpec } from '../command.ts';
import { arg, reportDeleted, wsPath } from './shared.ts';

/** `keyhouse projects delete ID`. */
export const projectsDelete: CommandSpec = {
  name: 'projects delete',
  summary: 'Delete a project',
  args: [{ name: 'id', description: 'project id' }],
  run: async (context) => {
    await (await context.api()).delete(wsPath(context, 'projects', arg(context, 0)));
    return reportDeleted(context, 'project', arg(context, 0));
  },
};
