/**
 * Command-line parsing on `node:util` `parseArgs`: the global options every command shares, the
 * refusal of secrets as arguments, and the checks of required options and positionals.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './cli-error.ts';
import type { CommandSpec, OptionSpec, OptionValues } from './command.ts';

/** Options every server command accepts. */
export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  url: {
    type: 'string',
    value: 'URL',
    description: 'Keyhouse server (env KEYHOUSE_URL; default http://127.0.0.1:7070)',
  },
  'token-file': {
    type: 'string',
    value: 'FILE',
    description:
      'file holding the API token, `-` for standard input (else env KEYHOUSE_TOKEN, else a prompt)',
  },
  workspace: {
    type: 'string',
    short: 'w',
    value: 'ID',
    description: 'workspace (env KEYHOUSE_WORKSPACE; default `default`)',
  },
  json: { type: 'boolean', description: 'print JSON for scripts instead of tables' },
  timeout: {
    type: 'string',
    value: 'SECONDS',
    description: 'give up on a request after this long (default 30)',
  },
  help: { type: 'boolean', short: 'h', description: 'show help' },
};

const SECRET_OPTION =
  /^(?:[a-z0-9]+-)*(?:token|password|passwd|pass|secret|passphrase|apikey|key|credentials?|pat|bearer|auth)$/i;
const API_TOKEN_VALUE = /(?:^|[=:\s])kh_[A-Za-z0-9_-]{6,}/;

/** Refuses secrets on the command line: options named like one (unless the command declares them) and API-token values. */
export function refuseSecretArguments(argv: readonly string[], declared: ReadonlySet<string>): void {
  for (const arg of argv) {
    if (arg === '--') break;
    if (API_TOKEN_VALUE.test(arg)) {
      throw new UsageError(
        'an argument looks like a Keyhouse API token; tokens are never accepted on the command line ' +
          '(they stay in shell history and process lists): use --token-file FILE, KEYHOUSE_TOKEN or standard input',
      );
    }
    if (!arg.startsWith('--')) continue;
    const name = arg.slice(2).split('=', 1)[0]!;
    if (!SECRET_OPTION.test(name) || declared.has(name)) continue;
    const hint = /token|bearer|auth/i.test(name)
      ? 'use --token-file FILE (or - for standard input) or KEYHOUSE_TOKEN'
      : 'use --credential-file FILE, standard input, or the prompt';
    throw new UsageError(
      `--${name} is refused: secrets are never accepted as command-line arguments; ${hint}`,
    );
  }
}

/** The result of parsing a command's arguments. */
export interface ParsedCommandLine {
  readonly options: OptionValues;
  readonly positionals: string[];
}

/** The options a command accepts: its own plus the global ones. */
export function optionsOf(spec: CommandSpec): Readonly<Record<string, OptionSpec>> {
  return { ...GLOBAL_OPTIONS, ...spec.options };
}

/** Parses `argv` (without the command words) for `spec`; throws a {@link UsageError} on any mistake. */
export function parseCommandLine(spec: CommandSpec, argv: readonly string[]): ParsedCommandLine {
  const all = optionsOf(spec);
  refuseSecretArguments(argv, new Set(Object.keys(spec.options ?? {})));
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, o] of Object.entries(all)) {
    config[name] = {
      type: o.type,
      ...(o.short ? { short: o.short } : {}),
      ...(o.multiple ? { multiple: true } : {}),
    };
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      options: config,
      strict: true,
      allowPositionals: true,
      allowNegative: false,
    });
  } catch (error) {
    throw new UsageError(parseErrorMessage(error), spec.name);
  }
  const options = parsed.values as OptionValues;
  if (options['help'] === true) return { options, positionals: parsed.positionals };
  for (const [name, o] of Object.entries(spec.options ?? {})) {
    if (o.required && options[name] === undefined)
      throw new UsageError(`missing required option --${name}`, spec.name);
  }
  checkPositionals(spec, parsed.positionals);
  return { options, positionals: parsed.positionals };
}

/** A parseArgs error message without Node's internal hints. */
function parseErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/\. To specify a positional argument.*$/s, '')
    .replace(/^Unknown option/, 'unknown option');
}

/** Checks the number of positional arguments against the spec. */
function checkPositionals(spec: CommandSpec, positionals: readonly string[]): void {
  const args = spec.args ?? [];
  const required = args.filter((a) => !a.optional).length;
  if (positionals.length < required) {
    const missing = args.slice(positionals.length).find((a) => !a.optional);
    throw new UsageError(`missing argument <${missing?.name ?? 'argument'}>`, spec.name);
  }
  if (positionals.length > args.length) {
    throw new UsageError(`unexpected argument '${positionals[args.length]}'`, spec.name);
  }
}

/** Splits leading global options from the command words: `-w ws1 projects list` → words `projects`, `list`. */
export function splitLeadingGlobals(argv: readonly string[]): { globals: string[]; rest: string[] } {
  const globals: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i]!;
    const spec = globalOptionFor(arg);
    if (!spec) break;
    const consumes = spec.type === 'string' && !arg.includes('=') && !/^-[a-z].+/.test(arg);
    globals.push(...argv.slice(i, consumes ? i + 2 : i + 1));
    i += consumes ? 2 : 1;
  }
  return { globals, rest: argv.slice(i) };
}

/** The global option an argument names, if any. */
function globalOptionFor(arg: string): OptionSpec | undefined {
  if (arg.startsWith('--')) return GLOBAL_OPTIONS[arg.slice(2).split('=', 1)[0]!];
  if (/^-[a-zA-Z]/.test(arg)) return Object.values(GLOBAL_OPTIONS).find((o) => o.short === arg[1]);
  return undefined;
}
