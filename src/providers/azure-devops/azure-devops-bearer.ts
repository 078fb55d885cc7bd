/**
 * The Bearer token of the Entra credential types before the Azure DevOps probes: a stored access
 * token (`entra-oauth`, expiry from its `exp` claim) or one exchanged for a service principal's
 * client id and secret; a refused exchange ends the verification with Entra's own words.
 */
import type { HttpAdapterOptions } from '../http/index.ts';
import { missingCredentialField, sharedCheck } from '../http/index.ts';
import type { Finding, Introspection, VerifyInput } from '../types.ts';
import { readAzureDevopsConfig } from './azure-devops-config.ts';
import { exchangeClientCredentials, fieldOf, jwtExpiry } from './azure-devops-entra.ts';

/** What the adapter goes on with: the token (when exchanged), its expiry, requests already sent, or the end. */
export interface BearerStart {
  readonly bearer?: string;
  readonly expiresAt?: number;
  readonly requests: number;
  readonly finished?: Introspection;
}

function ended(reach: Introspection['reach'], finding: Finding, requests: number): BearerStart {
  const check = sharedCheck('token-valid', 'fail', finding.message, finding.fix);
  return { requests, finished: { reach, checks: [check], findings: [finding], requests } };
}

/** Obtains the Entra Bearer token for the credential types that use one; nothing for a PAT. */
export async function entraBearer(
  input: VerifyInput,
  http: HttpAdapterOptions['http'],
): Promise<BearerStart> {
  if (input.credentialType === 'entra-oauth') {
    const token = input.credential['accessToken'];
    const expiresAt = token === undefined ? undefined : jwtExpiry(token);
    return { requests: 0, ...(expiresAt === undefined ? {} : { expiresAt }) };
  }
  if (input.credentialType !== 'service-principal') return { requests: 0 };
  const config = readAzureDevopsConfig(input.config);
  // A bad config is reported by startVerification, before any request.
  if (!config.ok) return { requests: 0 };
  const fields = ['tenantId', 'clientId', 'clientSecret'] as const;
  const [tenantId, clientId, clientSecret] = fields.map((name) => fieldOf(input, name));
  const missing = fields.find((name) => fieldOf(input, name) === undefined);
  if (missing !== undefined || tenantId === undefined || clientId === undefined || clientSecret === undefined)
    return ended('invalid', missingCredentialField(missing ?? 'clientSecret'), 0);
  const { token, requests } = await exchangeClientCredentials(
    { authorityUrl: config.value.authorityUrl, tenantId, clientId, clientSecret, now: input.now },
    http,
    input.signal,
  );
  if (!token.ok) return ended(token.reach, token.finding, requests);
  return { bearer: token.accessToken, requests };
}
