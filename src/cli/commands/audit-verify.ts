import type { AuditVerifyBody } from '../api-types.ts';
import type { CommandSpec } from '../command.ts';
import { emit } from '../output.ts';
import { sanitize } from '../table.ts';
import { wsPath } from './shared.ts';

/** Exit code of `audit verify` when the chain is broken (an integrity failure, not an API error). */
export const AUDIT_BROKEN_EXIT_CODE = 1;

/** `keyhouse audit verify`: checks the hash chain; exits 1 when an event was edited, inserted or deleted. */
export const auditVerify: CommandSpec = {
  name: 'audit verify',
  summary: 'Verify the hash chain of the audit log (exit 1 when broken)',
  run: async (context) => {
    const result = await (await context.api()).get<AuditVerifyBody>(wsPath(context, 'audit', 'verify'));
    emit(context, result, () => {
      if (result.ok) context.io.stdout.write(`OK: ${result.checked} events, chain intact.\n`);
      else {
        const where = result.firstBadSeq === undefined ? '' : ` at event ${result.firstBadSeq}`;
        context.io.stdout.write(
          `BROKEN${where}: ${sanitize(result.problem ?? 'the chain does not verify')} (${result.checked} events checked)\n`,
        );
      }
    });
    return result.ok ? 0 : AUDIT_BROKEN_EXIT_CODE;
  },
};
