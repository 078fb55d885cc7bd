/**
 * The non-secret configuration of an S3-compatible storage integration, as a schema: the access
 * key id (not secret), endpoint, region, bucket, key prefix and addressing style. Backblaze B2
 * names the key id `keyId`.
 */
import Type, { type Static } from 'typebox';

/** Schema of `config` for the `s3` provider. */
export const S3ConfigSchema = Type.Object(
  {
    accessKeyId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 256, description: 'The access key id.' }),
    ),
    keyId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 256, description: 'The B2 application key id.' }),
    ),
    endpoint: Type.Optional(
      Type.String({ pattern: '^https?://', maxLength: 500, description: 'Endpoint URL; absent for AWS.' }),
    ),
    region: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'The region.' })),
    bucket: Type.String({ minLength: 3, maxLength: 255, description: 'The bucket.' }),
    prefix: Type.Optional(Type.String({ maxLength: 900, description: 'The key prefix of the backups.' })),
    forcePathStyle: Type.Optional(Type.Boolean({ description: 'Path-style addressing.' })),
  },
  { additionalProperties: true },
);

/** `config` of an S3 integration as the schema describes it. */
export type S3ConfigInput = Static<typeof S3ConfigSchema>;
