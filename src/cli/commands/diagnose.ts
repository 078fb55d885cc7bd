import { UsageError } from '../cli-error.ts';
import { type CommandSpec, stringOption } from '../command.ts';
import { emit, printFields } from '../output.ts';
import { readAll } from '../secret-input.ts';
import { sanitize } from '../table.ts';
import { wsPath } from './shared.ts';
import type { DiagnosisBody } from './verify-types.ts';

/** Largest error text read from standard input. */
const MAX_TEXT_BYTES = 100_000;

/** `keyhouse diagnose [--status N] [--provider P] [--text T] < log`: the likely layer and the fix. */
export const diagnoseCommand: CommandSpec = {
  name: 'diagnose',
  summary: 'Explain an error from a failing step: the layer and the steps to fix it',
  description: 'Reads the error text from --text or standard input; names the integration when it can.',
  options: {
    text: { type: 'string', value: 'TEXT', description: 'the error message (else read from standard input)' },
    status: { type: 'string', value: 'N', description: 'HTTP status of the failing call' },
    provider: { type: 'string', value: 'P', description: 'provider id (github, docker-registry, s3, …)' },
  },
  examples: [
    'git push 2>&1 | keyhouse diagnose --provider github',
    "keyhouse diagnose --status 403 --text 'denied'",
  ],
  run: async (context) => {
    const text = stringOption(context.options, 'text') ?? (await readAll(context.io, MAX_TEXT_BYTES));
    if (text.trim() === '')
      throw new UsageError('give the error text with --text or on standard input', context.command);
    const rawStatus = stringOption(context.options, 'status');
    const status = rawStatus === undefined ? undefined : Number(rawStatus);
    if (status !== undefined && (!Number.isInteger(status) || status < 100 || status > 599)) {
      throw new UsageError('--status must be an HTTP status (100 to 599)', context.command);
    }
    const provider = stringOption(context.options, 'provider');
    const d = await (await context.api()).post<DiagnosisBody>(wsPath(context, 'diagnose'), {
      text,
      ...(status === undefined ? {} : { status }),
      ...(provider === undefined ? {} : { provider }),
    });
    return emit(context, d, () => {
      printFields(context.io, [
        ['Layer', d.layer],
        ['Diagnosis', d.title],
        ['Confidence', `${Math.round(d.confidence * 100)}%`],
        ['Integration', d.integration === undefined ? null : `${d.integration.name} (${d.integration.id})`],
      ]);
      context.io.stdout.write(`\n${sanitize(d.explanation)}\n\nSteps:\n`);
      for (const [i, step] of d.steps.entries()) context.io.stdout.write(`  ${i + 1}. ${sanitize(step)}\n`);
      if (d.alternatives.length > 0) {
        const others = d.alternatives
          .map((a) => `${a.layer} (${Math.round(a.confidence * 100)}%)`)
          .join(', ');
        context.io.stdout.write(`\nAlso possible: ${sanitize(others)}\n`);
      }
    });
  },
};
