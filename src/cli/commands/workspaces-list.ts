import type { ItemList, WorkspaceBody } from '../api-types.ts';
import type { CommandSpec } from '../command.ts';
import { emit, printTable } from '../output.ts';

/** `keyhouse workspaces list`: the workspaces the caller belongs to. */
export const workspacesList: CommandSpec = {
  name: 'workspaces list',
  summary: 'List the workspaces you belong to',
  run: async (context) => {
    const { items } = await (await context.api()).get<ItemList<WorkspaceBody>>('/workspaces');
    return emit(context, items, () =>
      printTable(
        context.io,
        [
          { header: 'id', value: (w) => w.id },
          { header: 'name', value: (w) => w.name },
          { header: 'your role', value: (w) => w.yourRole },
          { header: 'created', value: (w) => w.createdAt },
        ],
        items,
        'No workspaces.',
      ),
    );
  },
};
