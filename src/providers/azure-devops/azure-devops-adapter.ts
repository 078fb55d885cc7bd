/**
 * The Azure DevOps adapter for PATs: identity from connectionData (no scope needed) and the
 * profile, read probes per enabled feature (projects, the Git repository, its refs), where a 401
 * is reported as a missing scope or a missing permission, the branch and the clone URL form.
 */
import { Compile } from 'typebox/compile';
import type { HttpAdapterOptions, HttpClient, VerificationReport } from '../http/index.ts';
import {
  checkCloneUrl,
  expiryFindings,
  finishReport,
  sharedCheck,
  startVerification,
} from '../http/index.ts';
import type { Identity, Introspection, ProviderAdapter, VerifyInput } from '../types.ts';
import { entraBearer } from './azure-devops-bearer.ts';
import { type AzureDevopsConfig, azureDevopsAuth, readAzureDevopsConfig } from './azure-devops-config.ts';
import { checkRepository } from './azure-devops-repository.ts';
import { readFirstCall, recordProbeRefusal } from './azure-devops-responses.ts';
import { API_VERSION, ConnectionDataSchema, ProfileSchema } from './azure-devops-schema.ts';

const connectionData = Compile(ConnectionDataSchema);
const profile = Compile(ProfileSchema);

/** Options of {@link createAzureDevopsAdapter}. */
export type AzureDevopsAdapterOptions = HttpAdapterOptions;

/** Creates the Azure DevOps adapter. */
export function createAzureDevopsAdapter(options: AzureDevopsAdapterOptions = {}): ProviderAdapter {
  return { id: 'azure-devops', verify: (input) => verifyAzureDevops(input, options) };
}

/** The Azure DevOps adapter. */
export const azureDevopsAdapter: ProviderAdapter = createAzureDevopsAdapter();

async function identify(
  client: HttpClient,
  report: VerificationReport,
  input: VerifyInput,
  cfg: AzureDevopsConfig,
) {
  const org = encodeURIComponent(cfg.organization);
  const first = await client.request(`/${org}/_apis/connectionData`);
  const stop = readFirstCall(report, first, input.credentialType === 'pat' ? 'the PAT' : 'the Entra token');
  if (stop !== undefined) return { stop };
  const data = first.kind === 'response' && connectionData.Check(first.json) ? first.json : undefined;
  report.check(
    sharedCheck(
      'token-valid',
      'pass',
      input.credentialType === 'pat'
        ? 'Azure DevOps accepts the PAT; a PAT cannot read its own expiry or scopes.'
        : `Azure DevOps accepts the Entra token (${input.credentialType}).`,
    ),
  );
  const me = await client.request('/_apis/profile/profiles/me', {
    baseUrl: cfg.profileBaseUrl,
    query: { 'api-version': API_VERSION },
  });
  const person = me.kind === 'response' && me.status === 200 && profile.Check(me.json) ? me.json : undefined;
  if (person === undefined && input.features.includes('read-user-identity')) {
    recordProbeRefusal(
      report,
      'GET _apis/profile/profiles/me',
      'vso.profile (User profile, read)',
      'access to the organisation',
      me,
    );
  }
  const account = person?.emailAddress ?? person?.displayName ?? data?.authenticatedUser.providerDisplayName;
  const identity: Identity = {
    accountType: input.credentialType === 'service-principal' ? 'service-principal' : 'user',
    organisation: cfg.organization,
    ...(account === undefined ? {} : { account }),
  };
  return { identity };
}

async function probeProjects(
  client: HttpClient,
  report: VerificationReport,
  input: VerifyInput,
  cfg: AzureDevopsConfig,
): Promise<void> {
  if (!input.features.includes('list-organisations')) return;
  const outcome = await client.request(`/${encodeURIComponent(cfg.organization)}/_apis/projects`, {
    query: { 'api-version': API_VERSION, $top: 1 },
  });
  if (outcome.kind === 'response' && outcome.status === 401) {
    recordProbeRefusal(
      report,
      'GET _apis/projects',
      'vso.project or vso.profile',
      'View project-level information',
      outcome,
    );
  }
}

async function verifyAzureDevops(
  input: VerifyInput,
  options: AzureDevopsAdapterOptions,
): Promise<Introspection> {
  const entra = await entraBearer(input, options.http);
  if (entra.finished !== undefined) return entra.finished;
  const start = startVerification(input, {
    readConfig: readAzureDevopsConfig,
    auth: (verify) => azureDevopsAuth(verify, entra.bearer),
    http: options.http,
  });
  if (start.finished !== undefined) return start.finished;
  const { report, client, config: cfg } = start;
  for (const finding of expiryFindings(entra.expiresAt, input.now, options.expiryWarningDays))
    report.finding(finding);
  const who = await identify(client, report, input, cfg);
  const counted = (result: Introspection) => ({ ...result, requests: result.requests + entra.requests });
  if (who.stop !== undefined) return counted(finishReport(report, { reach: who.stop, client }));
  await probeProjects(client, report, input, cfg);
  const repo = await checkRepository(client, report, cfg);
  const refused = report.findings.some((finding) => finding.code === 'scope_or_permission_missing');
  report.check(
    refused
      ? sharedCheck(
          'scopes',
          'fail',
          'A probe was refused with 401 (a missing scope or a missing permission).',
        )
      : sharedCheck(
          'scopes',
          'pass',
          'Every read probe for the enabled features was accepted; write scopes (vso.code_write, vso.code_status) cannot be probed without writing.',
        ),
  );
  report.check(
    sharedCheck(
      'role',
      'skipped',
      'Security-group membership is not read with a PAT; refused probes name the permission instead.',
    ),
  );
  report.check(checkCloneUrl({ configured: cfg.cloneUrl, expected: repo.cloneUrl }));
  const { expiresAt } = entra;
  return counted(finishReport(report, { reach: 'ok', client, identity: who.identity, expiresAt }));
}
