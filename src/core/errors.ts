/**
 * The one registry of error codes: HTTP status, message, category (which also decides the CLI exit
 * code). Every error that leaves Keyhouse carries one of these codes.
 */

/** Error categories; the CLI maps each to an exit code. */
export const ERROR_CATEGORIES = {
  input: 2,
  auth: 3,
  permission: 4,
  not_found: 5,
  conflict: 6,
  provider: 7,
  unavailable: 8,
  internal: 1,
} as const;
export type ErrorCategory = keyof typeof ERROR_CATEGORIES;

interface ErrorSpec {
  readonly status: number;
  readonly message: string;
  readonly category: ErrorCategory;
}

/** Every error code Keyhouse emits, with its HTTP status and default message. */
export const ERRORS = {
  validation_failed: { status: 400, message: 'The request is not valid.', category: 'input' },
  invalid_json: { status: 400, message: 'The request body is not valid JSON.', category: 'input' },
  secret_in_query: {
    status: 400,
    message: 'Credentials are never accepted in a query string; send them in the request body.',
    category: 'input',
  },
  unauthenticated: {
    status: 401,
    message: 'A valid API token or session is required.',
    category: 'auth',
  },
  forbidden: { status: 403, message: 'You may not perform this action.', category: 'permission' },
  integration_permission_missing: {
    status: 403,
    message: 'Missing permissions to the following integration.',
    category: 'permission',
  },
  not_found: { status: 404, message: 'Not found.', category: 'not_found' },
  method_not_allowed: { status: 405, message: 'Method not allowed.', category: 'input' },
  conflict: { status: 409, message: 'The request conflicts with the current state.', category: 'conflict' },
  precondition_failed: {
    status: 412,
    message: 'The resource has changed since you read it (If-Match does not match its ETag).',
    category: 'conflict',
  },
  uri_too_long: { status: 414, message: 'The request path is too long.', category: 'input' },
  payload_too_large: { status: 413, message: 'The request body is too large.', category: 'input' },
  unsupported_media_type: {
    status: 415,
    message: 'The request body must be application/json.',
    category: 'input',
  },
  precondition_required: {
    status: 428,
    message: 'This update requires an If-Match header with the ETag you read.',
    category: 'conflict',
  },
  rate_limited: { status: 429, message: 'Too many requests; retry later.', category: 'unavailable' },
  credential_invalid: {
    status: 422,
    message: 'The provider rejected the credential.',
    category: 'provider',
  },
  scope_missing: {
    status: 422,
    message: 'The credential lacks scopes the enabled features need.',
    category: 'provider',
  },
  provider_unreachable: { status: 502, message: 'The provider could not be reached.', category: 'provider' },
  sealed: {
    status: 503,
    message: 'Keyhouse is sealed: no valid master key is loaded, credentials are unavailable.',
    category: 'unavailable',
  },
  unavailable: { status: 503, message: 'The service is temporarily unavailable.', category: 'unavailable' },
  capacity_exceeded: {
    status: 507,
    message:
      'The policy index holds as many users, groups, projects or integrations as it can; nothing was changed.',
    category: 'unavailable',
  },
  internal: { status: 500, message: 'Internal error.', category: 'internal' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/** The wire form of every error: `{ error: { code, message, details } }`. */
export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly details?: unknown };
}

/** The one base error class of Keyhouse: a stable code, a safe message, details, a cause. */
export class KeyhouseError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message?: string, options?: { details?: unknown; cause?: unknown }) {
    super(
      message ?? ERRORS[code].message,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'KeyhouseError';
    this.code = code;
    this.details = options?.details;
  }

  /** HTTP status of this error's code. */
  get status(): number {
    return ERRORS[this.code].status;
  }

  /** The wire body; 5xx messages are replaced by the registry's generic one. */
  toBody(): ErrorBody {
    const spec = ERRORS[this.code];
    const hidden = spec.status >= 500 && this.code !== 'sealed' && this.code !== 'unavailable';
    const message = hidden ? spec.message : this.message;
    return this.details === undefined || hidden
      ? { error: { code: this.code, message } }
      : { error: { code: this.code, message, details: this.details } };
  }
}

/** True when `value` is a registered error code. */
export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERRORS, value);
}

/** The CLI exit code for an error code. */
export function exitCodeFor(code: ErrorCode): number {
  return ERROR_CATEGORIES[ERRORS[code].category];
}

/** The body answered for anything the caller may not see: identical to a truly missing object. */
export function notFound(): KeyhouseError {
  return new KeyhouseError('not_found');
}
