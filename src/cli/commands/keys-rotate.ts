import { UsageError } from '../cli-error.ts';
import { type CommandSpec, stringOption } from '../command.ts';
import { emit, printJson } from '../output.ts';
import { readSecretFile } from '../secret-input.ts';

/**
 * `keyhouse keys rotate [--new-key-file FILE|-]`: the server re-wraps every workspace data key
 * under a new master key while it keeps serving (`POST /api/v1/admin/keys/rotate`, admins of the
 * operator workspace). Without a file the server generates the key, which it can only do when it
 * manages the key file itself; a configured key is read from a file or standard input, never an
 * argument.
 */
export const keysRotate: CommandSpec = {
  name: 'keys rotate',
  summary: 'Re-wrap every data key under a new master key, online',
  options: {
    'new-key-file': {
      type: 'string',
      value: 'FILE',
      description: 'file holding the new master key (base64 of 32 bytes), `-` for standard input',
    },
  },
  run: async (context) => {
    const file = stringOption(context.options, 'new-key-file');
    const key =
      file === undefined ? undefined : (await readSecretFile(context.io, file, 'new master key')).trim();
    if (key === '') throw new UsageError('the new master key is empty', 'keys rotate');
    const result = await (await context.api()).post<unknown>(
      '/admin/keys/rotate',
      key === undefined ? {} : { newMasterKey: key },
    );
    return emit(context, result, () => {
      context.io.stdout.write('Rotated the master key.\n');
      if (result !== undefined) printJson(context.io, result);
    });
  },
};
