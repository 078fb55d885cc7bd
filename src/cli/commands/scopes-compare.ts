import type { CompareResult } from '../../core/catalogue/compare.ts';
import { exitCodeFor } from '../../core/errors.ts';
import { UsageError } from '../cli-error.ts';
import { type CommandSpec, splitList, stringOption } from '../command.ts';
import { emit, printFields, printTable } from '../output.ts';
import { SCOPE_OPTIONS, scopeQuestion } from './scopes.ts';

/** Exit code of `scopes compare` when a feature is not served (the credential lacks scopes). */
export const SCOPES_MISSING_EXIT_CODE = exitCodeFor('scope_missing');

/** `keyhouse scopes compare PROVIDER --credential TYPE --features a,b --granted s1,s2`. */
export const scopesCompare: CommandSpec = {
  name: 'scopes compare',
  summary: 'Compare granted scopes with what features need (exit 7 when missing)',
  args: [{ name: 'provider', description: 'provider id (github, gitlab, …)' }],
  options: {
    ...SCOPE_OPTIONS,
    granted: { type: 'string', value: 'S1,S2', description: 'the scopes the credential has', required: true },
  },
  run: async (context) => {
    const grantedScopes = splitList(stringOption(context.options, 'granted'));
    if (grantedScopes.length === 0) throw new UsageError('--granted names no scope', context.command);
    const r = await (await context.api()).post<CompareResult>('/catalogue/compare', {
      ...scopeQuestion(context),
      grantedScopes,
    });
    emit(context, r, () => {
      printTable(
        context.io,
        [
          { header: 'feature', value: (f) => f.feature },
          { header: 'status', value: (f) => f.status },
          {
            header: 'missing (any of each)',
            value: (f) => (f.status === 'missing' ? f.missing.map((m) => m.anyOf.join('|')).join(' ') : null),
          },
        ],
        r.features,
        'No features.',
      );
      context.io.stdout.write('\n');
      printFields(context.io, [
        ['To add', r.toAdd.join(', ')],
        ['Excess', r.excess.join(', ')],
        ['Broader', r.broader.map((b) => `${b.scope} (enough: ${b.enough.join('|')})`).join(', ')],
        ['Redundant', r.redundant.join(', ')],
        ['Unknown', r.unknown.join(', ')],
      ]);
    });
    return r.ok ? 0 : SCOPES_MISSING_EXIT_CODE;
  },
};
