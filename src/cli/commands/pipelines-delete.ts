import { type CommandSpec, stringOption } from '../command.ts';
import { arg, reportDeleted, wsPath } from './shared.ts';

/** `keyhouse pipelines delete ID --project P`. */
export const pipelinesDelete: CommandSpec = {
  name: 'pipelines delete',
  summary: 'Delete a pipeline',
  args: [{ name: 'id', description: 'pipeline id' }],
  options: {
    project: { type: 'string', short: 'p', value: 'ID', description: 'project id', required: true },
  },
  run: async (context) => {
    const project = stringOption(context.options, 'project')!;
    await (await context.api()).delete(wsPath(context, 'projects', project, 'pipelines', arg(context, 0)));
    return reportDeleted(context, 'pipeline', arg(context, 0));
  },
};
