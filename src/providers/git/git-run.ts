/**
 * Runs `git` for the adapter. The credential travels as an `http.extraHeader` set through
 * `GIT_CONFIG_*` environment variables: never in argv, never in the URL. The environment is built
 * from scratch (no inherited `GIT_TRACE*`, no user or system config, no credential helper, no
 * prompt, no redirects), and every output is scrubbed of the secret before anyone reads it.
 */
import { spawn } from 'node:child_process';
import { devNull } from 'node:os';

/** The outcome of one git command. */
export interface GitRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  /** Scrubbed of the credential. */
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** How a failing remote command failed. */
export type GitFailure =
  | { readonly kind: 'unauthorized'; readonly detail: string }
  | { readonly kind: 'forbidden'; readonly detail: string }
  | { readonly kind: 'not-found'; readonly detail: string }
  | { readonly kind: 'unreachable'; readonly detail: string }
  | { readonly kind: 'other'; readonly detail: string };

/** Options of {@link runGit}. */
export interface RunGitOptions {
  readonly cwd: string;
  /** Value of the `Authorization` header; secret. */
  readonly authorization?: string;
  /** Values to scrub from the output (the secret and its encodings). */
  readonly scrub?: readonly string[];
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly gitBinary?: string;
}

function gitEnv(options: RunGitOptions): Record<string, string> {
  const config: [string, string][] = [
    ['credential.helper', ''],
    ['http.followRedirects', 'false'],
    ['core.askPass', ''],
    ...(options.authorization === undefined
      ? []
      : [['http.extraHeader', `Authorization: ${options.authorization}`] as [string, string]]),
  ];
  // No PATH: spawn finds git through the parent's PATH, and git finds its helpers through its exec path.
  const env: Record<string, string> = {
    HOME: options.cwd,
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: devNull,
    GIT_CONFIG_COUNT: String(config.length),
  };
  config.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return env;
}

/** Replaces every scrub value in `text`. */
export function scrub(text: string, values: readonly string[]): string {
  let out = text;
  for (const value of values) if (value.length >= 4) out = out.replaceAll(value, '[REDACTED]');
  return out.replace(/(\/\/)[^/@\s]+@/g, '$1');
}

/** Runs one git command; never throws for git's own failures. */
export function runGit(args: readonly string[], options: RunGitOptions): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    const signal =
      options.signal === undefined
        ? AbortSignal.timeout(options.timeoutMs)
        : AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
    const child = spawn(options.gitBinary ?? 'git', args, {
      cwd: options.cwd,
      env: gitEnv(options),
      stdio: ['ignore', 'pipe', 'pipe'],
      signal,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    let timedOut = false;
    child.on('error', (error) => {
      if (error.name === 'AbortError') timedOut = true;
      else reject(new Error(`git could not be started: ${error.message}`));
    });
    child.on('close', (exitCode) => {
      const clean = (chunks: Buffer[]) => scrub(Buffer.concat(chunks).toString('utf8'), options.scrub ?? []);
      resolve({ exitCode, stdout: clean(out), stderr: clean(err), timedOut });
    });
  });
}

/** The first `fatal:`/`error:` line of stderr, or its last line. */
export function mainLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (
    lines.find((l) => l.startsWith('fatal:')) ??
    lines.find((l) => l.startsWith('error:')) ??
    lines.at(-1) ??
    ''
  ).slice(0, 300);
}

/** Classifies a failed remote command from git's (C-locale) messages. */
export function classifyFailure(run: GitRun): GitFailure {
  const detail = run.timedOut ? 'timed out' : mainLine(run.stderr);
  if (run.timedOut) return { kind: 'unreachable', detail };
  const status = /The requested URL returned error: (\d{3})/.exec(run.stderr)?.[1];
  if (
    status === '401' ||
    /Authentication failed|could not read (Username|Password)|terminal prompts disabled/.test(run.stderr)
  ) {
    return { kind: 'unauthorized', detail };
  }
  if (status === '403') return { kind: 'forbidden', detail };
  if (status === '404' || /repository '.*' not found|Repository not found/i.test(run.stderr))
    return { kind: 'not-found', detail };
  if (
    status?.startsWith('5') ||
    /Could not resolve host|Failed to connect|Connection refused|timed out|SSL|TLS|certificate/i.test(
      run.stderr,
    )
  ) {
    return { kind: 'unreachable', detail };
  }
  return { kind: 'other', detail };
}
