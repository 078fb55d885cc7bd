import type { RunDecisionBody } from '../api-types.ts';
import { UsageError } from '../cli-error.ts';
import { type CommandSpec, splitList, stringOption } from '../command.ts';
import { emit } from '../output.ts';
import { sanitize } from '../table.ts';
import { decisionExitCode } from './check.ts';
import { wsPath } from './shared.ts';

/** `keyhouse runs check --pipeline P --integrations a,b`: may this pipeline's run use these integrations? */
export const runsCheck: CommandSpec = {
  name: 'runs check',
  summary: 'May a pipeline run use integrations? (exit 0 allowed, 4 denied)',
  options: {
    pipeline: { type: 'string', value: 'ID', description: 'pipeline id', required: true },
    integrations: { type: 'string', value: 'A,B', description: 'integration ids', required: true },
    'as-user': { type: 'string', value: 'ID', description: 'the user who triggered the run' },
  },
  run: async (context) => {
    const integrationIds = splitList(stringOption(context.options, 'integrations'));
    if (integrationIds.length === 0)
      throw new UsageError('--integrations names no integration', context.command);
    const asUser = stringOption(context.options, 'as-user');
    const body = {
      pipelineId: stringOption(context.options, 'pipeline')!,
      integrationIds,
      ...(asUser === undefined ? {} : { asUserId: asUser }),
    };
    const decision = await (await context.api()).post<RunDecisionBody>(
      wsPath(context, 'runs', 'check'),
      body,
    );
    emit(context, decision, () => {
      const out = context.io.stdout;
      out.write(
        decision.allowed ? 'ALLOWED\n' : `DENIED: ${sanitize(decision.message ?? 'missing permissions')}\n`,
      );
      for (const m of decision.missing) out.write(`  missing: ${sanitize(m.id)} (${sanitize(m.name)})\n`);
      for (const line of decision.explanation) out.write(`  - ${sanitize(line)}\n`);
    });
    return decisionExitCode(decision.allowed);
  },
};
