import type { WorkspaceBody } from '../api-types.ts';
import { type CommandSpec, stringOption } from '../command.ts';
import { arg, reportCreated } from './shared.ts';

/** `keyhouse workspaces create NAME [--id ID]` (instance administrators only). */
export const workspacesCreate: CommandSpec = {
  name: 'workspaces create',
  summary: 'Create a workspace (instance administrators)',
  args: [{ name: 'name', description: 'display name' }],
  options: { id: { type: 'string', value: 'ID', description: 'identifier (default: chosen by the server)' } },
  run: async (context) => {
    const id = stringOption(context.options, 'id');
    const body = { name: arg(context, 0), ...(id === undefined ? {} : { id }) };
    const created = await (await context.api()).post<WorkspaceBody>('/workspaces', body);
    return reportCreated(context, created, 'workspace', created.id, created.name);
  },
};
