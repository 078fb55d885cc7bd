import type { MemberBody } from '../api-types.ts';
import { type CommandSpec, stringOption } from '../command.ts';
import { arg, reportCreated, wsPath } from './shared.ts';

/** `keyhouse members add LOGIN --role R [--display-name N] [--email E]` (workspace admins). */
export const membersAdd: CommandSpec = {
  name: 'members add',
  summary: 'Add a user to the workspace with a role (created by login when new)',
  args: [{ name: 'login', description: 'login name (letters, digits, _ . -)' }],
  options: {
    role: { type: 'string', value: 'ROLE', description: 'member, collaborator or admin', required: true },
    'display-name': { type: 'string', value: 'NAME', description: 'display name' },
    email: { type: 'string', value: 'EMAIL', description: 'e-mail address' },
  },
  run: async (context) => {
    const displayName = stringOption(context.options, 'display-name');
    const email = stringOption(context.options, 'email');
    const body = {
      login: arg(context, 0),
      role: stringOption(context.options, 'role')!,
      ...(displayName === undefined ? {} : { displayName }),
      ...(email === undefined ? {} : { email }),
    };
    const member = await (await context.api()).post<MemberBody>(wsPath(context, 'members'), body);
    return reportCreated(context, member, 'member', member.userId, member.login);
  },
};
