import type { DecisionBody } from '../api-types.ts';
import type { CommandSpec } from '../command.ts';
import { emit } from '../output.ts';
import { CHECK_OPTIONS, checkBody } from './check.ts';
import { printDecision, wsPath } from './shared.ts';

/** `keyhouse explain INTEGRATION [--action A] [--user U]`: the decision with every hop that led to it. */
export const explainCommand: CommandSpec = {
  name: 'explain',
  summary: 'Explain a decision hop by hop: role, level, scope, pipelines',
  args: [{ name: 'integration', description: 'integration id' }],
  options: CHECK_OPTIONS,
  run: async (context) => {
    const decision = await (await context.api()).post<DecisionBody>(
      wsPath(context, 'explain'),
      checkBody(context),
    );
    return emit(context, decision, () => printDecision(context, decision, true));
  },
};
