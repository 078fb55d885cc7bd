import type { LeastPrivilegeResult } from '../../core/catalogue/least-privilege.ts';
import { UsageError } from '../cli-error.ts';
import { type CommandContext, type CommandSpec, splitList, stringOption } from '../command.ts';
import { emit, printTable } from '../output.ts';
import { sanitize } from '../table.ts';
import { arg } from './shared.ts';

/** Options shared by `scopes` and `scopes compare`. */
export const SCOPE_OPTIONS = {
  credential: {
    type: 'string',
    value: 'TYPE',
    description: 'credential type id (classic-pat, fine-grained-pat, …)',
    required: true,
  },
  features: { type: 'string', value: 'A,B', description: 'platform features to enable', required: true },
} as const;

/** The `{ provider, credentialType, features }` of the parsed arguments. */
export function scopeQuestion(context: CommandContext): {
  provider: string;
  credentialType: string;
  features: string[];
} {
  const features = splitList(stringOption(context.options, 'features'));
  if (features.length === 0) throw new UsageError('--features names no feature', context.command);
  return {
    provider: arg(context, 0),
    credentialType: stringOption(context.options, 'credential')!,
    features,
  };
}

/** `keyhouse scopes PROVIDER --credential TYPE --features a,b`: the least-privilege scopes, each with why. */
export const scopesCommand: CommandSpec = {
  name: 'scopes',
  summary: 'Least-privilege scopes of a credential type for features',
  args: [{ name: 'provider', description: 'provider id (github, gitlab, …)' }],
  options: {
    ...SCOPE_OPTIONS,
    host: { type: 'string', value: 'HOST', description: 'host for the token-creation link' },
  },
  examples: ['keyhouse scopes github --credential classic-pat --features clone,open-fix-pull-requests'],
  run: async (context) => {
    const host = stringOption(context.options, 'host');
    const body = { ...scopeQuestion(context), ...(host === undefined ? {} : { host }) };
    const r = await (await context.api()).post<LeastPrivilegeResult>('/catalogue/least-privilege', body);
    return emit(context, r, () => {
      const rows = r.scopes.map((s) => ({
        scope: s.scope,
        neededBy: s.neededBy.map((n) => n.feature).join(','),
        why: s.neededBy[0]?.why,
      }));
      printTable(
        context.io,
        [
          { header: 'scope', value: (s) => s.scope },
          { header: 'needed by', value: (s) => s.neededBy },
          { header: 'why', value: (s) => s.why },
        ],
        rows,
        'No scopes needed.',
      );
      for (const u of r.unsupported)
        context.io.stdout.write(`unsupported: ${sanitize(u.feature)}: ${sanitize(u.reason)}\n`);
      if (r.tokenCreationUrl) context.io.stdout.write(`Create it at: ${sanitize(r.tokenCreationUrl)}\n`);
    });
  },
};
