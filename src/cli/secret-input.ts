/**
 * Reading secrets without the command line: from a file, from standard input, or from a prompt
 * with echo off on a terminal. Values are never echoed, printed or put in an error message.
 */
import { readFile, stat } from 'node:fs/promises';
import { CliError, UsageError } from './cli-error.ts';
import type { CliIO } from './io.ts';

/** The largest secret input accepted (a PEM key is far smaller). */
export const MAX_SECRET_BYTES = 64 * 1024;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Reads all of standard input as UTF-8, refusing more than `limit` bytes. */
export async function readAll(io: CliIO, limit = MAX_SECRET_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > limit) throw new CliError(`standard input is larger than ${limit} bytes`, 2, 'usage');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a file holding a secret; warns on standard error when others may read it. */
export async function readSecretFile(io: CliIO, path: string, what: string): Promise<string> {
  return readTextFile(path, what, (mode) => {
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      io.stderr.write(`warning: ${what} file ${path} is readable by other users; chmod 600 it\n`);
    }
  });
}

/** Reads a UTF-8 file of at most {@link MAX_SECRET_BYTES}; errors name the file, never its content. */
export async function readTextFile(
  path: string,
  what: string,
  onMode?: (mode: number) => void,
): Promise<string> {
  try {
    const info = await stat(path);
    if (info.size > MAX_SECRET_BYTES)
      throw new CliError(`${what} file is larger than ${MAX_SECRET_BYTES} bytes`, 2, 'usage');
    if (info.isFile()) onMode?.(info.mode);
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(
      `cannot read ${what} file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      2,
      'usage',
    );
  }
}

/**
 * Prompts on standard error and reads one line from a terminal with echo off (raw mode): nothing
 * typed is shown. Backspace edits; Ctrl-C and Ctrl-D abort.
 */
export function promptHidden(io: CliIO, label: string): Promise<string> {
  const stdin = io.stdin;
  if (!io.isTTY.stdin || !stdin.setRawMode) {
    return Promise.reject(new CliError('cannot prompt: standard input is not a terminal', 2, 'usage'));
  }
  const setRaw = stdin.setRawMode.bind(stdin);
  io.stderr.write(label);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: CliError) => {
      stdin.removeListener('data', onData);
      setRaw(false);
      stdin.pause();
      io.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || ch === '\u0004') return finish(new CliError('cancelled', 130, 'cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    setRaw(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}

/** Where a credential comes from. */
export interface CredentialSource {
  /** `--credential-file`: a JSON object of fields. */
  readonly file?: string;
  /** The field names to prompt for, or the one field a bare standard-input value fills. */
  readonly fields: readonly string[];
}

/** Reads an integration credential: from `--credential-file`, else a prompt on a terminal, else standard input. */
export async function readCredential(io: CliIO, source: CredentialSource): Promise<Record<string, string>> {
  for (const f of source.fields)
    if (!FIELD_NAME.test(f)) throw new UsageError(`--fields: '${f}' is not a field name`);
  if (source.file !== undefined) {
    return parseCredentialJson(await readSecretFile(io, source.file, 'credential'), 'credential file');
  }
  if (io.isTTY.stdin) {
    const out: Record<string, string> = {};
    for (const field of source.fields) out[field] = await promptHidden(io, `${field} (input hidden): `);
    return checkCredential(out);
  }
  const text = await readAll(io);
  if (text.trimStart().startsWith('{')) return parseCredentialJson(text, 'standard input');
  if (source.fields.length !== 1) {
    throw new UsageError('standard input must be a JSON object of fields when --fields names more than one');
  }
  return checkCredential({ [source.fields[0]!]: text.replace(/\r?\n$/, '') });
}

/** Parses a credential JSON object without quoting its content in any error. */
export function parseCredentialJson(text: string, where: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`${where} is not valid JSON (expected an object of string fields)`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(`${where} must be a JSON object of string fields`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v !== 'string') throw new UsageError(`${where}: field '${k.slice(0, 100)}' must be a string`);
    out[k] = v;
  }
  return checkCredential(out);
}

/** Checks field names and that no value is empty. */
function checkCredential(fields: Record<string, string>): Record<string, string> {
  const names = Object.keys(fields);
  if (names.length === 0) throw new UsageError('the credential has no fields');
  for (const name of names) {
    if (!FIELD_NAME.test(name))
      throw new UsageError(`credential field name '${name.slice(0, 100)}' is not valid`);
    if (fields[name] === '') throw new UsageError(`credential field '${name}' is empty`);
  }
  return fields;
}
