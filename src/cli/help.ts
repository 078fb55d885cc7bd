/**
 * Help texts generated from the command table: the top-level help, a noun's commands, and each
 * command's usage, arguments, options and examples.
 */
import { ERROR_CATEGORIES } from '../core/errors.ts';
import { GLOBAL_OPTIONS } from './args.ts';
import type { CommandSpec, OptionSpec, RawCommandSpec } from './command.ts';

type AnyCommand = CommandSpec | RawCommandSpec;

/** Two aligned columns: `  left   right`. */
function columns(rows: readonly (readonly [string, string])[], indent = '  '): string {
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `${indent}${left.padEnd(width)}  ${right}`.trimEnd()).join('\n');
}

/** `--name VALUE` / `-w, --workspace ID` as shown in help. */
function optionLabel(name: string, option: OptionSpec): string {
  const value = option.type === 'string' ? ` ${option.value ?? 'VALUE'}` : '';
  return `${option.short ? `-${option.short}, ` : '    '}--${name}${value}`;
}

/** Option rows for help. */
function optionRows(options: Readonly<Record<string, OptionSpec>>): [string, string][] {
  return Object.entries(options).map(([name, o]) => [
    optionLabel(name, o),
    o.description + (o.required ? ' (required)' : ''),
  ]);
}

/** The exit codes, from the error registry's categories. */
export function exitCodesText(): string {
  const byCode = Object.entries(ERROR_CATEGORIES)
    .sort(([, a], [, b]) => a - b)
    .map(([category, code]) => `${code} ${category.replace('_', ' ')}`);
  return `0 ok, ${byCode.join(', ')}`;
}

/** `keyhouse projects create <name> [options]`. */
export function usageLine(spec: AnyCommand): string {
  if ('raw' in spec) return `keyhouse ${spec.name} [options]`;
  const args = (spec.args ?? []).map((a) => (a.optional ? `[${a.name}]` : `<${a.name}>`));
  return ['keyhouse', spec.name, ...args, '[options]'].join(' ');
}

/** The top-level help: every command with its summary, the global options, exit codes. */
export function topLevelHelp(table: readonly AnyCommand[]): string {
  return [
    'keyhouse: integrations and permissions control plane',
    '',
    'Usage: keyhouse <command> [options]',
    '',
    'Commands:',
    columns(table.map((c) => [c.name, c.summary])),
    '',
    'Global options:',
    columns(optionRows(GLOBAL_OPTIONS)),
    '',
    'Secrets are never command-line arguments: the token comes from --token-file (- for standard',
    'input), KEYHOUSE_TOKEN or a hidden prompt; credentials from a hidden prompt, --credential-file',
    'or standard input.',
    '',
    `Exit codes: ${exitCodesText()}.`,
    "Run 'keyhouse <command> --help' for a command's arguments and options.",
    '',
  ].join('\n');
}

/** The commands of one noun: `keyhouse projects`. */
export function nounHelp(noun: string, commands: readonly AnyCommand[]): string {
  return [
    `Usage: keyhouse ${noun} <${commands.map((c) => c.name.slice(noun.length + 1)).join('|')}> [options]`,
    '',
    'Commands:',
    columns(commands.map((c) => [c.name, c.summary])),
    '',
    `Run 'keyhouse ${noun} <command> --help' for its options.`,
    '',
  ].join('\n');
}

/** One command's help. */
export function commandHelp(spec: CommandSpec): string {
  const parts = [`Usage: ${usageLine(spec)}`, '', spec.summary + '.'];
  if (spec.description) parts.push('', spec.description);
  if (spec.args?.length) parts.push('', 'Arguments:', columns(spec.args.map((a) => [a.name, a.description])));
  if (spec.options && Object.keys(spec.options).length)
    parts.push('', 'Options:', columns(optionRows(spec.options)));
  parts.push('', 'Global options:', columns(optionRows(GLOBAL_OPTIONS)));
  if (spec.examples?.length) parts.push('', 'Examples:', spec.examples.map((e) => `  ${e}`).join('\n'));
  return parts.join('\n') + '\n';
}
