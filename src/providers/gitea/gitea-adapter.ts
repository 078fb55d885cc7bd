/**
 * The Gitea adapter: GET /user for validity and identity, one read probe per enabled feature,
 * the scopes a 403 names (granted ones when Gitea tells, `scope_missing` otherwise), the
 * repository permissions against the features' role, the branch and the clone URL form.
 */
import { Compile } from 'typebox/compile';
import {
  checkCloneUrl,
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
import { type GiteaConfig, giteaAuth, readGiteaConfig } from './gitea-config.ts';
import { probesFor } from './gitea-probes.ts';
import { checkRepository } from './gitea-repository.ts';
import { type Refusals, readCommon } from './gitea-responses.ts';
import { UserSchema } from './gitea-schema.ts';

const user = Compile(UserSchema);

/** Options of {@link createGiteaAdapter}. */
export type GiteaAdapterOptions = HttpAdapterOptions;

/** Creates the Gitea adapter. */
export function createGiteaAdapter(options: GiteaAdapterOptions = {}): ProviderAdapter {
  return { id: 'gitea', verify: (input) => verifyGitea(input, options) };
}

/** The Gitea adapter with default client settings. */
export const giteaAdapter: ProviderAdapter = createGiteaAdapter();

async function identify(client: HttpClient, report: VerificationReport, refusals: Refusals) {
  const outcome = await client.request('/user');
  const stop = readCommon(report, refusals, outcome, 'GET /user');
  if (stop !== undefined) return { stop };
  const me =
    outcome.kind === 'response' && outcome.status === 200 && user.Check(outcome.json)
      ? outcome.json
      : undefined;
  const identity: Identity = { accountType: 'user', ...(me === undefined ? {} : { account: me.login }) };
  report.check(
    sharedCheck('token-valid', 'pass', `Gitea accepts the credential${me ? ` of ${me.login}` : ''}.`),
  );
  return { identity };
}

async function runProbes(
  client: HttpClient,
  report: VerificationReport,
  refusals: Refusals,
  input: VerifyInput,
  cfg: GiteaConfig,
) {
  for (const probe of probesFor(input.features, cfg)) {
    const outcome = await client.request(probe.path);
    const stop = readCommon(report, refusals, outcome, `GET ${probe.path.split('?')[0]}`);
    if (stop !== undefined) return stop;
  }
  return undefined;
}

function scopesFromProbes(report: VerificationReport, refusals: Refusals): void {
  for (const { call, refusal } of refusals.list) {
    report.finding({
      code: 'scope_missing',
      severity: 'error',
      message: `Gitea refused ${call}: the token needs ${refusal.required.join(' or ')}.`,
      fix: `Create a token that also has ${refusal.required.join(', ')}.`,
      check: 'scopes',
    });
  }
  report.check(
    refusals.list.length > 0
      ? sharedCheck(
          'scopes',
          'fail',
          `Missing: ${[...new Set(refusals.list.flatMap((entry) => entry.refusal.required))].join(', ')}.`,
        )
      : sharedCheck(
          'scopes',
          'pass',
          "Every read probe for the enabled features was accepted; Gitea does not list a token's scopes, so write scopes are not probed.",
        ),
  );
}

async function verifyGitea(input: VerifyInput, options: GiteaAdapterOptions): Promise<Introspection> {
  const start = startVerification(input, {
    readConfig: readGiteaConfig,
    auth: giteaAuth,
    http: options.http,
  });
  if (start.finished !== undefined) return start.finished;
  const { report, client, config: cfg } = start;
  const refusals: Refusals = { list: [] };
  const who = await identify(client, report, refusals);
  if (who.stop !== undefined) return finishReport(report, { reach: who.stop, client });
  const probeStop = await runProbes(client, report, refusals, input, cfg);
  if (probeStop !== undefined)
    return finishReport(report, { reach: probeStop, client, identity: who.identity });
  const { catalogue } = input;
  const repo = await checkRepository(
    client,
    report,
    refusals,
    cfg,
    roleRequirements(catalogue, 'gitea', input.credentialType, input.features),
  );
  if (repo.stop !== undefined)
    return finishReport(report, { reach: repo.stop, client, identity: who.identity });
  const granted = input.credentialType === 'basic-auth' ? ['all'] : refusals.granted;
  if (granted === undefined) scopesFromProbes(report, refusals);
  else recordScopes(report, { ...input, grantedScopes: granted });
  report.check(checkCloneUrl({ configured: cfg.cloneUrl, expected: repo.cloneUrl }));
  return finishReport(report, { reach: 'ok', client, identity: who.identity, grantedScopes: granted });
}
