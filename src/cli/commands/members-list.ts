import type { ItemList, MemberBody } from '../api-types.ts';
import type { CommandSpec } from '../command.ts';
import { emit, printTable } from '../output.ts';
import { wsPath } from './shared.ts';

/** Where a member's role came from, for people: `manual` or `scm github.com maintain`. */
export function roleSourceText(member: MemberBody): string {
  const s = member.roleSource;
  return s.kind === 'manual' ? 'manual' : `scm ${s.host} ${s.scmRole}`;
}

/** `keyhouse members list`: members with role, role source, project roles and groups. */
export const membersList: CommandSpec = {
  name: 'members list',
  summary: 'List the members of the workspace with their roles',
  run: async (context) => {
    const { items } = await (await context.api()).get<ItemList<MemberBody>>(wsPath(context, 'members'));
    return emit(context, items, () =>
      printTable(
        context.io,
        [
          { header: 'user', value: (m) => m.userId },
          { header: 'login', value: (m) => m.login },
          { header: 'role', value: (m) => m.role },
          { header: 'source', value: roleSourceText },
          {
            header: 'project roles',
            value: (m) =>
              Object.entries(m.projectRoles)
                .map(([p, r]) => `${p}=${r}`)
                .join(','),
          },
          { header: 'groups', value: (m) => m.groups.join(',') },
        ],
        items,
        'No members.',
      ),
    );
  },
};
