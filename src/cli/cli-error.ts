/**
 * Errors of the CLI, each carrying its exit code: usage errors (2), API errors (by the registry's
 * category, `exitCodeFor`), and local failures (unreadable file, unreachable server).
 */
import { type ErrorCode, exitCodeFor, isErrorCode } from '../core/errors.ts';

/** A failure with the exit code the process should end with. */
export class CliError extends Error {
  readonly exitCode: number;
  /** A registry error code when one applies. */
  readonly code: string | undefined;
  constructor(message: string, exitCode: number, code?: string) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.code = code;
  }
}

/** A mistake in the command line: exit code 2, printed with the command's usage line. */
export class UsageError extends CliError {
  /** The command whose usage to print (`projects create`), when known. */
  readonly command: string | undefined;
  constructor(message: string, command?: string) {
    super(message, 2, 'usage');
    this.name = 'UsageError';
    this.command = command;
  }
}

/** Status → code, for answers whose body is not the registry's error shape. */
const STATUS_CODES: Readonly<Record<number, ErrorCode>> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  412: 'precondition_failed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  428: 'precondition_required',
  429: 'rate_limited',
  502: 'provider_unreachable',
  503: 'unavailable',
  507: 'capacity_exceeded',
};

/** An error answer of the Keyhouse API (`{ error: { code, message, details } }`). */
export class ApiError extends CliError {
  readonly status: number;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message, exitCodeForApi(status, code), code);
    this.name = 'ApiError';
    this.status = status;
    this.details = details;
  }
}

/** The exit code of an API error: the registry's category, else one derived from the status. */
export function exitCodeForApi(status: number, code: string): number {
  if (isErrorCode(code)) return exitCodeFor(code);
  return exitCodeFor(codeForStatus(status));
}

/** The registry code that stands for an HTTP status when the body names none. */
export function codeForStatus(status: number): ErrorCode {
  return STATUS_CODES[status] ?? (status >= 500 ? 'internal' : 'validation_failed');
}
