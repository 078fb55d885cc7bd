import type { CommandSpec } from '../command.ts';
import { arg, reportDeleted, wsPath } from './shared.ts';

/** `keyhouse integrations delete ID`: deletes an integration and its encrypted credential. */
export const integrationsDelete: CommandSpec = {
  name: 'integrations delete',
  summary: 'Delete an integration and its credential',
  args: [{ name: 'id', description: 'integration id' }],
  run: async (context) => {
    await (await context.api()).delete(wsPath(context, 'integrations', arg(context, 0)));
    return reportDeleted(context, 'integration', arg(context, 0));
  },
};
