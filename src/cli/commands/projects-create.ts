import type { ProjectBody } from '../api-types.ts';
import { UsageError } from '../cli-error.ts';
import { type CommandSpec, stringOption } from '../command.ts';
import { arg, reportCreated, wsPath } from './shared.ts';

/** Splits `HOST/OWNER/NAME` into the repository reference of a project. */
export function parseRepository(text: string): { host: string; fullName: string } {
  const slash = text.indexOf('/');
  const host = text.slice(0, slash);
  const fullName = text.slice(slash + 1);
  if (slash <= 0 || fullName === '')
    throw new UsageError(`--repo: expected HOST/OWNER/NAME, got '${text}'`, 'projects create');
  return { host, fullName };
}

/** `keyhouse projects create NAME [--id ID] [--repo HOST/OWNER/NAME]`. */
export const projectsCreate: CommandSpec = {
  name: 'projects create',
  summary: 'Create a project',
  args: [{ name: 'name', description: 'display name' }],
  options: {
    id: { type: 'string', value: 'ID', description: 'identifier (default: chosen by the server)' },
    repo: {
      type: 'string',
      value: 'HOST/OWNER/NAME',
      description: 'its SCM repository, e.g. github.com/acme/api',
    },
  },
  examples: ['keyhouse projects create API --id api --repo github.com/acme/api'],
  run: async (context) => {
    const id = stringOption(context.options, 'id');
    const repo = stringOption(context.options, 'repo');
    const body = {
      name: arg(context, 0),
      ...(id === undefined ? {} : { id }),
      ...(repo === undefined ? {} : { repository: parseRepository(repo) }),
    };
    const created = await (await context.api()).post<ProjectBody>(wsPath(context, 'projects'), body);
    return reportCreated(context, created, 'project', created.id, created.name);
  },
};
