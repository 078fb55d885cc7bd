import pino, { type Logger } from 'pino';
import type { LogLevel } from '../config/schema.ts';
import { REDACT_PATHS, REDACTED, redactValue } from './redact.ts';
import { createScrubbingDestination, type LogDestination } from './scrubbing-destination.ts';
import { SecretRegistry } from './secret-registry.ts';

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Minimum level written. */
  readonly level: LogLevel;
  /** Where lines go; standard output (synchronously, so a crash loses nothing) when absent. */
  readonly destination?: LogDestination;
  /**
   * The registry of every secret loaded by this process. Pass the one the services register
   * into; without it only path, key-name and pattern redaction apply.
   */
  readonly registry?: SecretRegistry;
  /** Fixed fields on every line (service name, process role). */
  readonly base?: Record<string, unknown>;
}

/**
 * Creates the process logger: JSON lines through pino, with three independent layers that
 * keep secrets out —
 * 1. pino `redact` paths (authorization and cookie headers, credential field names);
 * 2. a `formatters.log` walk that redacts credential-named keys at every depth and in every
 *    letter case, turns Errors into plain objects and scrubs registered values inside them;
 * 3. a destination wrapper that scrubs every registered secret (raw, base64, base64url, hex,
 *    URL-encoded, JSON-escaped) from the final line, message and stack included.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const registry = options.registry ?? new SecretRegistry();
  const target = options.destination ?? pino.destination({ dest: 1, sync: true });
  return pino(
    {
      level: options.level,
      base: options.base ?? null,
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
      // The formatter below already turned errors into plain objects; keep its shape.
      serializers: { err: (value: unknown) => value },
      formatters: {
        log: (object) => redactValue(object, registry) as Record<string, unknown>,
      },
    },
    createScrubbingDestination(registry, target),
  );
}
