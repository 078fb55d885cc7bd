import type { PipelineBody } from '../api-types.ts';
import { type CommandSpec, stringOption } from '../command.ts';
import { arg, reportCreated, wsPath } from './shared.ts';

/** `keyhouse pipelines create NAME --project P [--id ID]`. */
export const pipelinesCreate: CommandSpec = {
  name: 'pipelines create',
  summary: 'Create a pipeline in a project',
  args: [{ name: 'name', description: 'display name' }],
  options: {
    project: { type: 'string', short: 'p', value: 'ID', description: 'project id', required: true },
    id: { type: 'string', value: 'ID', description: 'identifier (default: chosen by the server)' },
  },
  run: async (context) => {
    const id = stringOption(context.options, 'id');
    const path = wsPath(context, 'projects', stringOption(context.options, 'project')!, 'pipelines');
    const created = await (await context.api()).post<PipelineBody>(path, {
      name: arg(context, 0),
      ...(id === undefined ? {} : { id }),
    });
    return reportCreated(context, created, 'pipeline', created.id, created.name);
  },
};
