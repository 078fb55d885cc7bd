/**
 * The CLI's view of its process: streams, environment and which streams are terminals. `main`
 * receives one, so tests capture output without spawning a process.
 */

/** A text sink: standard output or standard error. */
export interface CliOutput {
  write(chunk: string): unknown;
  /** Terminal width, when the stream is a terminal. */
  readonly columns?: number;
}

/** Standard input: a readable byte stream; `setRawMode` exists only on a terminal. */
export interface CliInput extends AsyncIterable<unknown> {
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
  pause(): unknown;
  resume(): unknown;
  setRawMode?(mode: boolean): unknown;
}

/** Which of the three standard streams is a terminal. */
export interface CliTTY {
  readonly stdin: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
}

/** Everything the CLI touches of its process. */
export interface CliIO {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  readonly stdin: CliInput;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly isTTY: CliTTY;
}

/** The IO of the running process (the one place the CLI reads `process`). */
export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    isTTY: {
      stdin: process.stdin.isTTY === true,
      stdout: process.stdout.isTTY === true,
      stderr: process.stderr.isTTY === true,
    },
  };
}
