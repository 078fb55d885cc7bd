import { UsageError } from '../cli-error.ts';
import { type CommandSpec, stringOption } from '../command.ts';
import { printJson } from '../output.ts';
import { readTextFile } from '../secret-input.ts';
import { wsPath } from './shared.ts';

/** Parses the change JSON of `what-if`. */
export function parseChange(text: string): unknown {
  try {
    const change: unknown = JSON.parse(text);
    if (change !== null && typeof change === 'object' && !Array.isArray(change)) return change;
  } catch {
    // reported below
  }
  throw new UsageError('the change must be a JSON object such as {"kind":"set-entry",…}', 'what-if');
}

/** `keyhouse what-if --change JSON | --file FILE`: who would gain or lose access; nothing is applied. */
export const whatIfCommand: CommandSpec = {
  name: 'what-if',
  summary: 'Preview who gains or loses access by a change; nothing is applied',
  description:
    'Change kinds: set-entry, set-default, group-membership, role, scope, allowed-pipelines\n' +
    '(the request schema is in the OpenAPI document at /api/openapi.json).',
  options: {
    change: { type: 'string', value: 'JSON', description: 'the proposed change' },
    file: { type: 'string', value: 'FILE', description: 'read the change from this JSON file' },
  },
  examples: [
    `keyhouse what-if --change '{"kind":"set-entry","integrationId":"gh","subject":"group","id":"g1","level":"DENY"}'`,
  ],
  run: async (context) => {
    const inline = stringOption(context.options, 'change');
    const file = stringOption(context.options, 'file');
    if ((inline === undefined) === (file === undefined))
      throw new UsageError('give exactly one of --change and --file', context.command);
    const change = parseChange(inline ?? (await readTextFile(file!, 'change')));
    const result = await (await context.api()).post<unknown>(wsPath(context, 'what-if'), { change });
    printJson(context.io, result);
    return 0;
  },
};
