import { exitCodeFor } from '../../core/errors.ts';
import type { IntegrationBody, ItemList } from '../api-types.ts';
import { ApiError, UsageError } from '../cli-error.ts';
import type { CommandContext, CommandSpec } from '../command.ts';
import { emit, printFields, printTable } from '../output.ts';
import { createProgress } from '../progress.ts';
import { arg, wsPath } from './shared.ts';
import { type VerificationBody, WORKING_STATUSES } from './verify-types.ts';

/** Exit code when an integration does not work (invalid, expired, missing scopes, unreachable…). */
export const VERIFY_FAILED_EXIT_CODE = exitCodeFor('credential_invalid');

/** One line of the `--all` summary. */
interface SummaryRow {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly note: string;
}

function firstProblem(v: VerificationBody): string {
  const worst =
    v.findings.find((f) => f.severity === 'error') ?? v.findings.find((f) => f.severity === 'warning');
  return worst === undefined ? '' : worst.message;
}

function printVerification(context: CommandContext, v: VerificationBody): void {
  printFields(context.io, [
    ['Integration', v.integrationId],
    ['Status', v.status],
    ['Identity', [v.identity?.account, v.identity?.organisation].filter(Boolean).join(' @ ') || null],
    ['Granted', v.grantedScopes === undefined ? null : v.grantedScopes.join(', ')],
    ['Expires', v.expiresAt ?? null],
    ['Checked', v.checkedAt],
  ]);
  if (v.findings.length === 0) return;
  context.io.stdout.write('\n');
  printTable(
    context.io,
    [
      { header: 'severity', value: (f) => f.severity },
      { header: 'code', value: (f) => f.code },
      { header: 'message', value: (f) => f.message },
      { header: 'fix', value: (f) => f.fix ?? null },
    ],
    v.findings,
    '',
  );
}

async function verifyAll(context: CommandContext): Promise<number> {
  const api = await context.api();
  const list = await api.get<ItemList<IntegrationBody>>(wsPath(context, 'integrations'));
  const progress = createProgress(context.io, { label: 'Verifying', total: list.items.length });
  const rows: SummaryRow[] = [];
  for (const i of list.items) {
    progress.tick(0, i.name);
    try {
      const v = await api.post<VerificationBody>(wsPath(context, 'integrations', i.id, 'verify'));
      rows.push({ id: i.id, name: i.name, status: v.status, note: firstProblem(v) });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      rows.push({ id: i.id, name: i.name, status: `error (${error.code})`, note: error.message });
    }
    progress.tick(1);
  }
  const failing = rows.filter((r) => !WORKING_STATUSES.includes(r.status)).length;
  progress.done(
    `Verified ${rows.length} integration${rows.length === 1 ? '' : 's'}, ${failing} not working.`,
  );
  emit(context, { items: rows }, () =>
    printTable(
      context.io,
      [
        { header: 'id', value: (r) => r.id },
        { header: 'name', value: (r) => r.name },
        { header: 'status', value: (r) => r.status },
        { header: 'note', value: (r) => r.note || null },
      ],
      rows,
      'No integrations.',
    ),
  );
  return failing === 0 ? 0 : VERIFY_FAILED_EXIT_CODE;
}

/** `keyhouse verify ID` or `keyhouse verify --all`: verify credentials against their hosts now. */
export const verifyCommand: CommandSpec = {
  name: 'verify',
  summary: 'Verify integrations against their hosts now (exit 7 when one does not work)',
  description:
    'Asks each host who the credential is, what it grants and when it expires, and stores the status ' +
    '(verified, missing-scopes, excess-scopes, invalid, expiring, expired, unreachable, rate-limited).',
  args: [{ name: 'id', description: 'integration id (or --all)', optional: true }],
  options: { all: { type: 'boolean', description: 'verify every integration you can see' } },
  examples: ['keyhouse verify gh-main', 'keyhouse verify --all'],
  run: async (context) => {
    const all = context.options['all'] === true;
    const id = arg(context, 0);
    if (all === (id !== '')) throw new UsageError('name one integration id, or --all', context.command);
    if (all) return verifyAll(context);
    const v = await (await context.api()).post<VerificationBody>(
      wsPath(context, 'integrations', id, 'verify'),
    );
    emit(context, v, () => printVerification(context, v));
    return WORKING_STATUSES.includes(v.status) ? 0 : VERIFY_FAILED_EXIT_CODE;
  },
};
