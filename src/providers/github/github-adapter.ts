/**
 * The GitHub adapter: identifies a classic PAT, OAuth token, fine-grained PAT or GitHub App
 * installation, reads what it grants (or probes when GitHub does not tell), checks SSO, the
 * repository, branch, allow-list and clone URL, and never sends a request the host's rate limit
 * would refuse. GitHub Enterprise reuses it with another id and API base.
 */
import type { Catalogue } from '../../core/catalogue/index.ts';
import type { Introspection, ProviderAdapter, VerifyInput } from '../types.ts';
import { checkAllowList, introspectApp } from './github-app-checks.ts';
import { type ClientContext, createGithubClient } from './github-client.ts';
import { GITHUB_API_BASE, type GithubConfig, parseGithubConfig } from './github-config.ts';
import { CHECKS, type CheckId, Report, record } from './github-findings.ts';
import { planProbes, runProbes } from './github-probes.ts';
import { RateGateRegistry } from './github-rate-gate.ts';
import { checkCloneUrl, checkRepository } from './github-repository-checks.ts';
import { checkGrantedScopes } from './github-scopes.ts';
import { identifyToken } from './github-token-checks.ts';

/** Options of {@link createGithubAdapter}. */
export interface GithubAdapterOptions {
  /** Provider id, also the catalogue provider read (`github`, `github-enterprise`). */
  readonly id?: string;
  /** The API base when `config.apiBaseUrl` is absent; may read the config (GHES `host`). */
  readonly defaultApiBase?: (config: Readonly<Record<string, unknown>>) => string;
  /** Rate-limit gates shared by the adapter's calls (default: one registry per adapter). */
  readonly gates?: RateGateRegistry;
  /** Base of the retry and throttling delays in ms (default 1000). */
  readonly retryBaseMs?: number;
  readonly fetch?: typeof fetch;
}

type Reach = Introspection['reach'];

/** Creates a GitHub (or GitHub Enterprise) adapter. */
export function createGithubAdapter(options: GithubAdapterOptions = {}): ProviderAdapter {
  const id = options.id ?? 'github';
  const gates = options.gates ?? new RateGateRegistry();
  return {
    id,
    async verify(input: VerifyInput): Promise<Introspection> {
      const config = parseGithubConfig(
        input.config,
        options.defaultApiBase?.(input.config) ?? GITHUB_API_BASE,
      );
      const ctx: ClientContext = {
        gate: gates.gate(config.apiBaseUrl),
        gateKey: config.apiBaseUrl,
        maxWaitMs: config.maxRateLimitWaitMs,
        retryBaseMs: options.retryBaseMs ?? 1000,
        fetch: options.fetch ?? globalThis.fetch,
        requests: 0,
        ...(input.signal ? { signal: input.signal } : {}),
      };
      const { catalogue } = input;
      const report = new Report();
      for (const problem of config.problems) report.finding('config_invalid', 'error', problem);
      checkCloneUrl(report, config);
      const run = { id, input, config, ctx, report, catalogue };
      if (!config.apiBaseUrlValid) return finish(run, { reach: 'unreachable' });
      const outcome = input.credentialType === 'github-app' ? await verifyApp(run) : await verifyToken(run);
      return finish(run, outcome);
    },
  };
}

interface Run {
  readonly id: string;
  readonly input: VerifyInput;
  readonly config: GithubConfig;
  readonly ctx: ClientContext;
  readonly report: Report;
  readonly catalogue: Catalogue;
}

type Outcome = Pick<Introspection, 'reach' | 'identity' | 'grantedScopes' | 'expiresAt'>;

const TOKEN_TYPES = new Set(['classic-pat', 'oauth-app', 'fine-grained-pat']);

async function verifyToken(run: Run): Promise<Outcome> {
  const { input, config, ctx, report, catalogue } = run;
  const token = input.credential['token'];
  if (!TOKEN_TYPES.has(input.credentialType) || token === undefined || token === '') {
    const why = TOKEN_TYPES.has(input.credentialType)
      ? 'The credential has no token.'
      : `Unknown credential type ${input.credentialType}.`;
    record(report, 'token-valid', 'fail', why);
    report.finding('credential_invalid', 'error', why, undefined, 'token-valid');
    return { reach: 'invalid' };
  }
  const octokit = createGithubClient(ctx, config.apiBaseUrl, { token });
  const who = await identifyToken(report, octokit, input.credentialType);
  if (who.reach !== 'ok') return { reach: who.reach };
  const base = {
    identity: who.identity,
    ...(who.scopes === undefined || input.credentialType === 'fine-grained-pat'
      ? {}
      : { grantedScopes: who.scopes }),
    ...(who.expiresAt === undefined ? {} : { expiresAt: who.expiresAt }),
  };
  record(report, 'allow-list', 'skipped', 'The allow-list applies to GitHub App installations.');
  const repo = await checkRepository(report, octokit, config, true);
  if (repo === 'rate-limited' || repo === 'unreachable' || repo === 'invalid')
    return { reach: repo, ...base };
  if (input.credentialType === 'fine-grained-pat') {
    const plan = planProbes(catalogue, run.id, input.credentialType, input.features, config);
    const probed = await runProbes(report, octokit, plan);
    return { reach: probed === 'ok' ? 'ok' : probed, ...base };
  }
  const granted = who.scopes ?? [];
  checkGrantedScopes(report, catalogue, {
    provider: run.id,
    credentialType: input.credentialType,
    features: input.features,
    granted,
  });
  return { reach: 'ok', ...base };
}

async function verifyApp(run: Run): Promise<Outcome> {
  const { input, config, ctx, report, catalogue } = run;
  const appId = input.credential['appId'] ?? config.appId;
  const installationId = input.credential['installationId'] ?? config.installationId;
  const privateKey = input.credential['privateKey'];
  if (!appId || !installationId || !privateKey) {
    const why = 'The GitHub App credential needs appId, installationId and privateKey.';
    record(report, 'token-valid', 'fail', why);
    report.finding('credential_invalid', 'error', why, undefined, 'token-valid');
    return { reach: 'invalid' };
  }
  const octokit = createGithubClient(ctx, config.apiBaseUrl, { app: { appId, privateKey, installationId } });
  const app = await introspectApp(report, octokit, installationId).catch(() => {
    const why = 'The private key could not sign a JWT (not a PEM RSA key).';
    record(report, 'token-valid', 'fail', why, 'Store the app’s PEM private key.');
    report.finding('credential_invalid', 'error', why, 'Store the app’s PEM private key.', 'token-valid');
    return { reach: 'invalid' as const };
  });
  if (app.reach !== 'ok') return { reach: app.reach };
  const base = {
    identity: app.identity,
    ...(app.permissions === undefined ? {} : { grantedScopes: app.permissions }),
  };
  record(report, 'sso', 'skipped', 'GitHub Apps are not subject to SAML SSO authorisation.');
  if (app.permissions === undefined) return { reach: 'ok', ...base };
  checkGrantedScopes(report, catalogue, {
    provider: run.id,
    credentialType: input.credentialType,
    features: input.features,
    granted: app.permissions,
  });
  const allowed = await checkAllowList(report, octokit, config, app);
  if (allowed === 'rate-limited' || allowed === 'unreachable') return { reach: allowed, ...base };
  if (allowed === 'outside') {
    record(report, 'branch-exists', 'skipped', 'The repository is outside the installation.');
    return { reach: 'ok', ...base };
  }
  const repo = await checkRepository(report, octokit, config, false);
  if (repo === 'rate-limited' || repo === 'unreachable') return { reach: repo, ...base };
  return { reach: 'ok', ...base };
}

function finish(run: Run, partial: Outcome): Introspection {
  const { report, ctx } = run;
  if (partial.reach === 'unreachable') {
    report.finding(
      'provider_unreachable',
      'error',
      `GitHub at ${run.config.apiBaseUrl} did not answer or answered 5xx.`,
      'Check the API base URL, DNS, proxy and TLS settings, or retry later.',
    );
  }
  if (partial.reach === 'rate-limited') {
    const reset = ctx.blocked?.resetAt ?? ctx.rateLimit?.resetAt;
    report.finding(
      'rate_limited',
      'warning',
      'GitHub’s rate limit for this credential is spent; no request was sent past it.',
      reset === undefined ? 'Retry later.' : `Retry after ${new Date(reset).toISOString()}.`,
    );
  }
  const reason = partial.reach === 'ok' ? 'Not reached.' : `Not reached: ${partial.reach}.`;
  for (const id of Object.keys(CHECKS) as CheckId[])
    if (!report.has(id)) record(report, id, 'skipped', reason);
  const rateLimit = ctx.blocked ?? ctx.rateLimit ?? ctx.gate.state();
  const reach: Reach = partial.reach;
  return {
    ...partial,
    reach,
    checks: report.checks,
    findings: report.findings,
    ...(Object.keys(rateLimit).length > 0 ? { rateLimit } : {}),
    requests: ctx.requests,
  };
}

/** The adapter for github.com. */
export const githubAdapter: ProviderAdapter = createGithubAdapter();
