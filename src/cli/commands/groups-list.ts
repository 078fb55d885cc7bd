import type { GroupBody, ItemList } from '../api-types.ts';
import type { CommandSpec } from '../command.ts';
import { emit, printTable } from '../output.ts';
import { wsPath } from './shared.ts';

/** `keyhouse groups list`: groups with their members. */
export const groupsList: CommandSpec = {
  name: 'groups list',
  summary: 'List the groups of the workspace',
  run: async (context) => {
    const { items } = await (await context.api()).get<ItemList<GroupBody>>(wsPath(context, 'groups'));
    return emit(context, items, () =>
      printTable(
        context.io,
        [
          { header: 'id', value: (g) => g.id },
          { header: 'name', value: (g) => g.name },
          { header: 'size', value: (g) => g.members.length, align: 'right' },
          { header: 'members', value: (g) => g.members.join(',') },
        ],
        items,
        'No groups.',
      ),
    );
  },
};
