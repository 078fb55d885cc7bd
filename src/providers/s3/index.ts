/** The S3-compatible storage provider adapter (list, write, read and delete probes). */
export { createS3Adapter, type S3AdapterOptions, s3Adapter } from './s3-adapter.ts';
export { parseS3Config, type S3Config, type S3Secret, s3SecretOf } from './s3-config.ts';
export { classifyS3Error, describeFailure, type S3Failure, type S3FailureKind } from './s3-errors.ts';
export { runS3Probes, type S3ProbeRun, type S3Step } from './s3-probes.ts';
export { S3ConfigSchema } from './s3-schema.ts';
