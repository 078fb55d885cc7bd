/**
 * The non-secret configuration of an AWS integration, as a schema: the access key id, the region,
 * an endpoint override (tests, private endpoints), the bucket and prefix the backup feature uses
 * (for resource-specific simulation), and what the EC2 dry run launches.
 */
import Type, { type Static } from 'typebox';

/** Schema of `config` for the `aws` provider. */
export const AwsConfigSchema = Type.Object(
  {
    accessKeyId: Type.Optional(
      Type.String({ minLength: 16, maxLength: 128, description: 'The access key id (access-key).' }),
    ),
    region: Type.String({ pattern: '^[a-z0-9-]{2,32}$', description: 'The default region.' }),
    endpoint: Type.Optional(
      Type.String({
        pattern: '^https?://',
        maxLength: 500,
        description: 'One endpoint for STS, IAM and EC2 (tests).',
      }),
    ),
    roleArn: Type.Optional(
      Type.String({
        pattern: '^arn:aws[a-z-]*:iam::',
        maxLength: 2048,
        description: 'The IAM ARN to simulate.',
      }),
    ),
    bucket: Type.Optional(Type.String({ minLength: 3, maxLength: 255, description: 'The backup bucket.' })),
    prefix: Type.Optional(Type.String({ maxLength: 900, description: 'The backup key prefix.' })),
    imageId: Type.Optional(
      Type.String({ pattern: '^ami-[0-9a-f]{8,17}$', description: 'The AMI of the EC2 dry run.' }),
    ),
    instanceType: Type.Optional(
      Type.String({ minLength: 2, maxLength: 64, description: 'The instance type of the dry run.' }),
    ),
    subnetId: Type.Optional(
      Type.String({ pattern: '^subnet-[0-9a-f]{8,17}$', description: 'The subnet of the dry run.' }),
    ),
  },
  { additionalProperties: true },
);

/** `config` of an AWS integration as the schema describes it. */
export type AwsConfig = Static<typeof AwsConfigSchema>;
