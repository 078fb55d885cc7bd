import { exitCodeFor } from '../../core/errors.ts';
import type { CommandSpec } from '../command.ts';
import { emit, printTable } from '../output.ts';
import { arg, wsPath } from './shared.ts';
import type { DoctorBody } from './verify-types.ts';

const MARK: Readonly<Record<string, string>> = { pass: 'ok', fail: 'FAIL', skipped: 'skip' };

/** `keyhouse doctor ID`: the prerequisites checklist of an integration, each check with its fix. */
export const doctorCommand: CommandSpec = {
  name: 'doctor',
  summary: 'Check the prerequisites of an integration (exit 7 when a check fails)',
  description:
    'Token valid, scopes, clone URL form, branch exists, allow-list, registry host, namespace access, ' +
    'bucket read/write/delete, endpoint and region, IAM actions: each pass, fail or skipped, with the fix.',
  args: [{ name: 'id', description: 'integration id' }],
  examples: ['keyhouse doctor gh-main'],
  run: async (context) => {
    const d = await (await context.api()).get<DoctorBody>(
      wsPath(context, 'integrations', arg(context, 0), 'doctor'),
    );
    emit(context, d, () => {
      context.io.stdout.write(`Integration ${d.integrationId} (${d.provider}): ${d.status}\n\n`);
      printTable(
        context.io,
        [
          { header: 'check', value: (c) => c.title },
          { header: 'result', value: (c) => MARK[c.outcome] ?? c.outcome },
          { header: 'detail', value: (c) => c.detail ?? null },
          { header: 'fix', value: (c) => (c.outcome === 'fail' ? (c.fix ?? null) : null) },
        ],
        d.checks,
        'No checks.',
      );
    });
    return d.ok ? 0 : exitCodeFor('credential_invalid');
  },
};
