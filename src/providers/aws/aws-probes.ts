/**
 * The three AWS calls: STS `GetCallerIdentity` (who), IAM `SimulatePrincipalPolicy` (which of the
 * needed actions the principal's policies allow) and EC2 `RunInstances` with `DryRun` (a live
 * check of the launch permission: `DryRunOperation` allowed, `UnauthorizedOperation` denied).
 */
import { type _InstanceType, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentials } from './aws-config.ts';
import { type AwsFailure, classifyAwsError } from './aws-errors.ts';
import type { AwsConfig } from './aws-schema.ts';

/** Client settings shared by the three calls. */
export interface AwsCallContext {
  readonly config: AwsConfig;
  readonly credentials: AwsCredentials;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  /** Incremented once per request sent. */
  readonly count: () => void;
}

/** The caller, or the failure. */
export type CallerResult =
  | { readonly ok: true; readonly arn: string; readonly account: string }
  | { readonly ok: false; readonly failure: AwsFailure };

/** Decisions per action, or the failure of the simulation. */
export type SimulationResult =
  | { readonly ok: true; readonly decisions: ReadonlyMap<string, string> }
  | { readonly ok: false; readonly failure: AwsFailure };

function clientConfig(context: AwsCallContext) {
  return {
    region: context.config.region,
    ...(context.config.endpoint === undefined ? {} : { endpoint: context.config.endpoint }),
    credentials: context.credentials,
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: Math.min(5000, context.timeoutMs),
      requestTimeout: context.timeoutMs,
    },
  };
}

function sendOptions(context: AwsCallContext) {
  return context.signal === undefined ? {} : { abortSignal: context.signal };
}

/** STS GetCallerIdentity. */
export async function callerIdentity(context: AwsCallContext): Promise<CallerResult> {
  const client = new STSClient(clientConfig(context));
  try {
    context.count();
    const out = await client.send(new GetCallerIdentityCommand({}), sendOptions(context));
    return { ok: true, arn: out.Arn ?? '', account: out.Account ?? '' };
  } catch (error) {
    return { ok: false, failure: classifyAwsError(error) };
  } finally {
    client.destroy();
  }
}

/** Temporary credentials of an assumed role, or the failure. */
export type AssumeRoleResult =
  | { readonly ok: true; readonly credentials: AwsCredentials; readonly expiresAt?: number }
  | { readonly ok: false; readonly failure: AwsFailure; readonly message?: string };

/** STS AssumeRole with the context's (base) credentials; `ExternalId` when given. */
export async function assumeRole(
  context: AwsCallContext,
  request: { roleArn: string; sessionName: string; externalId?: string | undefined },
): Promise<AssumeRoleResult> {
  const client = new STSClient(clientConfig(context));
  try {
    context.count();
    const out = await client.send(
      new AssumeRoleCommand({
        RoleArn: request.roleArn,
        RoleSessionName: request.sessionName,
        DurationSeconds: 900,
        ...(request.externalId === undefined ? {} : { ExternalId: request.externalId }),
      }),
      sendOptions(context),
    );
    const c = out.Credentials;
    if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined)
      return { ok: false, failure: { kind: 'other', code: 'NoCredentials' } };
    return {
      ok: true,
      credentials: {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken === undefined ? {} : { sessionToken: c.SessionToken }),
      },
      ...(c.Expiration === undefined ? {} : { expiresAt: c.Expiration.getTime() }),
    };
  } catch (error) {
    const message = (error as { message?: unknown }).message;
    return {
      ok: false,
      failure: classifyAwsError(error),
      ...(typeof message === 'string' ? { message } : {}),
    };
  } finally {
    client.destroy();
  }
}

/** IAM SimulatePrincipalPolicy, one call per resource group, following pagination. */
export async function simulate(
  context: AwsCallContext,
  policySourceArn: string,
  groups: ReadonlyMap<string, readonly string[]>,
): Promise<SimulationResult> {
  const client = new IAMClient(clientConfig(context));
  const decisions = new Map<string, string>();
  try {
    for (const [resource, actions] of groups) {
      let marker: string | undefined;
      do {
        context.count();
        const page = await client.send(
          new SimulatePrincipalPolicyCommand({
            PolicySourceArn: policySourceArn,
            ActionNames: [...actions],
            ResourceArns: [resource],
            ...(marker === undefined ? {} : { Marker: marker }),
          }),
          sendOptions(context),
        );
        for (const r of page.EvaluationResults ?? [])
          if (r.EvalActionName !== undefined)
            decisions.set(r.EvalActionName, r.EvalDecision ?? 'implicitDeny');
        marker = page.IsTruncated === true ? page.Marker : undefined;
      } while (marker !== undefined);
    }
    return { ok: true, decisions };
  } catch (error) {
    return { ok: false, failure: classifyAwsError(error) };
  } finally {
    client.destroy();
  }
}

/** EC2 RunInstances with DryRun: the classified answer (`dry-run-ok` when allowed). */
export async function dryRunRunInstances(context: AwsCallContext, imageId: string): Promise<AwsFailure> {
  const client = new EC2Client(clientConfig(context));
  const { instanceType, subnetId } = context.config;
  try {
    context.count();
    await client.send(
      new RunInstancesCommand({
        DryRun: true,
        ImageId: imageId,
        InstanceType: (instanceType ?? 't3.micro') as _InstanceType,
        MinCount: 1,
        MaxCount: 1,
        ...(subnetId === undefined ? {} : { SubnetId: subnetId }),
      }),
      sendOptions(context),
    );
    return { kind: 'other', code: 'NoDryRunAnswer' };
  } catch (error) {
    return classifyAwsError(error);
  } finally {
    client.destroy();
  }
}
