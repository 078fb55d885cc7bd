/**
 * Small helpers the command files share: workspace paths, positional arguments, the answer of a
 * delete, and the rendering of a decision.
 */
import type { DecisionBody } from '../api-types.ts';
import type { CommandContext } from '../command.ts';
import { apiPath } from '../http-client.ts';
import { emit } from '../output.ts';
import { sanitize } from '../table.ts';

/** `/workspaces/{ws}/…` for the context's workspace, every segment encoded. */
export function wsPath(context: CommandContext, ...rest: readonly string[]): string {
  return apiPath('workspaces', context.workspace, ...rest);
}

/** The `index`th positional argument (its presence was checked by the parser). */
export function arg(context: CommandContext, index: number): string {
  return context.args[index] ?? '';
}

/** Reports a deletion: `Deleted project p1.`, or `{ "deleted": … }` with `--json`. */
export function reportDeleted(context: CommandContext, type: string, id: string): number {
  return emit(context, { deleted: { type, id } }, () =>
    context.io.stdout.write(`Deleted ${type} ${sanitize(id)}.\n`),
  );
}

/** Reports a creation: `Created project p1 (Name).` */
export function reportCreated(
  context: CommandContext,
  value: unknown,
  type: string,
  id: string,
  name?: string,
): number {
  const label = name === undefined ? '' : ` (${sanitize(name)})`;
  return emit(context, value, () => context.io.stdout.write(`Created ${type} ${sanitize(id)}${label}.\n`));
}

/** Prints a decision for people: the verdict, the level, and the explanation hop by hop. */
export function printDecision(context: CommandContext, decision: DecisionBody, withReasons: boolean): void {
  const out = context.io.stdout;
  out.write(`${decision.allowed ? 'ALLOWED' : 'DENIED'} (level ${decision.level})\n`);
  for (const line of decision.explanation) out.write(`  - ${sanitize(line)}\n`);
  if (!withReasons) return;
  out.write('Hops:\n');
  decision.reasons.forEach((reason, i) => {
    const { hop, ...rest } = reason as { hop: string } & Record<string, unknown>;
    out.write(`  ${i + 1}. ${sanitize(hop)} ${sanitize(JSON.stringify(rest))}\n`);
  });
}
