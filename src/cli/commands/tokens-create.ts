import { writeFile } from 'node:fs/promises';
import type { ApiTokenBody } from '../api-types.ts';
import { CliError, UsageError } from '../cli-error.ts';
import { type CommandSpec, stringOption } from '../command.ts';
import { sanitize } from '../table.ts';

/** Parses `--expires-in-days` (1–366). */
function parseDays(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 366)
    throw new UsageError('--expires-in-days must be a whole number from 1 to 366', 'tokens create');
  return n;
}

/** `keyhouse tokens create --name N [--expires-in-days D] [--out FILE]`: the value is shown once. */
export const tokensCreate: CommandSpec = {
  name: 'tokens create',
  summary: 'Create an API token; its value is shown once',
  description:
    'Without --out the token value is the only line on standard output, so it can be redirected;\n' +
    'everything else goes to standard error. With --json, standard output is { token, apiToken }.',
  options: {
    name: { type: 'string', value: 'NAME', description: 'what the token is for', required: true },
    'expires-in-days': { type: 'string', value: 'DAYS', description: 'expiry (1–366 days)' },
    out: {
      type: 'string',
      short: 'o',
      value: 'FILE',
      description: 'write the token to this new file (mode 600)',
    },
  },
  run: async (context) => {
    const days = parseDays(stringOption(context.options, 'expires-in-days'));
    const out = stringOption(context.options, 'out');
    const body = {
      name: stringOption(context.options, 'name')!,
      ...(days === undefined ? {} : { expiresInDays: days }),
    };
    const created = await (await context.api()).post<{ token: string; apiToken: ApiTokenBody }>(
      '/tokens',
      body,
    );
    const { io } = context;
    if (out !== undefined) {
      try {
        await writeFile(out, created.token + '\n', { mode: 0o600, flag: 'wx' });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'error';
        throw new CliError(
          `token ${created.apiToken.id} was created but could not be written to ${out} (${code}); revoke it`,
          1,
          'internal',
        );
      }
    }
    if (context.json)
      io.stdout.write(
        JSON.stringify(out === undefined ? created : { apiToken: created.apiToken }, null, 2) + '\n',
      );
    else if (out === undefined) io.stdout.write(created.token + '\n');
    const where = out === undefined ? 'shown above; it will not be shown again' : `written to ${out}`;
    io.stderr.write(
      `Created token ${sanitize(created.apiToken.id)} (${sanitize(created.apiToken.name)}), ${where}.\n`,
    );
    return 0;
  },
};
