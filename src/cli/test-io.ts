/**
 * A captured {@link CliIO} for tests: standard input from a string (or a fake terminal that
 * types keys), standard output and error collected as text.
 */
import { PassThrough, Readable } from 'node:stream';
import type { CliInput, CliIO } from './io.ts';

/** Options of {@link createTestIO}. */
export interface TestIOOptions {
  /** Standard input content (not a terminal). */
  readonly stdin?: string;
  readonly env?: Record<string, string | undefined>;
  /** Make standard input a fake terminal that types these chunks once raw mode is on. */
  readonly typed?: readonly string[];
  readonly stdoutTTY?: boolean;
  readonly stderrTTY?: boolean;
  readonly columns?: number;
}

/** A test IO and what was written to it. */
export interface TestIO {
  readonly io: CliIO;
  stdout(): string;
  stderr(): string;
  /** Raw-mode switches of the fake terminal, in order. */
  readonly rawModes: boolean[];
}

/** Builds a captured IO. */
export function createTestIO(options: TestIOOptions = {}): TestIO {
  let out = '';
  let err = '';
  const rawModes: boolean[] = [];
  let stdin: CliInput;
  if (options.typed) {
    const tty = new PassThrough() as PassThrough & { setRawMode(mode: boolean): void };
    tty.setRawMode = (mode: boolean) => {
      rawModes.push(mode);
      if (mode) setImmediate(() => tty.write(options.typed!.join('')));
    };
    stdin = tty;
  } else {
    stdin = Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]);
  }
  const io: CliIO = {
    stdout: { write: (s: string) => (out += s), ...(options.columns ? { columns: options.columns } : {}) },
    stderr: { write: (s: string) => (err += s), ...(options.columns ? { columns: options.columns } : {}) },
    stdin,
    env: options.env ?? {},
    isTTY: {
      stdin: options.typed !== undefined,
      stdout: options.stdoutTTY ?? false,
      stderr: options.stderrTTY ?? false,
    },
  };
  return { io, stdout: () => out, stderr: () => err, rawModes };
}
