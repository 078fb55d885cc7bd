/** GitHub Enterprise Server answers with GitHub's headers and bodies: the same readers. */
export {
  type HeaderBag,
  parseAcceptedPermissions,
  parseOAuthScopes,
  parseRateLimit,
  parseSsoHeader,
  parseTokenExpiration,
} from '../github/github-schema.ts';
