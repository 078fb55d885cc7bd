/**
 * Authentication against a Docker registry: read the challenge of `GET /v2/`, exchange the basic
 * credential at the token realm for a bearer token naming the repository's actions, and check that
 * the registry itself accepts that token (a token the registry does not trust is invalid).
 */
import type { DockerRegistryConfig } from './docker-registry-config.ts';
import {
  type AccessEntry,
  type Challenge,
  decodeAccessClaim,
  parseChallenge,
  type RegistryHttp,
} from './docker-registry-http.ts';

/** What authentication led to. The `authorization` header value is secret: never log it. */
export type AuthOutcome =
  | { readonly kind: 'unreachable'; readonly detail: string }
  | { readonly kind: 'invalid'; readonly detail: string }
  | { readonly kind: 'anonymous' }
  | {
      readonly kind: 'ok';
      readonly scheme: 'bearer' | 'basic';
      readonly authorization: string;
      /** The token's `access` claim; absent for basic auth and opaque tokens. */
      readonly access?: readonly AccessEntry[];
    };

/** The basic credential of a user. */
export interface BasicCredential {
  readonly username: string;
  readonly secret: string;
}

function basicHeader(credential: BasicCredential): string {
  return `Basic ${Buffer.from(`${credential.username}:${credential.secret}`).toString('base64')}`;
}

function statusDetail(status: number, challenge: Challenge | undefined): string {
  const error = challenge?.params['error'];
  return error === undefined ? `HTTP ${status}` : `HTTP ${status} (${error})`;
}

/** Sends `GET /v2/` with an authorization header and classifies the answer. */
async function confirm(
  http: RegistryHttp,
  config: DockerRegistryConfig,
  scheme: 'bearer' | 'basic',
  authorization: string,
  access?: readonly AccessEntry[],
): Promise<AuthOutcome> {
  const answer = await http.send(`${config.baseUrl}/v2/`, { headers: { authorization } });
  if (answer.kind === 'network') return { kind: 'unreachable', detail: answer.detail };
  if (answer.status === 200)
    return { kind: 'ok', scheme, authorization, ...(access === undefined ? {} : { access }) };
  const challenge = parseChallenge(answer.headers.get('www-authenticate'));
  if (answer.status === 401 || answer.status === 403) {
    const who = scheme === 'bearer' ? 'the token its token service issued' : 'the credential';
    return {
      kind: 'invalid',
      detail: `The registry rejected ${who}: ${statusDetail(answer.status, challenge)}.`,
    };
  }
  return { kind: 'unreachable', detail: `GET /v2/ answered HTTP ${answer.status}` };
}

/** Requests a bearer token from the realm for the repository's pull, push and delete actions. */
async function bearer(
  http: RegistryHttp,
  config: DockerRegistryConfig,
  challenge: Challenge,
  credential: BasicCredential,
): Promise<AuthOutcome> {
  const realm = challenge.params['realm'];
  if (realm === undefined || !/^https?:\/\//i.test(realm)) {
    return { kind: 'unreachable', detail: 'The registry challenge names no usable token realm.' };
  }
  const url = new URL(realm);
  if (challenge.params['service'] !== undefined) url.searchParams.set('service', challenge.params['service']);
  if (config.repository !== undefined)
    url.searchParams.append('scope', `repository:${config.repository}:pull,push,delete`);
  const answer = await http.send(url.toString(), { headers: { authorization: basicHeader(credential) } });
  if (answer.kind === 'network') return { kind: 'unreachable', detail: `token service: ${answer.detail}` };
  if (answer.status === 401 || answer.status === 403) {
    return { kind: 'invalid', detail: `The token service refused the credential (HTTP ${answer.status}).` };
  }
  if (answer.status !== 200)
    return { kind: 'unreachable', detail: `token service answered HTTP ${answer.status}` };
  const token = tokenOf(answer.body);
  if (token === undefined)
    return { kind: 'unreachable', detail: 'The token service answered without a token.' };
  const access = decodeAccessClaim(token);
  return confirm(http, config, 'bearer', `Bearer ${token}`, access);
}

function tokenOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { token?: unknown; access_token?: unknown };
    const token = parsed.token ?? parsed.access_token;
    return typeof token === 'string' && token !== '' ? token : undefined;
  } catch {
    return undefined;
  }
}

/** Runs the challenge, token and confirmation steps. */
export async function authenticate(
  http: RegistryHttp,
  config: DockerRegistryConfig,
  credential: BasicCredential,
): Promise<AuthOutcome> {
  const answer = await http.send(`${config.baseUrl}/v2/`);
  if (answer.kind === 'network') return { kind: 'unreachable', detail: answer.detail };
  if (answer.status === 200) return { kind: 'anonymous' };
  if (answer.status !== 401)
    return { kind: 'unreachable', detail: `GET /v2/ answered HTTP ${answer.status}` };
  const challenge = parseChallenge(answer.headers.get('www-authenticate'));
  if (challenge?.scheme === 'bearer') return bearer(http, config, challenge, credential);
  if (challenge?.scheme === 'basic') return confirm(http, config, 'basic', basicHeader(credential));
  return { kind: 'unreachable', detail: 'The registry answered 401 without a Bearer or Basic challenge.' };
}
