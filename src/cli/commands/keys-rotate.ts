import type { CommandSpec } from '../command.ts';
import { emit, printJson } from '../output.ts';

/**
 * `keyhouse keys rotate`: asks the server to re-wrap every workspace data key under a new master
 * key while it keeps serving (`POST /api/v1/admin/keys/rotate`, instance administrators). The new
 * master key is the server's business (its configuration); none travels over HTTP.
 */
export const keysRotate: CommandSpec = {
  name: 'keys rotate',
  summary: 'Re-wrap every data key under a new master key, online',
  run: async (context) => {
    const result = await (await context.api()).post<unknown>('/admin/keys/rotate', {});
    return emit(context, result, () => {
      context.io.stdout.write('Rotated the master key.\n');
      if (result !== undefined) printJson(context.io, result);
    });
  },
};
