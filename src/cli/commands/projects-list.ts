import type { ItemList, ProjectBody } from '../api-types.ts';
import type { CommandSpec } from '../command.ts';
import { emit, printTable } from '../output.ts';
import { wsPath } from './shared.ts';

/** `keyhouse projects list`: the projects of the workspace. */
export const projectsList: CommandSpec = {
  name: 'projects list',
  summary: 'List the projects of the workspace',
  run: async (context) => {
    const { items } = await (await context.api()).get<ItemList<ProjectBody>>(wsPath(context, 'projects'));
    return emit(context, items, () =>
      printTable(
        context.io,
        [
          { header: 'id', value: (p) => p.id },
          { header: 'name', value: (p) => p.name },
          {
            header: 'repository',
            value: (p) => (p.repository ? `${p.repository.host}/${p.repository.fullName}` : null),
          },
          { header: 'created', value: (p) => p.createdAt },
        ],
        items,
        'No projects.',
      ),
    );
  },
};
