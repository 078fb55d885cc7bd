/**
 * The Microsoft Entra token endpoint of the local Azure DevOps: the client-credentials grant for
 * registered service principals (form-encoded, scope `499b84ac-…/.default`), answering Entra's
 * documented errors (AADSTS90002 unknown tenant, AADSTS700016 unknown application,
 * AADSTS7000215 wrong secret) with its body shape; and JWT-shaped access tokens with an `exp`.
 */

import type { FakeRequest, FakeResponse } from '../../../src/providers/http/test-support/fake-server.ts';
import { generateSecret } from '../../../src/providers/http/test-support/fake-server.ts';

/** A service principal the fake knows: its tenant and the user it acts as in Azure DevOps. */
export interface FakePrincipal {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

const RESOURCE = '499b84ac-1321-427f-aa17-267ca6975798';

function entraError(status: number, error: string, code: number, text: string): FakeResponse {
  const trace = '0c4d4e2b-0000-4000-8000-000000000000';
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${trace}\r\nCorrelation ID: ${trace}\r\nTimestamp: 2026-01-01 00:00:00Z`,
      error_codes: [code],
      timestamp: '2026-01-01 00:00:00Z',
      trace_id: trace,
      correlation_id: trace,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}

/** A JWT-shaped token (unsigned test payload) with `exp` in epoch seconds. */
export function fakeJwt(claims: Readonly<Record<string, unknown>>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ typ: 'JWT', alg: 'RS256' })}.${part({ ...claims, jti: generateSecret() })}.${generateSecret()}`;
}

/** Answers `POST /{tenant}/oauth2/v2.0/token`; `issue` registers the token it hands out. */
export function answerTokenRequest(
  request: FakeRequest,
  principals: readonly FakePrincipal[],
  issue: (principal: FakePrincipal) => string,
): FakeResponse | undefined {
  const match = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(request.path);
  if (match === null) return undefined;
  if (request.method !== 'POST') return { status: 405, body: '' };
  const tenant = decodeURIComponent(match[1]!);
  const form = new URLSearchParams(request.body);
  if (!principals.some((principal) => principal.tenantId === tenant))
    return entraError(
      400,
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    );
  if (form.get('grant_type') !== 'client_credentials' || form.get('scope') !== `${RESOURCE}/.default`)
    return entraError(400, 'invalid_scope', 1002012, 'The provided value for scope is not valid.');
  const clientId = form.get('client_id') ?? '';
  const principal = principals.find((p) => p.tenantId === tenant && p.clientId === clientId);
  if (principal === undefined)
    return entraError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  if (form.get('client_secret') !== principal.clientSecret)
    return entraError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    );
  return {
    status: 200,
    body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: issue(principal) },
  };
}
