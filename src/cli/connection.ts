/**
 * Where the CLI connects and with which token: `--url` / `KEYHOUSE_URL`, `--workspace` /
 * `KEYHOUSE_WORKSPACE`, and the token from `--token-file` (`-` = standard input), `KEYHOUSE_TOKEN`,
 * or a hidden prompt on a terminal. Never from an argument.
 */
import { exitCodeFor } from '../core/errors.ts';
import { CliError, UsageError } from './cli-error.ts';
import { type OptionValues, stringOption } from './command.ts';
import type { CliIO } from './io.ts';
import { promptHidden, readAll, readSecretFile } from './secret-input.ts';

/** The default server: the loopback address `keyhouse serve` listens on. */
export const DEFAULT_URL = 'http://127.0.0.1:7070';
/** The default workspace. */
export const DEFAULT_WORKSPACE = 'default';

/** The server URL of this invocation. */
export function serverUrl(io: CliIO, options: OptionValues): string {
  return stringOption(options, 'url') ?? nonEmpty(io.env['KEYHOUSE_URL']) ?? DEFAULT_URL;
}

/** The workspace of this invocation. */
export function workspaceOf(io: CliIO, options: OptionValues): string {
  return stringOption(options, 'workspace') ?? nonEmpty(io.env['KEYHOUSE_WORKSPACE']) ?? DEFAULT_WORKSPACE;
}

/** The request timeout in milliseconds from `--timeout SECONDS`. */
export function timeoutOf(options: OptionValues): number {
  const raw = stringOption(options, 'timeout');
  if (raw === undefined) return 30_000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw new UsageError('--timeout must be a number of seconds between 0 and 3600');
  }
  return Math.round(seconds * 1000);
}

/** True when the token will be read from standard input (so nothing else may read it). */
export function tokenFromStdin(options: OptionValues): boolean {
  return stringOption(options, 'token-file') === '-';
}

/** Resolves the API token; the value is returned to the client and nowhere else. */
export async function resolveToken(io: CliIO, options: OptionValues): Promise<string> {
  const file = stringOption(options, 'token-file');
  let token: string | undefined;
  if (file === '-') token = await readAll(io);
  else if (file !== undefined) token = await readSecretFile(io, file, 'token');
  else token = nonEmpty(io.env['KEYHOUSE_TOKEN']);
  if (token === undefined && io.isTTY.stdin)
    token = await promptHidden(io, 'Keyhouse API token (input hidden): ');
  const trimmed = token?.trim();
  if (!trimmed) {
    throw new CliError(
      'no API token: give --token-file FILE (or - for standard input), or set KEYHOUSE_TOKEN',
      exitCodeFor('unauthenticated'),
      'unauthenticated',
    );
  }
  if (/\s/.test(trimmed)) throw new UsageError('the API token must be a single line without spaces');
  return trimmed;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
