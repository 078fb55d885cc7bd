/**
 * Output for people and for scripts: tables and key/value blocks on a terminal, JSON with
 * `--json`; errors on standard error with the exit code of their category.
 */
import { ApiError, CliError, UsageError } from './cli-error.ts';
import type { CommandContext } from './command.ts';
import type { CliIO } from './io.ts';
import { type Cell, type Column, cellText, displayWidth, renderTable, sanitize } from './table.ts';

/** Writes a value as indented JSON. */
export function printJson(io: CliIO, value: unknown): void {
  io.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Terminal width for tables: `COLUMNS`, else the terminal's, else unlimited (a pipe). */
export function terminalWidth(io: CliIO): number | undefined {
  const fromEnv = Number(io.env['COLUMNS']);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return io.isTTY.stdout ? (io.stdout.columns ?? 80) : undefined;
}

/** Prints rows as a table, or `empty` when there are none. */
export function printTable<Row>(
  io: CliIO,
  columns: readonly Column<Row>[],
  rows: readonly Row[],
  empty: string,
): void {
  if (rows.length === 0) {
    io.stdout.write(empty + '\n');
    return;
  }
  const maxWidth = terminalWidth(io);
  io.stdout.write(renderTable(columns, rows, maxWidth === undefined ? {} : { maxWidth }));
}

/** Prints `label: value` lines with the labels aligned. */
export function printFields(io: CliIO, fields: readonly (readonly [string, Cell])[]): void {
  const width = Math.max(...fields.map(([label]) => displayWidth(label)));
  for (const [label, value] of fields) io.stdout.write(`${label.padEnd(width)}  ${cellText(value)}\n`);
}

/** `--json` prints `value`; otherwise `human()` renders for people. Returns exit code 0. */
export function emit(context: CommandContext, value: unknown, human: () => void): number {
  if (context.json) printJson(context.io, value);
  else human();
  return 0;
}

/** Prints an error on standard error and returns its exit code; never prints a secret (none reaches an error). */
export function reportError(io: CliIO, error: unknown, json: boolean): number {
  if (!(error instanceof CliError)) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`error: internal error: ${sanitize(message)}\n`);
    return 1;
  }
  if (json) {
    const details = error instanceof ApiError ? error.details : undefined;
    const body = {
      error: {
        code: error.code ?? 'error',
        message: error.message,
        ...(details === undefined ? {} : { details }),
      },
    };
    io.stderr.write(JSON.stringify(body) + '\n');
  } else {
    const code = error instanceof ApiError ? ` (${error.code}, HTTP ${error.status})` : '';
    io.stderr.write(`error: ${sanitize(error.message)}${code}\n`);
    if (error instanceof ApiError)
      for (const line of detailLines(error.details)) io.stderr.write(`  ${sanitize(line)}\n`);
  }
  if (error instanceof UsageError && error.command) {
    io.stderr.write(`Run 'keyhouse ${error.command} --help' for usage.\n`);
  } else if (error instanceof UsageError) {
    io.stderr.write(`Run 'keyhouse --help' for usage.\n`);
  }
  return error.exitCode;
}

/** Readable lines for an error's details: field paths of a validation error, else compact JSON. */
export function detailLines(details: unknown): string[] {
  if (details === undefined || details === null) return [];
  const fields = (details as { fields?: unknown }).fields;
  if (Array.isArray(fields)) {
    return fields.map(
      (f: { path?: unknown; message?: unknown }) =>
        `${String(f.path ?? '?')}: ${String(f.message ?? 'is not valid')}`,
    );
  }
  return [JSON.stringify(details).slice(0, 2000)];
}
