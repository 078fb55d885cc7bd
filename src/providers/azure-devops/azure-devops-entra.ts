/**
 * Microsoft Entra credentials for Azure DevOps: the client-credentials exchange of a service
 * principal (`POST {authority}/{tenantId}/oauth2/v2.0/token`, form-encoded, for the Azure DevOps
 * resource) and the `exp` claim of a stored access token. Entra's error bodies
 * (`{ error, error_description: "AADSTS…: …", error_codes }`) become findings with the host's own
 * first line as detail; the secret is only ever in the request body.
 */
import type { HttpAdapterOptions, HttpClient, HttpOutcome } from '../http/index.ts';
import { createHttpClient } from '../http/index.ts';
import type { Finding, VerifyInput } from '../types.ts';

/** The Azure DevOps resource id in Entra; `/.default` asks for the principal's granted access. */
export const AZURE_DEVOPS_RESOURCE = '499b84ac-1321-427f-aa17-267ca6975798';
/** The Entra authority used when the config sets none. */
export const DEFAULT_AUTHORITY = 'https://login.microsoftonline.com';

/** A token, or why none was obtained (`invalid` for Entra's refusals, else `unreachable`/`rate-limited`). */
export type EntraToken =
  | { readonly ok: true; readonly accessToken: string; readonly expiresAt?: number }
  | {
      readonly ok: false;
      readonly reach: 'invalid' | 'unreachable' | 'rate-limited';
      readonly finding: Finding;
    };

/** A client whose requests send `form` form-encoded instead of the client's JSON body. */
export function formClient(
  baseUrl: string,
  form: Readonly<Record<string, string>>,
  http: HttpAdapterOptions['http'],
  signal: AbortSignal | undefined,
  headers: Readonly<Record<string, string>> = {},
): HttpClient {
  const doFetch = http?.fetch ?? fetch;
  return createHttpClient({
    ...http,
    baseUrl,
    headers,
    ...(signal === undefined ? {} : { signal }),
    fetch: (url, init) =>
      doFetch(url, {
        ...init,
        method: 'POST',
        headers: {
          ...(init?.headers as Record<string, string>),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(form).toString(),
      }),
  });
}

/** The first line of Entra's `error_description` (the `AADSTS…` sentence, without trace ids). */
export function entraErrorText(outcome: HttpOutcome): string | undefined {
  if (outcome.kind !== 'response') return undefined;
  const body = outcome.json as { error?: unknown; error_description?: unknown } | undefined;
  const text = typeof body?.error_description === 'string' ? body.error_description : undefined;
  const first = text
    ?.split(/\r?\n/)[0]
    ?.replace(/\s*Trace ID:.*$/, '')
    .trim();
  if (first !== undefined && first !== '') return first;
  return typeof body?.error === 'string' ? body.error : undefined;
}

const FIXES: readonly [RegExp, string][] = [
  [
    /AADSTS7000215|AADSTS7000222/,
    'Create a new client secret for the application and store its value (not its id).',
  ],
  [/AADSTS700016/, 'Check the application (client) id and that the application exists in this tenant.'],
  [/AADSTS90002|AADSTS900023/, 'Check the tenant id (a GUID or a verified domain of the tenant).'],
];

function refusal(outcome: HttpOutcome & { kind: 'response' }): EntraToken {
  const text = entraErrorText(outcome) ?? `Entra answered ${outcome.status}`;
  if (outcome.status >= 500) {
    const finding = {
      code: 'provider_unreachable',
      severity: 'error',
      message: `Microsoft Entra answered ${outcome.status}: the host failed, not the credential.`,
      fix: 'Verify again later; check the Azure status page.',
      check: 'token-valid',
    } as const;
    return { ok: false, reach: 'unreachable', finding };
  }
  const fix =
    FIXES.find(([pattern]) => pattern.test(text))?.[1] ??
    'Check the tenant id, client id and client secret of the service principal.';
  return {
    ok: false,
    reach: 'invalid',
    finding: {
      code: 'credential_invalid',
      severity: 'error',
      message: `Microsoft Entra refused the client-credentials exchange: ${text}`,
      fix,
      check: 'token-valid',
    },
  };
}

/** Exchanges the service principal's client id and secret for an Azure DevOps access token. */
export async function exchangeClientCredentials(
  request: { authorityUrl: string; tenantId: string; clientId: string; clientSecret: string; now: number },
  http: HttpAdapterOptions['http'],
  signal: AbortSignal | undefined,
): Promise<{ token: EntraToken; requests: number }> {
  const client = formClient(
    request.authorityUrl,
    {
      client_id: request.clientId,
      client_secret: request.clientSecret,
      grant_type: 'client_credentials',
      scope: `${AZURE_DEVOPS_RESOURCE}/.default`,
    },
    http,
    signal,
  );
  const outcome = await client.request(`/${encodeURIComponent(request.tenantId)}/oauth2/v2.0/token`, {
    method: 'POST',
  });
  return { token: readToken(outcome, request.now), requests: client.requests };
}

function readToken(outcome: HttpOutcome, now: number): EntraToken {
  if (outcome.kind === 'rate-limited' || outcome.kind === 'unreachable') {
    const limited = outcome.kind === 'rate-limited';
    return {
      ok: false,
      reach: limited ? 'rate-limited' : 'unreachable',
      finding: {
        code: limited ? 'rate_limited' : 'provider_unreachable',
        severity: limited ? 'warning' : 'error',
        message: limited
          ? 'Microsoft Entra rate-limited the token request.'
          : `Microsoft Entra could not be reached: ${outcome.reason}.`,
        fix: limited ? 'Verify again later.' : 'Check authorityUrl, DNS, proxy and firewall.',
        check: 'token-valid',
      },
    };
  }
  if (outcome.status !== 200) return refusal(outcome);
  const body = outcome.json as { access_token?: unknown; expires_in?: unknown } | undefined;
  if (typeof body?.access_token !== 'string' || body.access_token === '') return refusal(outcome);
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in);
  return {
    ok: true,
    accessToken: body.access_token,
    ...(Number.isFinite(expiresIn) ? { expiresAt: now + expiresIn * 1000 } : {}),
  };
}

/** The `exp` claim (epoch ms) of a JWT access token, or undefined when it is not a readable JWT. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (token.split('.').length !== 3 || payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** A credential field, or a non-secret one from the config (tenant and client ids may live there). */
export function fieldOf(input: VerifyInput, name: string): string | undefined {
  const value = input.credential[name] ?? input.config[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
