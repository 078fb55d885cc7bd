/**
 * The `keyhouse` command: finds the command in the table, parses its arguments, runs it against
 * the Keyhouse HTTP API, and turns every failure into a message on standard error and an exit
 * code (0 ok, 2 usage, else the error category's code from `exitCodeFor`).
 */
import { parseCommandLine, refuseSecretArguments, splitLeadingGlobals } from './args.ts';
import { CliError, UsageError } from './cli-error.ts';
import type { CommandContext, CommandSpec, OptionValues } from './command.ts';
import { COMMANDS, commandsOfNoun, findCommand, isRaw } from './command-table.ts';
import { resolveToken, serverUrl, timeoutOf, workspaceOf } from './connection.ts';
import { commandHelp, nounHelp, topLevelHelp, usageLine } from './help.ts';
import { type ApiClient, createApiClient, normaliseBaseUrl } from './http-client.ts';
import { type CliIO, processIO } from './io.ts';
import { reportError } from './output.ts';

export type { CliIO } from './io.ts';

/** Runs the CLI with `argv` (without `node` and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const json = argv.includes('--json');
  try {
    return await dispatch(argv, io);
  } catch (error) {
    const code = reportError(io, error, json);
    if (error instanceof UsageError && error.command) {
      const found = findCommand(error.command.split(' '));
      if (found) io.stderr.write(`Usage: ${usageLine(found.spec)}\n`);
    }
    return code;
  }
}

/** Finds and runs the command. */
async function dispatch(argv: readonly string[], io: CliIO): Promise<number> {
  const { globals, rest } = splitLeadingGlobals(argv);
  const wantsHelp = globals.includes('--help') || globals.includes('-h');
  if (rest[0] === 'help') return help(rest.slice(1), io);
  if (rest.length === 0) {
    if (wantsHelp) return help([], io);
    io.stderr.write(topLevelHelp(COMMANDS));
    return 2;
  }
  const found = findCommand(rest);
  if (!found) return unknownCommand(rest, io, wantsHelp);
  const tail = [...globals, ...rest.slice(found.consumed)];
  if (isRaw(found.spec)) {
    refuseSecretArguments(tail, new Set());
    return found.spec.raw(tail, io);
  }
  const parsed = parseCommandLine(found.spec, tail);
  if (parsed.options['help'] === true) {
    io.stdout.write(commandHelp(found.spec));
    return 0;
  }
  return found.spec.run(createContext(found.spec, parsed.positionals, parsed.options, io));
}

/** `keyhouse help [command words]`. */
function help(words: readonly string[], io: CliIO): number {
  if (words.length === 0) {
    io.stdout.write(topLevelHelp(COMMANDS));
    return 0;
  }
  const found = findCommand(words);
  if (found && !isRaw(found.spec)) {
    io.stdout.write(commandHelp(found.spec));
    return 0;
  }
  const nouns = commandsOfNoun(words[0]!);
  if (nouns.length > 0) {
    io.stdout.write(nounHelp(words[0]!, nouns));
    return 0;
  }
  if (found) {
    io.stdout.write(`Run 'keyhouse ${found.spec.name} --help'.\n`);
    return 0;
  }
  throw new UsageError(`unknown command '${words.join(' ')}'`);
}

/** A noun without a known verb lists its commands; anything else is a usage error. */
function unknownCommand(rest: readonly string[], io: CliIO, wantsHelp: boolean): number {
  const noun = rest[0]!;
  const commands = commandsOfNoun(noun);
  const second = rest[1];
  if (commands.length > 0 && (second === undefined || second.startsWith('-'))) {
    const asksHelp = wantsHelp || second === '--help' || second === '-h';
    (asksHelp ? io.stdout : io.stderr).write(nounHelp(noun, commands));
    return asksHelp ? 0 : 2;
  }
  const shown = commands.length > 0 ? `${noun} ${second}` : noun;
  throw new UsageError(
    `unknown command '${shown}'${commands.length > 0 ? `; see 'keyhouse ${noun} --help'` : ''}`,
  );
}

/** The context a command runs in; the API client (and the token) is resolved on first use only. */
function createContext(
  spec: CommandSpec,
  positionals: string[],
  options: OptionValues,
  io: CliIO,
): CommandContext {
  let client: Promise<ApiClient> | undefined;
  const connect = async (): Promise<ApiClient> => {
    const baseUrl = normaliseBaseUrl(serverUrl(io, options));
    const timeoutMs = timeoutOf(options);
    warnCleartext(baseUrl, io);
    const token = await resolveToken(io, options);
    return createApiClient({ baseUrl, token, timeoutMs });
  };
  return {
    io,
    command: spec.name,
    args: positionals,
    options,
    workspace: workspaceOf(io, options),
    json: options['json'] === true,
    api: () => {
      client ??= connect();
      return client;
    },
  };
}

/** Warns when the token would travel unencrypted beyond this machine. */
function warnCleartext(baseUrl: string, io: CliIO): void {
  const url = new URL(baseUrl);
  const loopback =
    url.hostname === 'localhost' || url.hostname === '[::1]' || url.hostname.startsWith('127.');
  if (url.protocol === 'http:' && !loopback) {
    io.stderr.write(`warning: sending the API token to ${url.host} over unencrypted HTTP; use https\n`);
  }
}

/** Runs the CLI as the process: real streams, `process.exitCode` set, never throws. */
export async function runCli(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const code = await main(argv, processIO()).catch((error: unknown) => {
    process.stderr.write(`error: ${error instanceof CliError ? error.message : 'internal error'}\n`);
    return 1;
  });
  process.exitCode = code;
  return code;
}

if (import.meta.main) await runCli();
