/** The GitHub provider adapter and the pieces GitHub Enterprise and the tests reuse. */
export { createGithubAdapter, type GithubAdapterOptions, githubAdapter } from './github-adapter.ts';
export {
  GITHUB_API_BASE,
  type GithubConfig,
  parseGithubConfig,
  parseRepository,
  webHostOf,
} from './github-config.ts';
export { type GateTicket, RateGate, type RateGateOptions, RateGateRegistry } from './github-rate-gate.ts';
export {
  type HeaderBag,
  parseAcceptedPermissions,
  parseOAuthScopes,
  parseRateLimit,
  parseSsoHeader,
  parseTokenExpiration,
  type SsoHeader,
} from './github-schema.ts';
