import type { CommandSpec } from '../command.ts';
import { apiPath } from '../http-client.ts';
import { arg, reportDeleted } from './shared.ts';

/** `keyhouse tokens revoke ID`. */
export const tokensRevoke: CommandSpec = {
  name: 'tokens revoke',
  summary: 'Revoke one of your API tokens',
  args: [{ name: 'id', description: 'token id (from tokens list)' }],
  run: async (context) => {
    await (await context.api()).delete(apiPath('tokens', arg(context, 0)));
    return reportDeleted(context, 'token', arg(context, 0));
  },
};
