import type { IntegrationBody } from '../api-types.ts';
import type { CommandSpec } from '../command.ts';
import { emit, printFields } from '../output.ts';
import { scopeText } from './integrations-list.ts';
import { printPermissions } from './permissions-get.ts';
import { arg, wsPath } from './shared.ts';

/** `keyhouse integrations show ID`: every field except secrets (the API never returns them). */
export const integrationsShow: CommandSpec = {
  name: 'integrations show',
  summary: 'Show an integration (credential field names, never values)',
  args: [{ name: 'id', description: 'integration id' }],
  run: async (context) => {
    const i = await (await context.api()).get<IntegrationBody>(
      wsPath(context, 'integrations', arg(context, 0)),
    );
    return emit(context, i, () => {
      printFields(context.io, [
        ['ID', i.id],
        ['Name', i.name],
        ['Provider', i.provider],
        ['Credential type', i.credentialType],
        ['Credential fields', i.credential.fields.join(', ')],
        ['Credential replaced', i.credential.replacedAt],
        ['Scope', scopeText(i.scope)],
        ['Verification', i.verification.status],
        ['Your level', i.yourLevel],
        ['Created', `${i.createdAt}${i.createdBy ? ` by ${i.createdBy}` : ''}`],
        ['Updated', `${i.updatedAt} (version ${i.version})`],
        ...Object.entries(i.config).map(([k, v]): [string, string] => [
          `config.${k}`,
          Array.isArray(v) ? v.join(',') : String(v),
        ]),
      ]);
      context.io.stdout.write('\n');
      printPermissions(context, i.permissions);
    });
  },
};
