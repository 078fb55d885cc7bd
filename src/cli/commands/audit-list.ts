import type { AuditEventBody, ItemList } from '../api-types.ts';
import { UsageError } from '../cli-error.ts';
import { type CommandSpec, stringOption } from '../command.ts';
import { emit, printTable } from '../output.ts';
import { wsPath } from './shared.ts';

/** Parses `--limit` (1–100). */
export function parseLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw new UsageError('--limit must be a whole number from 1 to 100', 'audit list');
  return n;
}

/** `keyhouse audit list [--action A] [--actor U] [--target ID] [--since TIME] [--limit N]`. */
export const auditList: CommandSpec = {
  name: 'audit list',
  summary: 'List the audit events of the workspace',
  options: {
    action: { type: 'string', value: 'ACTION', description: 'only this action (integration.create, …)' },
    actor: { type: 'string', value: 'ID', description: 'only events by this user' },
    target: { type: 'string', value: 'ID', description: 'only events on this object' },
    since: { type: 'string', value: 'TIME', description: 'only events at or after this ISO 8601 time' },
    'after-seq': {
      type: 'string',
      value: 'N',
      description: 'only events after this sequence number (paging)',
    },
    limit: { type: 'string', short: 'n', value: 'N', description: 'at most N events (1–100, default 50)' },
  },
  run: async (context) => {
    const o = context.options;
    const query = {
      action: stringOption(o, 'action'),
      actor: stringOption(o, 'actor'),
      targetId: stringOption(o, 'target'),
      since: stringOption(o, 'since'),
      afterSeq: stringOption(o, 'after-seq'),
      limit: parseLimit(stringOption(o, 'limit')),
    };
    const { items } = await (await context.api()).get<ItemList<AuditEventBody>>(
      wsPath(context, 'audit'),
      query,
    );
    return emit(context, items, () =>
      printTable(
        context.io,
        [
          { header: 'seq', value: (e) => e.seq, align: 'right' },
          { header: 'at', value: (e) => e.at },
          { header: 'actor', value: (e) => e.actor },
          { header: 'action', value: (e) => e.action },
          {
            header: 'target',
            value: (e) => (e.targetId === null ? e.targetType : `${e.targetType} ${e.targetId}`),
          },
        ],
        items,
        'No audit events.',
      ),
    );
  },
};
