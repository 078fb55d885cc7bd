import type { Logger } from 'pino';

/** The part of `process` the handlers need (a fake in tests). */
export interface ProcessLike {
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  exit(code: number): never | undefined;
}

/**
 * Routes uncaught exceptions and unhandled rejections through the logger (so they are
 * redacted and scrubbed like every other line) instead of Node's default stderr dump, which
 * would print a secret held in the error's message or stack; then exits with status 1.
 */
export function installProcessHandlers(logger: Logger, proc: ProcessLike): void {
  const fatal = (kind: string) => (reason: unknown) => {
    const err = reason instanceof Error ? reason : new Error(String(reason));
    logger.fatal({ err }, kind);
    logger.flush?.();
    proc.exit(1);
  };
  proc.on('uncaughtException', fatal('uncaught exception'));
  proc.on('unhandledRejection', fatal('unhandled rejection'));
}
