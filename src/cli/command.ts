/**
 * The shape of a CLI command: its name, help text, positional arguments and options (one table
 * from which parsing and `--help` are both generated), and what it runs.
 */
import type { ApiClient } from './http-client.ts';
import type { CliIO } from './io.ts';

/** One option of a command, as `node:util` `parseArgs` takes it plus help text. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  /** Placeholder shown in help (`NAME`, `FILE`). */
  readonly value?: string;
  readonly description: string;
  /** Parsing fails with a usage error when absent. */
  readonly required?: boolean;
}

/** One positional argument. */
export interface ArgSpec {
  readonly name: string;
  readonly description: string;
  readonly optional?: boolean;
}

/** Parsed option values. */
export type OptionValues = Readonly<Record<string, string | boolean | string[] | undefined>>;

/** What a command receives when it runs. */
export interface CommandContext {
  readonly io: CliIO;
  /** The command's name (`projects create`). */
  readonly command: string;
  /** Positional arguments after the command words, checked against `args`. */
  readonly args: readonly string[];
  readonly options: OptionValues;
  /** The workspace chosen by `--workspace`, `KEYHOUSE_WORKSPACE`, or `default`. */
  readonly workspace: string;
  /** `--json`: machine-readable output. */
  readonly json: boolean;
  /** The API client; resolves the token on first use (it may prompt). */
  readonly api: () => Promise<ApiClient>;
}

/** A command of the table. */
export interface CommandSpec {
  /** Command words: `projects create`, `check`, `scopes compare`. */
  readonly name: string;
  readonly summary: string;
  /** Extra paragraphs for `--help`. */
  readonly description?: string;
  readonly args?: readonly ArgSpec[];
  readonly options?: Readonly<Record<string, OptionSpec>>;
  readonly examples?: readonly string[];
  /** The command talks to no server (no `--url`, token or workspace options). */
  readonly local?: boolean;
  readonly run: (context: CommandContext) => Promise<number>;
}

/** A command that parses its own arguments (`serve`). */
export interface RawCommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly raw: (argv: string[], io: CliIO) => Promise<number>;
}

/** Reads a string option. */
export function stringOption(options: OptionValues, name: string): string | undefined {
  const value = options[name];
  return typeof value === 'string' ? value : undefined;
}

/** Reads a repeatable string option (empty when absent). */
export function listOption(options: OptionValues, name: string): string[] {
  const value = options[name];
  if (Array.isArray(value)) return value;
  return typeof value === 'string' ? [value] : [];
}

/** Splits a comma-separated list, dropping empty items. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
