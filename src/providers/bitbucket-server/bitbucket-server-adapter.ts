/**
 * The Bitbucket Data Center adapter for HTTP access tokens (Bearer) and user name and password
 * (Basic): the repository read (telling a bad credential from a missing permission, both 401),
 * permission probes where the token cannot describe itself, the branch and the clone URL form.
 */
import { Compile } from 'typebox/compile';
import {
  branchCheck,
  checkCloneUrl,
  finishReport,
  type HttpAdapterOptions,
  type HttpClient,
  type HttpOutcome,
  recordNoAnswer,
  recordRepositoryFailure,
  recordScopes,
  recordServerError,
  sharedCheck,
  skipChecks,
  startVerification,
  type VerificationReport,
} from '../http/index.ts';
import type { Identity, Introspection, ProviderAdapter, VerifyInput } from '../types.ts';
import {
  type BitbucketServerConfig,
  bitbucketServerAuth,
  readBitbucketServerConfig,
} from './bitbucket-server-config.ts';
import { classify, firstError, probePermissions } from './bitbucket-server-permissions.ts';
import { PageSchema, RepositorySchema } from './bitbucket-server-schema.ts';

const repository = Compile(RepositorySchema);
const page = Compile(PageSchema);

/** Options of {@link createBitbucketServerAdapter}. */
export type BitbucketServerAdapterOptions = HttpAdapterOptions;

/** Creates the Bitbucket Data Center adapter. */
export function createBitbucketServerAdapter(options: BitbucketServerAdapterOptions = {}): ProviderAdapter {
  return { id: 'bitbucket-server', verify: (input) => verifyBitbucketServer(input, options) };
}

/** The Bitbucket Data Center adapter with default client settings. */
export const bitbucketServerAdapter: ProviderAdapter = createBitbucketServerAdapter();

const PROJECT_FEATURES = new Set(['list-organisations', 'read-org-members']);

/** The first call; stops on no answer, 5xx or a bad credential. */
async function firstCall(client: HttpClient, report: VerificationReport, cfg: BitbucketServerConfig) {
  const path =
    cfg.project && cfg.repository
      ? `/projects/${encodeURIComponent(cfg.project)}/repos/${encodeURIComponent(cfg.repository)}`
      : '/repos';
  const outcome = await client.request(path, path === '/repos' ? { query: { limit: 1 } } : {});
  if (outcome.kind !== 'response') return { stop: recordNoAnswer(report, outcome, 'Bitbucket Data Center') };
  if (outcome.status >= 500)
    return { stop: recordServerError(report, outcome.status, 'Bitbucket Data Center') };
  if (classify(outcome) === 'invalid') {
    const reason = firstError(outcome)?.message ?? 'authentication failed';
    report.finding({
      code: 'credential_invalid',
      severity: 'error',
      message: `Bitbucket Data Center refused the credential (401: ${reason}).`,
      fix: 'Create a new HTTP access token (or correct the password) and store it on the integration.',
      check: 'token-valid',
    });
    report.check(sharedCheck('token-valid', 'fail', 'Authentication failed (401).'));
    return { stop: 'invalid' as const };
  }
  const account = outcome.headers.get('x-ausername') ?? undefined;
  const identity: Identity = {
    accountType: account === undefined ? 'token' : 'user',
    ...(account === undefined ? {} : { account }),
  };
  const accepts = `Bitbucket Data Center accepts the credential${account ? ` of ${account}` : ''}.`;
  report.check(sharedCheck('token-valid', 'pass', accepts));
  return { outcome, identity };
}

function recordUnreadRepository(
  report: VerificationReport,
  outcome: HttpOutcome,
  cfg: BitbucketServerConfig,
): void {
  const kind = classify(outcome);
  const error = firstError(outcome)?.message;
  const name = `${cfg.project}/${cfg.repository}`;
  const detail =
    kind === 'not-permitted'
      ? `The credential is valid but not permitted to read ${name} (401 AuthorisationException): it needs REPO_READ.`
      : kind === 'forbidden'
        ? `Bitbucket Data Center forbade the request (403${error ? `: ${error}` : ''}); the credential kind may not be allowed here.`
        : `Repository ${name} was not found or is not visible (${outcome.kind === 'response' ? outcome.status : outcome.kind}${error ? `: ${error}` : ''}).`;
  const fix =
    kind === 'forbidden'
      ? "Check the instance's token and basic-auth settings."
      : `Grant REPO_READ on ${name} to the token (and its user), or correct the project key and slug.`;
  const code =
    kind === 'not-permitted'
      ? 'permission_missing'
      : kind === 'forbidden'
        ? 'forbidden'
        : 'repository_inaccessible';
  recordRepositoryFailure(report, detail, fix, code);
  report.check(sharedCheck('branch-exists', 'skipped', 'The repository could not be read.'));
}

async function checkBranch(client: HttpClient, cfg: BitbucketServerConfig) {
  if (cfg.branch === undefined) return branchCheck(undefined);
  const path = `/projects/${encodeURIComponent(cfg.project!)}/repos/${encodeURIComponent(cfg.repository!)}/branches`;
  const outcome = await client.request(path, {
    query: { filterText: cfg.branch, boostMatches: true, limit: 25 },
  });
  const found =
    outcome.kind === 'response' &&
    page.Check(outcome.json) &&
    outcome.json.values.some((branch) => branch['displayId'] === cfg.branch);
  return branchCheck(cfg.branch, found);
}

/** `repository-access` and `branch-exists` from the first call; the probed permissions and clone URL. */
async function checkRepository(
  client: HttpClient,
  report: VerificationReport,
  cfg: BitbucketServerConfig,
  input: VerifyInput,
  outcome: Extract<HttpOutcome, { kind: 'response' }>,
): Promise<{ granted: string[] | undefined; cloneUrl: string | undefined }> {
  let granted: string[] | undefined;
  let cloneUrl: string | undefined;
  if (cfg.project === undefined || cfg.repository === undefined) {
    skipChecks(report, ['repository-access', 'branch-exists'], 'No project and repository are configured.');
  } else if (outcome.status === 200 && repository.Check(outcome.json)) {
    report.check(sharedCheck('repository-access', 'pass', `Reads ${cfg.project}/${cfg.repository}.`));
    cloneUrl = outcome.json.links.clone
      ?.find((link) => link.name === 'http')
      ?.href.replace(/^(https?:\/\/)[^@/]+@/, '$1');
    granted = await probePermissions(
      client,
      cfg,
      input.features.some((feature) => PROJECT_FEATURES.has(feature)),
    );
    report.check(await checkBranch(client, cfg));
  } else {
    recordUnreadRepository(report, outcome, cfg);
    granted = classify(outcome) === 'not-permitted' ? [] : undefined;
  }
  return { granted, cloneUrl };
}

async function verifyBitbucketServer(
  input: VerifyInput,
  options: BitbucketServerAdapterOptions,
): Promise<Introspection> {
  const start = startVerification(input, {
    readConfig: readBitbucketServerConfig,
    auth: bitbucketServerAuth,
    http: options.http,
  });
  if (start.finished !== undefined) return start.finished;
  const { report, client, config: cfg } = start;
  const first = await firstCall(client, report, cfg);
  if (first.stop !== undefined) return finishReport(report, { reach: first.stop, client });
  const { granted, cloneUrl } = await checkRepository(client, report, cfg, input, first.outcome);
  if (granted === undefined)
    report.check(sharedCheck('scopes', 'skipped', 'Permissions are probed on the configured repository.'));
  else
    recordScopes(
      report,
      { ...input, grantedScopes: granted },
      `Probed permissions: ${granted.join(', ') || 'none'}.`,
    );
  report.check(
    sharedCheck('role', 'skipped', 'Bitbucket Data Center roles are its permissions, checked under scopes.'),
  );
  report.check(checkCloneUrl({ configured: cfg.cloneUrl, expected: cloneUrl }));
  return finishReport(report, { reach: 'ok', client, identity: first.identity, grantedScopes: granted });
}
