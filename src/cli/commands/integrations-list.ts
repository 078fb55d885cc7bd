import type { IntegrationBody } from '../api-types.ts';
import { type CommandSpec, stringOption } from '../command.ts';
import { emit, printTable } from '../output.ts';
import { wsPath } from './shared.ts';

/** An integration's scope for people: `WORKSPACE` or `PROJECT api`. */
export function scopeText(scope: IntegrationBody['scope']): string {
  return scope.type === 'WORKSPACE' ? 'WORKSPACE' : `PROJECT ${scope.projectId}`;
}

/** `keyhouse integrations list [--project P] [--provider X]`: the integrations you may see. */
export const integrationsList: CommandSpec = {
  name: 'integrations list',
  summary: 'List the integrations you may see',
  options: {
    project: { type: 'string', short: 'p', value: 'ID', description: 'only those visible in this project' },
    provider: { type: 'string', value: 'PROVIDER', description: 'only this provider (github, gitlab, …)' },
  },
  run: async (context) => {
    const query = {
      projectId: stringOption(context.options, 'project'),
      provider: stringOption(context.options, 'provider'),
    };
    const answer = await (await context.api()).get<{ items: IntegrationBody[] }>(
      wsPath(context, 'integrations'),
      query,
    );
    return emit(context, answer.items, () =>
      printTable(
        context.io,
        [
          { header: 'id', value: (i) => i.id },
          { header: 'name', value: (i) => i.name },
          { header: 'provider', value: (i) => i.provider },
          { header: 'credential', value: (i) => i.credentialType },
          { header: 'scope', value: (i) => scopeText(i.scope) },
          { header: 'status', value: (i) => i.verification.status },
          { header: 'your level', value: (i) => i.yourLevel },
        ],
        answer.items,
        'No integrations.',
      ),
    );
  },
};
