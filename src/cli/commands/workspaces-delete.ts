import { UsageError } from '../cli-error.ts';
import type { CommandSpec } from '../command.ts';
import { apiPath } from '../http-client.ts';
import { arg, reportDeleted } from './shared.ts';

/** `keyhouse workspaces delete ID --yes`: deletes a workspace and destroys its data key. */
export const workspacesDelete: CommandSpec = {
  name: 'workspaces delete',
  summary: 'Delete a workspace and destroy its data key (irreversible)',
  description: 'Every integration credential of the workspace becomes unreadable. Requires --yes.',
  args: [{ name: 'id', description: 'workspace id (never taken from --workspace)' }],
  options: { yes: { type: 'boolean', description: 'confirm the irreversible deletion' } },
  run: async (context) => {
    const id = arg(context, 0);
    if (context.options['yes'] !== true)
      throw new UsageError(`deleting workspace '${id}' is irreversible; add --yes`, context.command);
    await (await context.api()).delete(apiPath('workspaces', id));
    return reportDeleted(context, 'workspace', id);
  },
};
