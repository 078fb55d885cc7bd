/** Shared HTTP support for provider adapters: client, rate limits, network errors, reports. */
export type { HttpAdapterOptions } from './adapter-options.ts';
export {
  branchCheck,
  type CheckBuilder,
  type CheckTitles,
  checkBuilder,
  findingFor,
  recordRepositoryFailure,
  recordRoleShortfall,
  recordScopes,
  SHARED_CHECK_TITLES,
  sharedCheck,
  skipChecks,
} from './check-results.ts';
export { type CloneUrlExpectation, checkCloneUrl } from './clone-url.ts';
export {
  type ConfigRead,
  type ConfigValidator,
  checkConfig,
  checkHostConfig,
  type HostConfig,
  missingCredentialField,
} from './config-check.ts';
export {
  basicAuth,
  buildUrl,
  createHttpClient,
  type HttpClient,
  type HttpClientOptions,
  type HttpOutcome,
  type HttpRequest,
} from './http-client.ts';
export { describeNetworkError } from './network-error.ts';
export { blockedUntil, readRateLimit, resetToEpochMs, retryAfterToEpochMs } from './rate-limit.ts';
export {
  type AuthHeaders,
  type StartedVerification,
  startVerification,
  type VerificationStart,
} from './start-verification.ts';
export {
  compareScopes,
  createReport,
  DEFAULT_EXPIRY_WARNING_DAYS,
  expiryFindings,
  type FinishOptions,
  finishReport,
  recordNoAnswer,
  recordServerError,
  roleRequirements,
  type ScopeComparison,
  type VerificationReport,
} from './verification-report.ts';
