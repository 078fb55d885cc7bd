import type { ItemList, PipelineBody } from '../api-types.ts';
import { type CommandSpec, stringOption } from '../command.ts';
import { emit, printTable } from '../output.ts';
import { wsPath } from './shared.ts';

/** `keyhouse pipelines list --project P`. */
export const pipelinesList: CommandSpec = {
  name: 'pipelines list',
  summary: 'List the pipelines of a project',
  options: {
    project: { type: 'string', short: 'p', value: 'ID', description: 'project id', required: true },
  },
  run: async (context) => {
    const project = stringOption(context.options, 'project')!;
    const { items } = await (await context.api()).get<ItemList<PipelineBody>>(
      wsPath(context, 'projects', project, 'pipelines'),
    );
    return emit(context, items, () =>
      printTable(
        context.io,
        [
          { header: 'id', value: (p) => p.id },
          { header: 'name', value: (p) => p.name },
          { header: 'created', value: (p) => p.createdAt },
        ],
        items,
        'No pipelines.',
      ),
    );
  },
};
