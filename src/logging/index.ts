export { type CreateLoggerOptions, createLogger } from './create-logger.ts';
export { installProcessHandlers, type ProcessLike } from './process-handlers.ts';
export { CREDENTIAL_KEYS, isCredentialKey, REDACT_PATHS, REDACTED, redactValue } from './redact.ts';
export { createScrubbingDestination, type LogDestination, scrubLine } from './scrubbing-destination.ts';
export {
  SCRUB_MIN_LENGTH,
  SCRUB_PATTERNS,
  SCRUB_REPLACEMENT,
  SecretRegistry,
  secretForms,
} from './secret-registry.ts';
