/** The AWS provider adapter (STS identity, IAM policy simulation, EC2 dry run). */
export {
  actionsFromCatalogue,
  type RequiredActions,
  resourceGroups,
} from './aws-actions.ts';
export { type AwsAdapterOptions, awsAdapter, createAwsAdapter } from './aws-adapter.ts';
export { type RoleCredentials, roleCredentials } from './aws-assume-role.ts';
export {
  type AwsCredentials,
  awsCredentialsOf,
  type Principal,
  parseAwsConfig,
  principalOf,
} from './aws-config.ts';
export { type AwsFailure, type AwsFailureKind, classifyAwsError, describeAwsFailure } from './aws-errors.ts';
export {
  type AssumeRoleResult,
  type AwsCallContext,
  assumeRole,
  type CallerResult,
  callerIdentity,
  dryRunRunInstances,
  type SimulationResult,
  simulate,
} from './aws-probes.ts';
export { type AwsConfig, AwsConfigSchema } from './aws-schema.ts';
