import type { UserBody } from '../api-types.ts';
import { type CommandSpec, stringOption } from '../command.ts';
import { arg, reportCreated } from './shared.ts';

/** `keyhouse users create LOGIN [--display-name N] [--email E]`. */
export const usersCreate: CommandSpec = {
  name: 'users create',
  summary: 'Create a user (instance administrators)',
  args: [{ name: 'login', description: 'login name (letters, digits, _ . -)' }],
  options: {
    'display-name': { type: 'string', value: 'NAME', description: 'display name' },
    email: { type: 'string', value: 'EMAIL', description: 'e-mail address' },
  },
  run: async (context) => {
    const displayName = stringOption(context.options, 'display-name');
    const email = stringOption(context.options, 'email');
    const body = {
      login: arg(context, 0),
      ...(displayName === undefined ? {} : { displayName }),
      ...(email === undefined ? {} : { email }),
    };
    const user = await (await context.api()).post<UserBody>('/users', body);
    return reportCreated(context, user, 'user', user.id, user.login);
  },
};
