/**
 * The AWS adapter: STS caller identity, IAM policy simulation of the catalogue's actions for the
 * enabled features (allowed ones become the granted scopes, the rest missing), and an EC2
 * `RunInstances` dry run when compute provisioning is enabled and an AMI is configured.
 */
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { KeyhouseError } from '../../core/errors.ts';
import { checkBuilder, findingFor as finding } from '../http/index.ts';
import type { CheckResult, Finding, Introspection, ProviderAdapter, VerifyInput } from '../types.ts';
import { actionsFromCatalogue, type RequiredActions, resourceGroups } from './aws-actions.ts';
import { roleCredentials } from './aws-assume-role.ts';
import {
  type AwsCredentials,
  awsCredentialsOf,
  type Principal,
  parseAwsConfig,
  principalOf,
} from './aws-config.ts';
import { type AwsFailure, describeAwsFailure } from './aws-errors.ts';
import { type AwsCallContext, callerIdentity, dryRunRunInstances, simulate } from './aws-probes.ts';
import type { AwsConfig } from './aws-schema.ts';

/** Options of {@link createAwsAdapter}. */
export interface AwsAdapterOptions {
  /** Where the needed actions come from; the verification's catalogue by default. */
  readonly requiredActions?: RequiredActions;
  /** Per-request timeout in ms; 15 s by default. */
  readonly timeoutMs?: number;
  /**
   * Keyhouse's own credentials for `assume-role` (the catalogue stores no base key for it);
   * default: the AWS SDK's default credential chain of the Keyhouse process.
   */
  readonly baseCredentials?: AwsCredentialIdentityProvider;
}

type Part = {
  readonly check: CheckResult;
  readonly findings: readonly Finding[];
  readonly granted?: readonly string[];
};

const TITLES: Readonly<Record<string, string>> = {
  'assume-role': 'Role assumed (STS AssumeRole)',
  'token-valid': 'Access key accepted (STS GetCallerIdentity)',
  'endpoint-and-region': 'Endpoint and region',
  'iam-actions': 'IAM actions of the enabled features (policy simulation)',
  'ec2-dry-run': 'EC2 RunInstances allowed (dry run)',
};

const check = checkBuilder(TITLES);

function callerFailure(failure: AwsFailure, config: AwsConfig, requests: number): Introspection {
  const code = describeAwsFailure(failure);
  const skipped = [
    check('iam-actions', 'skipped', 'The caller is unknown.'),
    check('ec2-dry-run', 'skipped', 'The caller is unknown.'),
  ];
  if (failure.kind === 'invalid' || failure.kind === 'expired') {
    const fix =
      'Store the current secret of this access key (and session token); check that the key is active.';
    const message =
      failure.kind === 'expired'
        ? `The temporary credential has expired: ${code}.`
        : `AWS refused the access key: ${code}.`;
    const f = finding(
      failure.kind === 'expired' ? 'credential_expired' : 'credential_invalid',
      'token-valid',
      message,
      fix,
    );
    return {
      reach: 'invalid',
      checks: [
        check('token-valid', 'fail', message, fix),
        check('endpoint-and-region', 'pass', config.region),
        ...skipped,
      ],
      findings: [f],
      requests,
    };
  }
  const limited = failure.kind === 'rate-limited';
  const fix = limited ? 'Retry later.' : 'Check the region and endpoint, and that Keyhouse can reach AWS.';
  const message = limited ? `AWS throttled the request: ${code}.` : `AWS could not be reached: ${code}.`;
  const f = finding(limited ? 'rate_limited' : 'provider_unreachable', 'endpoint-and-region', message, fix);
  return {
    reach: limited ? 'rate-limited' : 'unreachable',
    checks: [
      check('token-valid', 'skipped', 'Not reached.'),
      check('endpoint-and-region', 'fail', message, fix),
      ...skipped,
    ],
    findings: [f],
    requests,
  };
}

function simulationSkipped(failure: AwsFailure): Part {
  const denied = failure.kind === 'denied';
  const message = denied
    ? 'The key may not call iam:SimulatePrincipalPolicy, so its actions could not be read.'
    : `The policy simulation failed: ${describeAwsFailure(failure)}.`;
  const fix = denied
    ? 'Allow iam:SimulatePrincipalPolicy on the principal itself for a precise check.'
    : undefined;
  return {
    check: check('iam-actions', 'skipped', message, fix),
    findings: [
      finding(denied ? 'iam_simulation_denied' : 'probe_failed', 'iam-actions', message, fix, 'warning'),
    ],
  };
}

async function simulationPart(
  context: AwsCallContext,
  principal: Principal,
  actions: readonly string[],
): Promise<Part> {
  if (actions.length === 0)
    return {
      check: check('iam-actions', 'skipped', 'No enabled feature needs an IAM action.'),
      findings: [],
    };
  const source = principal.policySourceArn;
  if (source === undefined)
    return {
      check: check(
        'iam-actions',
        'skipped',
        `Policy simulation does not apply to a ${principal.kind} principal.`,
      ),
      findings: [],
    };
  const result = await simulate(context, source, resourceGroups(actions, context.config));
  if (!result.ok) return simulationSkipped(result.failure);
  const granted = actions.filter((a) => result.decisions.get(a) === 'allowed');
  const missing = actions.filter((a) => result.decisions.get(a) !== 'allowed');
  if (missing.length === 0)
    return {
      check: check('iam-actions', 'pass', `${actions.length} actions allowed for ${source}.`),
      findings: [],
      granted,
    };
  const fix = `Allow ${missing.join(', ')} in a policy attached to ${source}.`;
  const findings = missing.map((a) =>
    finding(
      'scope_missing',
      'iam-actions',
      `IAM does not allow ${a} for ${source} (${result.decisions.get(a) ?? 'not evaluated'}).`,
      `Allow ${a} in a policy attached to ${source}.`,
    ),
  );
  return { check: check('iam-actions', 'fail', `Missing: ${missing.join(', ')}.`, fix), findings, granted };
}

async function dryRunPart(context: AwsCallContext, features: readonly string[]): Promise<Part> {
  if (!features.includes('provision-compute'))
    return { check: check('ec2-dry-run', 'skipped', 'Compute provisioning is not enabled.'), findings: [] };
  const { imageId } = context.config;
  if (imageId === undefined)
    return {
      check: check('ec2-dry-run', 'skipped', 'Set config.imageId to probe RunInstances.'),
      findings: [],
    };
  const answer = await dryRunRunInstances(context, imageId);
  if (answer.kind === 'dry-run-ok')
    return {
      check: check('ec2-dry-run', 'pass', 'DryRunOperation: the launch would be allowed.'),
      findings: [],
    };
  const denied = answer.kind === 'denied';
  const message = denied
    ? `EC2 refused RunInstances: ${describeAwsFailure(answer)}.`
    : `The dry run failed: ${describeAwsFailure(answer)}.`;
  const fix = denied
    ? 'Allow ec2:RunInstances (on instance, volume, network-interface, subnet, security-group and image resources).'
    : undefined;
  return {
    check: check('ec2-dry-run', 'fail', message, fix),
    findings: [
      finding(
        denied ? 'scope_missing' : 'probe_failed',
        'ec2-dry-run',
        message,
        fix,
        denied ? 'error' : 'warning',
      ),
    ],
  };
}

function rootFindings(principal: Principal): Finding[] {
  if (principal.kind !== 'root') return [];
  return [
    finding(
      'root_credentials',
      'token-valid',
      'These are the account root user keys.',
      'Create an IAM user or role with only the needed actions and delete the root access key.',
      'warning',
    ),
  ];
}

/** The credentials to check: the stored key, or the role's temporary credentials; or the end. */
async function credentialsFor(
  input: VerifyInput,
  context: Omit<AwsCallContext, 'credentials'>,
  options: AwsAdapterOptions,
  requests: () => number,
): Promise<{ credentials: AwsCredentials; checks: CheckResult[] } | { finished: Introspection }> {
  if (input.credentialType === 'access-key')
    return { credentials: awsCredentialsOf(input, context.config), checks: [] };
  if (input.credentialType !== 'assume-role') {
    const message = `credential type ${input.credentialType} is not verified by this adapter yet`;
    throw new KeyhouseError('validation_failed', message, {
      details: { fields: [{ path: 'credentialType', message }] },
    });
  }
  const role = await roleCredentials(input, context, options.baseCredentials);
  if (role.ok) return { credentials: role.credentials, checks: [check('assume-role', 'pass', role.detail)] };
  const unknown = 'The role could not be assumed.';
  return {
    finished: {
      reach: role.reach,
      checks: [
        check('assume-role', 'fail', role.finding.message, role.finding.fix),
        check('token-valid', 'skipped', unknown),
        check('endpoint-and-region', 'pass', context.config.region),
        check('iam-actions', 'skipped', unknown),
        check('ec2-dry-run', 'skipped', unknown),
      ],
      findings: [role.finding],
      requests: requests(),
    },
  };
}

async function verifyAws(input: VerifyInput, options: AwsAdapterOptions): Promise<Introspection> {
  const config = parseAwsConfig(input.config);
  let requests = 0;
  const base = {
    config,
    timeoutMs: options.timeoutMs ?? 15_000,
    signal: input.signal,
    count: () => {
      requests += 1;
    },
  };
  const chosen = await credentialsFor(input, base, options, () => requests);
  if ('finished' in chosen) return chosen.finished;
  const context: AwsCallContext = { ...base, credentials: chosen.credentials };
  const caller = await callerIdentity(context);
  if (!caller.ok) {
    const failed = callerFailure(caller.failure, config, requests);
    return { ...failed, checks: [...chosen.checks, ...failed.checks] };
  }
  const roleArn =
    config.roleArn ??
    (typeof input.credential['roleArn'] === 'string' ? input.credential['roleArn'] : undefined);
  const principal = principalOf(caller.arn, roleArn);
  const actions = await (options.requiredActions ?? actionsFromCatalogue(input.catalogue))(
    input.credentialType,
    input.features,
  );
  const sim = await simulationPart(context, principal, actions);
  const dry = await dryRunPart(context, input.features);
  const accountType =
    principal.kind === 'iam-user' || principal.kind === 'iam-role' ? { accountType: principal.kind } : {};
  return {
    reach: 'ok',
    identity: { account: caller.arn, organisation: caller.account, ...accountType },
    ...(sim.granted === undefined ? {} : { grantedScopes: sim.granted }),
    checks: [
      ...chosen.checks,
      check('token-valid', 'pass', caller.arn),
      check('endpoint-and-region', 'pass', `${config.endpoint ?? 'AWS'}, region ${config.region}`),
      sim.check,
      dry.check,
    ],
    findings: [...rootFindings(principal), ...sim.findings, ...dry.findings],
    requests,
  };
}

/** Creates the AWS adapter. */
export function createAwsAdapter(options: AwsAdapterOptions = {}): ProviderAdapter {
  return { id: 'aws', verify: (input) => verifyAws(input, options) };
}

/** The AWS adapter with default timeouts and the process's own AWS credentials. */
export const awsAdapter: ProviderAdapter = createAwsAdapter();
