import { exitCodeFor } from '../../core/errors.ts';
import { INTEGRATION_ACTIONS } from '../../core/policy/types.ts';
import type { DecisionBody } from '../api-types.ts';
import { UsageError } from '../cli-error.ts';
import { type CommandContext, type CommandSpec, stringOption } from '../command.ts';
import { emit } from '../output.ts';
import { arg, printDecision, wsPath } from './shared.ts';

/** The check body of the parsed `check`/`explain` arguments. */
export function checkBody(context: CommandContext): {
  integrationId: string;
  action: string;
  userId?: string;
} {
  const action = stringOption(context.options, 'action') ?? 'integration.use';
  if (!INTEGRATION_ACTIONS.some((a) => a === action)) {
    throw new UsageError(
      `--action: '${action}' is not one of ${INTEGRATION_ACTIONS.join(', ')}`,
      context.command,
    );
  }
  const user = stringOption(context.options, 'user');
  return { integrationId: arg(context, 0), action, ...(user === undefined ? {} : { userId: user }) };
}

/** Options shared by `check` and `explain`. */
export const CHECK_OPTIONS = {
  action: {
    type: 'string',
    value: 'ACTION',
    description: `integration action (default integration.use): ${INTEGRATION_ACTIONS.join(', ')}`,
  },
  user: { type: 'string', short: 'u', value: 'ID', description: 'the user to decide for (default: you)' },
} as const;

/** The exit code of a decision: 0 when allowed, the permission category's code when denied. */
export function decisionExitCode(allowed: boolean): number {
  return allowed ? 0 : exitCodeFor('forbidden');
}

/** `keyhouse check INTEGRATION --action A [--user U]`: exits 0 when allowed, 4 when denied. */
export const checkCommand: CommandSpec = {
  name: 'check',
  summary: 'May a user act on an integration? (exit 0 allowed, 4 denied)',
  args: [{ name: 'integration', description: 'integration id' }],
  options: CHECK_OPTIONS,
  examples: ['keyhouse check gh --action integration.use --user u1 && echo allowed'],
  run: async (context) => {
    const decision = await (await context.api()).post<DecisionBody>(
      wsPath(context, 'check'),
      checkBody(context),
    );
    emit(context, decision, () => printDecision(context, decision, false));
    return decisionExitCode(decision.allowed);
  },
};
