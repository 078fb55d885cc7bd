/**
 * The Bitbucket Cloud adapter: granted scopes from `x-oauth-scopes` (and from 403 bodies), the
 * credential type from `x-credential-type`, the repository, the admin role where a feature needs
 * it, the branch and the clone URL form. Never calls the endpoints retired with 410 (CHANGE-2770);
 * app passwords are reported as removed, with the move to API tokens as the fix.
 */
import {
  checkCloneUrl,
  createReport,
  finishReport,
  type HttpAdapterOptions,
  type HttpClient,
  recordScopes,
  roleRequirements,
  sharedCheck,
  startVerification,
  type VerificationReport,
} from '../http/index.ts';
import type { Identity, Introspection, ProviderAdapter, VerifyInput } from '../types.ts';
import {
  type BitbucketCloudConfig,
  bitbucketCloudAuth,
  readBitbucketCloudConfig,
} from './bitbucket-cloud-config.ts';
import { consumerToken } from './bitbucket-cloud-oauth.ts';
import { readRepositoryChecks } from './bitbucket-cloud-repository.ts';
import { headerScopes, readCommon } from './bitbucket-cloud-responses.ts';
import { CREDENTIAL_TYPE_HEADER } from './bitbucket-cloud-schema.ts';

/** Options of {@link createBitbucketCloudAdapter}. */
export type BitbucketCloudAdapterOptions = HttpAdapterOptions;

/** The day app passwords stopped working (catalogue `statusNote`). */
export const APP_PASSWORD_REMOVAL = Date.parse('2026-07-28T00:00:00Z');

/** Creates the Bitbucket Cloud adapter. */
export function createBitbucketCloudAdapter(options: BitbucketCloudAdapterOptions = {}): ProviderAdapter {
  return { id: 'bitbucket-cloud', verify: (input) => verifyBitbucketCloud(input, options) };
}

/** The Bitbucket Cloud adapter with default client settings. */
export const bitbucketCloudAdapter: ProviderAdapter = createBitbucketCloudAdapter();

const USER_CREDENTIALS = new Set(['api-token', 'app-password', 'oauth-consumer']);

function appPasswordFinding(report: VerificationReport, now: number): void {
  const removed = now >= APP_PASSWORD_REMOVAL;
  report.finding({
    code: 'app_password_removed',
    severity: removed ? 'error' : 'warning',
    message: removed
      ? 'Bitbucket Cloud removed app passwords on 2026-07-28; this credential no longer authenticates.'
      : 'Bitbucket Cloud removes app passwords on 2026-07-28 (brown-outs from 2026-06-09).',
    fix: 'Create an Atlassian API token with the equivalent granular scopes (read:repository:bitbucket, …), store it with your Atlassian email, and switch the integration to the api-token credential type.',
    check: 'token-valid',
  });
}

/** The first call: GET /user for user credentials, the repository (or workspace) for access tokens. */
function identityPath(input: VerifyInput, cfg: BitbucketCloudConfig): string | undefined {
  if (USER_CREDENTIALS.has(input.credentialType)) return '/user';
  if (cfg.workspace === undefined) return undefined;
  const ws = encodeURIComponent(cfg.workspace);
  return cfg.repository === undefined
    ? `/repositories/${ws}?pagelen=1`
    : `/repositories/${ws}/${encodeURIComponent(cfg.repository)}`;
}

async function identify(
  client: HttpClient,
  report: VerificationReport,
  input: VerifyInput,
  cfg: BitbucketCloudConfig,
  tokenScopes?: readonly string[],
): Promise<{ stop?: Introspection['reach']; identity?: Identity; granted?: readonly string[] }> {
  const path = identityPath(input, cfg);
  if (path === undefined) {
    report.finding({
      code: 'config_invalid',
      severity: 'error',
      message: 'An access token needs the workspace in the configuration.',
      fix: 'Set workspace.',
    });
    return { stop: 'unreachable' };
  }
  const outcome = await client.request(
    path.split('?')[0]!,
    path.includes('?') ? { query: { pagelen: 1 } } : {},
  );
  const common = readCommon(report, outcome, `GET ${path.split('?')[0]}`);
  if (common.stop !== undefined) return { stop: common.stop };
  if (outcome.kind !== 'response') return {};
  if (outcome.status === 410 && input.credentialType === 'app-password') return { stop: 'invalid' };
  const granted = headerScopes(outcome) ?? tokenScopes ?? common.granted;
  const seenType = outcome.headers.get('x-credential-type');
  const expectedType = CREDENTIAL_TYPE_HEADER[input.credentialType];
  if (seenType !== null && expectedType !== undefined && seenType !== expectedType) {
    report.finding({
      code: 'credential_type_mismatch',
      severity: 'warning',
      message: `The integration says ${input.credentialType}, but Bitbucket Cloud reports the credential as ${seenType}.`,
      fix: 'Correct the credential type of the integration so that the right scopes are checked.',
      check: 'token-valid',
    });
  }
  const body =
    outcome.status === 200
      ? (outcome.json as { username?: string; display_name?: string } | undefined)
      : undefined;
  const account = path === '/user' ? (body?.username ?? body?.display_name) : undefined;
  const identity: Identity = {
    accountType: USER_CREDENTIALS.has(input.credentialType) ? 'user' : 'bot',
    ...(account === undefined ? {} : { account }),
    ...(cfg.workspace === undefined ? {} : { organisation: cfg.workspace }),
  };
  return { identity, ...(granted === undefined ? {} : { granted }) };
}

async function verifyBitbucketCloud(
  input: VerifyInput,
  options: BitbucketCloudAdapterOptions,
): Promise<Introspection> {
  const first = createReport();
  if (input.credentialType === 'app-password') appPasswordFinding(first, input.now);
  const consumer = await consumerToken(input, options.http);
  if (consumer.finished !== undefined) return consumer.finished;
  const start = startVerification(input, {
    readConfig: readBitbucketCloudConfig,
    auth: (verify) => bitbucketCloudAuth(verify, consumer.accessToken),
    http: options.http,
    report: first,
  });
  if (start.finished !== undefined) return start.finished;
  const { report, client, config: cfg } = start;
  const who = await identify(client, report, input, cfg, consumer.scopes);
  const counted = (result: Introspection) => ({ ...result, requests: result.requests + consumer.requests });
  if (who.stop !== undefined) return counted(finishReport(report, { reach: who.stop, client }));
  report.check(sharedCheck('token-valid', 'pass', 'Bitbucket Cloud accepts the credential.'));
  const { catalogue } = input;
  const repo = await readRepositoryChecks(client, report, cfg, {
    roles: USER_CREDENTIALS.has(input.credentialType)
      ? roleRequirements(catalogue, 'bitbucket-cloud', input.credentialType, input.features)
      : [],
  });
  if (repo.stop !== undefined)
    return counted(finishReport(report, { reach: repo.stop, client, identity: who.identity }));
  const granted = who.granted ?? repo.granted;
  if (granted === undefined)
    report.check(sharedCheck('scopes', 'skipped', 'Bitbucket Cloud sent no x-oauth-scopes header.'));
  else recordScopes(report, { ...input, grantedScopes: granted });
  report.check(checkCloneUrl({ configured: cfg.cloneUrl, expected: repo.cloneUrl }));
  return counted(
    finishReport(report, { reach: 'ok', client, identity: who.identity, grantedScopes: granted }),
  );
}
