import type { ApiTokenBody, ItemList } from '../api-types.ts';
import type { CommandSpec } from '../command.ts';
import { emit, printTable } from '../output.ts';

/** `keyhouse tokens list`: your API tokens (never their values: only hashes are stored). */
export const tokensList: CommandSpec = {
  name: 'tokens list',
  summary: 'List your API tokens (values are never shown again)',
  run: async (context) => {
    const { items } = await (await context.api()).get<ItemList<ApiTokenBody>>('/tokens');
    return emit(context, items, () =>
      printTable(
        context.io,
        [
          { header: 'id', value: (t) => t.id },
          { header: 'name', value: (t) => t.name },
          { header: 'created', value: (t) => t.createdAt },
          { header: 'expires', value: (t) => t.expiresAt },
          { header: 'last used', value: (t) => t.lastUsedAt },
          { header: 'revoked', value: (t) => t.revokedAt },
        ],
        items,
        'No tokens.',
      ),
    );
  },
};
