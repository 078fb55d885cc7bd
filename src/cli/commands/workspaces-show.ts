import type { WorkspaceBody } from '../api-types.ts';
import type { CommandSpec } from '../command.ts';
import { apiPath } from '../http-client.ts';
import { emit, printFields } from '../output.ts';

/** `keyhouse workspaces show [ID]`: one workspace (default: the current one). */
export const workspacesShow: CommandSpec = {
  name: 'workspaces show',
  summary: 'Show a workspace (default: the current one)',
  args: [{ name: 'id', description: 'workspace id (default: --workspace)', optional: true }],
  run: async (context) => {
    const id = context.args[0] ?? context.workspace;
    const w = await (await context.api()).get<WorkspaceBody>(apiPath('workspaces', id));
    return emit(context, w, () =>
      printFields(context.io, [
        ['ID', w.id],
        ['Name', w.name],
        ['Your role', w.yourRole],
        ['Created', w.createdAt],
      ]),
    );
  },
};
