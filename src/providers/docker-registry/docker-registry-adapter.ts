/**
 * The Docker registry adapter (Registry HTTP API v2 / OCI distribution): the challenge of
 * `GET /v2/`, a bearer token from the realm and its `access` claim, then pull and push probes on
 * the configured repository, and the check that the registry host matches the image reference.
 */
import { KeyhouseError } from '../../core/errors.ts';
import type { CheckResult, Finding, Introspection, ProviderAdapter, VerifyInput } from '../types.ts';
import { type AuthOutcome, authenticate, type BasicCredential } from './docker-registry-auth.ts';
import { type DockerRegistryConfig, parseDockerRegistryConfig } from './docker-registry-config.ts';
import { catalogueScopes, RegistryHttp } from './docker-registry-http.ts';
import { type ProbeResult, probePull, probePush } from './docker-registry-probes.ts';

/** Options of {@link createDockerRegistryAdapter}. */
export interface DockerRegistryAdapterOptions {
  /** The fetch to use (tests may count or refuse calls); global `fetch` by default. */
  readonly fetch?: typeof fetch;
  /** Per-request timeout in ms; 15 s by default. */
  readonly timeoutMs?: number;
}

const TOKEN_VALID = 'Registry credential valid';
const NAMESPACE = 'Repository access (pull / push)';

function credentialOf(input: VerifyInput, config: DockerRegistryConfig): BasicCredential {
  const secret = input.credential['password'] ?? input.credential['token'];
  const organisation =
    typeof input.config['organisation'] === 'string' ? input.config['organisation'] : undefined;
  const username = config.username ?? organisation ?? input.credential['username'];
  if (secret === undefined) throw missing('credential.password', 'is required (or credential.token)');
  if (username === undefined) throw missing('config.username', 'is required');
  return { username, secret };
}

function missing(path: string, message: string): KeyhouseError {
  return new KeyhouseError('validation_failed', `${path} ${message}`, {
    details: { fields: [{ path, message }] },
  });
}

function hostMatchCheck(config: DockerRegistryConfig): CheckResult {
  const title = 'Registry host matches the image reference';
  if (config.image === undefined) {
    return {
      id: 'registry-host-matches',
      title,
      outcome: 'skipped',
      detail: 'No image reference is configured.',
    };
  }
  if (config.image.host === config.host) {
    return { id: 'registry-host-matches', title, outcome: 'pass', detail: `Both name ${config.host}.` };
  }
  return {
    id: 'registry-host-matches',
    title,
    outcome: 'fail',
    detail: `The image is pulled from ${config.image.host} but the credential is for ${config.host}.`,
    fix: `Use ${config.host}/${config.image.repository} as the image reference, or store a credential for ${config.image.host}.`,
  };
}

function hostFindings(check: CheckResult): Finding[] {
  if (check.outcome !== 'fail') return [];
  const fix = check.fix === undefined ? {} : { fix: check.fix };
  return [
    {
      code: 'registry_host_mismatch',
      severity: 'error',
      message: check.detail ?? '',
      check: check.id,
      ...fix,
    },
  ];
}

function failedAuth(
  auth: AuthOutcome & { kind: 'invalid' | 'unreachable' },
  hostCheck: CheckResult,
  requests: number,
): Introspection {
  const invalid = auth.kind === 'invalid';
  const fix = invalid
    ? 'Store the current password or token of the registry account; check it has not been revoked.'
    : 'Check the registry host and port, and that Keyhouse can reach it.';
  const finding: Finding = {
    code: invalid ? 'credential_invalid' : 'provider_unreachable',
    severity: 'error',
    message: invalid ? auth.detail : `The registry could not be reached: ${auth.detail}.`,
    fix,
    check: 'token-valid',
  };
  const tokenCheck: CheckResult = {
    id: 'token-valid',
    title: TOKEN_VALID,
    outcome: 'fail',
    detail: finding.message,
    fix,
  };
  const skipped: CheckResult = {
    id: 'namespace-access',
    title: NAMESPACE,
    outcome: 'skipped',
    detail: 'The credential was not accepted.',
  };
  return {
    reach: auth.kind,
    checks: [tokenCheck, hostCheck, skipped],
    findings: [finding, ...hostFindings(hostCheck)],
    requests,
  };
}

function requiredActions(features: readonly string[]): ('pull' | 'push')[] {
  return features.includes('push-images') ? ['pull', 'push'] : ['pull'];
}

function namespaceFinding(
  code: string,
  severity: Finding['severity'],
  message: string,
  fix?: string,
): Finding {
  return { code, severity, message, check: 'namespace-access', ...(fix === undefined ? {} : { fix }) };
}

function probeFinding(probe: ProbeResult, repository: string, username: string): Finding | undefined {
  const verb = probe.action === 'pull' ? 'pull from' : 'push to';
  switch (probe.result) {
    case 'denied':
      return namespaceFinding(
        'scope_missing',
        'error',
        `The credential cannot ${verb} repository ${repository} (${probe.detail}).`,
        `Grant ${username} the ${probe.action} action on ${repository} (token scope repository:${repository}:${probe.action}).`,
      );
    case 'not-found':
      return namespaceFinding(
        'image_not_found',
        'warning',
        `Repository ${repository} or its tag does not exist yet (${probe.detail}).`,
        'Push the image first, or fix the repository name and tag.',
      );
    case 'error':
      return namespaceFinding(
        'probe_failed',
        'warning',
        `The ${probe.action} probe failed: ${probe.detail}.`,
      );
    default:
      return probe.leftover === undefined
        ? undefined
        : namespaceFinding(
            'probe_upload_left',
            'warning',
            `The probe upload ${probe.leftover} could not be cancelled.`,
          );
  }
}

function probeFindings(probes: readonly ProbeResult[], repository: string, username: string): Finding[] {
  return probes.flatMap((probe) => probeFinding(probe, repository, username) ?? []);
}

function namespaceCheck(probes: readonly ProbeResult[]): CheckResult {
  const detail = probes.map((p) => `${p.action}: ${p.result} (${p.detail})`).join('; ');
  const failed = probes.some((p) => p.result === 'denied' || p.result === 'error');
  const fix = failed ? { fix: 'Grant the missing actions on the repository to the registry account.' } : {};
  return { id: 'namespace-access', title: NAMESPACE, outcome: failed ? 'fail' : 'pass', detail, ...fix };
}

async function runProbes(
  http: RegistryHttp,
  config: DockerRegistryConfig & { repository: string },
  features: readonly string[],
  auth: AuthOutcome & { kind: 'ok' | 'anonymous' },
): Promise<ProbeResult[]> {
  const authorization = auth.kind === 'ok' ? auth.authorization : undefined;
  // Cancelling an upload needs the delete action; a token whose claim lacks it gets the manifest probe.
  const access = auth.kind === 'ok' ? auth.access : undefined;
  const canCancel =
    access === undefined ||
    access.some(
      (a) => a.name === config.repository && (a.actions.includes('delete') || a.actions.includes('*')),
    );
  const probes: ProbeResult[] = [];
  for (const action of requiredActions(features)) {
    probes.push(
      action === 'pull'
        ? await probePull(http, config, authorization)
        : await probePush(http, config, authorization, canCancel),
    );
  }
  return probes;
}

async function verifyRegistry(
  input: VerifyInput,
  options: DockerRegistryAdapterOptions,
): Promise<Introspection> {
  const config = parseDockerRegistryConfig(input.config);
  const credential = credentialOf(input, config);
  const http = new RegistryHttp(options.fetch ?? fetch, options.timeoutMs ?? 15_000, input.signal);
  const hostCheck = hostMatchCheck(config);
  const auth = await authenticate(http, config, credential);
  if (auth.kind === 'invalid' || auth.kind === 'unreachable')
    return failedAuth(auth, hostCheck, http.requests);
  const tokenCheck: CheckResult =
    auth.kind === 'ok'
      ? { id: 'token-valid', title: TOKEN_VALID, outcome: 'pass', detail: `Accepted (${auth.scheme} auth).` }
      : {
          id: 'token-valid',
          title: TOKEN_VALID,
          outcome: 'skipped',
          detail: 'The registry asks for no credential.',
        };
  const { repository } = config;
  let probes: ProbeResult[] = [];
  if (repository !== undefined) {
    probes = await runProbes(http, { ...config, repository }, input.features, auth);
  }
  const access =
    repository === undefined
      ? {
          id: 'namespace-access',
          title: NAMESPACE,
          outcome: 'skipped' as const,
          detail: 'No repository or image is configured.',
        }
      : namespaceCheck(probes);
  const granted =
    auth.kind === 'ok' && auth.access !== undefined
      ? { grantedScopes: catalogueScopes(auth.access, repository) }
      : {};
  return {
    reach: 'ok',
    identity: { account: credential.username, accountType: 'user' },
    ...granted,
    checks: [tokenCheck, hostCheck, access],
    findings: [...hostFindings(hostCheck), ...probeFindings(probes, repository ?? '', credential.username)],
    requests: http.requests,
  };
}

/** Creates the Docker registry adapter. */
export function createDockerRegistryAdapter(options: DockerRegistryAdapterOptions = {}): ProviderAdapter {
  return { id: 'docker-registry', verify: (input) => verifyRegistry(input, options) };
}

/** The Docker registry adapter with default options (global fetch, 15 s per request). */
export const dockerRegistryAdapter: ProviderAdapter = createDockerRegistryAdapter();
