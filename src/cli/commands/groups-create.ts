import type { GroupBody } from '../api-types.ts';
import { type CommandSpec, stringOption } from '../command.ts';
import { arg, reportCreated, wsPath } from './shared.ts';

/** `keyhouse groups create NAME [--id ID]`. */
export const groupsCreate: CommandSpec = {
  name: 'groups create',
  summary: 'Create a group',
  args: [{ name: 'name', description: 'display name' }],
  options: { id: { type: 'string', value: 'ID', description: 'identifier (default: chosen by the server)' } },
  run: async (context) => {
    const id = stringOption(context.options, 'id');
    const body = { name: arg(context, 0), ...(id === undefined ? {} : { id }) };
    const group = await (await context.api()).post<GroupBody>(wsPath(context, 'groups'), body);
    return reportCreated(context, group, 'group', group.id, group.name);
  },
};
