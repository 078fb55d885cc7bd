/**
 * Rules for container registries (Docker CLI and the distribution API), S3 and AWS (CLI and SDKs).
 */
import { AWS, REGISTRY, STORAGE } from './provider-groups.ts';
import type { DiagnoseRule } from './types.ts';

const S3_OR_AWS = [...STORAGE, ...AWS];

/** Registry rules, most specific first. */
export const REGISTRY_RULES: readonly DiagnoseRule[] = [
  {
    id: 'registry-pull-rate-limit',
    layer: 'rate-limit',
    title: 'Registry pull rate limit reached',
    explanation: 'The registry (Docker Hub) limits pulls per account or per IP address over a time window.',
    steps: [
      'Pull with an authenticated account: bind {integration} to the pipeline so pulls count against it.',
      'Cache or mirror the images, and retry after the window resets.',
    ],
    when: [['toomanyrequests', 'reached your pull rate limit']],
    status: [429],
    providers: REGISTRY,
    weight: 0.95,
  },
  {
    id: 'registry-pull-access-denied',
    layer: 'registry-credential',
    title: 'Image pull denied: missing credential or wrong repository',
    explanation:
      'The registry refused the pull: the repository does not exist under that name, or it is private and the pull was not authenticated with an account that can read it.',
    steps: [
      'Check the image reference: registry host, namespace and repository name.',
      'Check that the registry host of {integration} matches the image reference and that the pipeline uses it.',
      'Check that the account of {integration} may pull this repository.',
    ],
    when: [['pull access denied for']],
    providers: REGISTRY,
    weight: 0.9,
  },
  {
    id: 'registry-access-denied',
    layer: 'registry-credential',
    title: 'Registry denied access to the repository',
    explanation:
      'The registry authenticated the client but its token does not grant the action (typically push with a pull-only credential, or a namespace the account does not own).',
    steps: [
      'Check that the account or robot of {integration} has push (or pull) rights on this repository.',
      'Check the namespace in the image tag matches an organisation the account belongs to.',
    ],
    when: [['requested access to the resource is denied']],
    status: [403],
    providers: REGISTRY,
    weight: 0.9,
  },
  {
    id: 'registry-unauthorized',
    layer: 'registry-credential',
    title: 'Registry authentication failed',
    explanation:
      'The registry wanted credentials and got none or wrong ones (or a token that expired during a long push).',
    steps: [
      'Check the username and token of {integration} (`docker login <registry>` with them must succeed).',
      'Check that the registry host in the image reference is the host of {integration}.',
    ],
    when: [
      [
        'unauthorized: authentication required',
        'unauthorized: incorrect username or password',
        'no basic auth credentials',
        'access to the requested resource is not authorized',
      ],
    ],
    status: [401],
    providers: REGISTRY,
    weight: 0.9,
  },
];

/** S3 (backup storage) rules, most specific first. */
export const STORAGE_RULES: readonly DiagnoseRule[] = [
  {
    id: 's3-action-not-authorized',
    layer: 'backup-storage',
    title: 'The storage key may not perform this S3 action',
    explanation:
      'The policy of the key behind {integration} does not allow the S3 action named in the error.',
    steps: [
      'Allow the named `s3:` action on the bucket and prefix (`arn:aws:s3:::bucket/prefix/*`) in the policy of the key.',
      'Run `keyhouse doctor` on {integration}: it checks read, write and delete under the prefix.',
    ],
    when: [['is not authorized to perform: s3:']],
    status: [403],
    providers: S3_OR_AWS,
    weight: 0.93,
  },
  {
    id: 's3-access-denied',
    layer: 'backup-storage',
    title: 'The bucket denied the request',
    explanation:
      'S3 answered AccessDenied: the key lacks the permission (for example `s3:PutObject` for uploads, `s3:PutObjectAcl` when an ACL is set), or a bucket policy denies it.',
    steps: [
      'Allow `s3:PutObject`, `s3:GetObject`, `s3:DeleteObject` and `s3:ListBucket` on the bucket and prefix of {integration}.',
      'Check bucket policies for an explicit deny; run `keyhouse doctor` on {integration}.',
    ],
    when: [
      ['accessdenied', 'access denied'],
      [
        'putobject',
        'getobject',
        'deleteobject',
        'listobjects',
        'listbucket',
        'headobject',
        's3://',
        'arn:aws:s3',
        'amazon s3',
      ],
    ],
    status: [403],
    providers: STORAGE,
    weight: 0.9,
  },
  {
    id: 's3-unknown-access-key',
    layer: 'backup-storage',
    title: 'The storage access key does not exist',
    explanation:
      'The access key id of {integration} is unknown to this endpoint: deleted, mistyped, or meant for another endpoint or account.',
    steps: [
      'Check the access key id of {integration} and the endpoint it is used against.',
      'Create a new key if it was deleted and store it in {integration}.',
    ],
    when: [['invalidaccesskeyid', 'access key id you provided does not exist']],
    status: [403],
    providers: S3_OR_AWS,
    weight: 0.9,
  },
  {
    id: 's3-signature-mismatch',
    layer: 'backup-storage',
    title: 'Request signature mismatch: wrong secret key',
    explanation:
      'The endpoint computed another signature: the secret key does not belong to the access key, or the region or endpoint is wrong.',
    steps: [
      'Re-enter the secret key of {integration} (copy errors and stray characters are common).',
      'Check the region and endpoint configured in {integration}.',
    ],
    when: [['signaturedoesnotmatch', 'check your key and signing method']],
    status: [403],
    providers: S3_OR_AWS,
    weight: 0.88,
  },
  {
    id: 's3-no-such-bucket',
    layer: 'backup-storage',
    title: 'The bucket does not exist',
    explanation: 'The bucket named in {integration} does not exist at this endpoint.',
    steps: ['Check the bucket name and endpoint of {integration}; create the bucket if needed.'],
    when: [['nosuchbucket', 'the specified bucket does not exist']],
    status: [404],
    providers: STORAGE,
    weight: 0.9,
  },
  {
    id: 's3-wrong-region',
    layer: 'backup-storage',
    title: 'Wrong region or endpoint for the bucket',
    explanation: 'The bucket lives in another region or must be addressed through another endpoint.',
    steps: ['Set the region (and endpoint) of {integration} to those of the bucket.'],
    when: [
      ['permanentredirect', 'authorizationheadermalformed', 'must be addressed using the specified endpoint'],
    ],
    status: [301, 400],
    providers: STORAGE,
    weight: 0.88,
  },
];

/** AWS IAM rules, most specific first. */
export const AWS_RULES: readonly DiagnoseRule[] = [
  {
    id: 'aws-expired-token',
    layer: 'expired-credential',
    title: 'The AWS session token has expired',
    explanation: 'Temporary credentials (STS, assumed role, SSO) expired before or during the step.',
    steps: [
      'Obtain fresh temporary credentials (assume the role again) for {integration}.',
      'Make the step shorter than the session duration, or raise the role maximum session duration.',
    ],
    when: [
      ['expiredtoken', 'security token included in the request is expired', 'the provided token has expired'],
    ],
    status: [400, 403],
    providers: S3_OR_AWS,
    weight: 0.95,
  },
  {
    id: 'aws-action-not-authorized',
    layer: 'aws-iam',
    title: 'The IAM principal may not perform the action',
    explanation:
      'The identity behind {integration} has no policy allowing the action named in the error, or an explicit deny (SCP, permission boundary) blocks it.',
    steps: [
      'Allow the named action on the named resource in the policy of the IAM user or role of {integration}.',
      'Look for an explicit deny in service control policies or permission boundaries.',
      'Run `keyhouse doctor` on {integration}: it simulates the IAM actions the enabled features need.',
    ],
    when: [['is not authorized to perform:']],
    status: [403],
    providers: AWS,
    weight: 0.9,
  },
  {
    id: 'aws-unauthorized-operation',
    layer: 'aws-iam',
    title: 'EC2 refused the operation (UnauthorizedOperation)',
    explanation:
      'The IAM principal lacks an EC2 permission; the encoded message says which action, resource and condition failed.',
    steps: [
      'Decode the message with `aws sts decode-authorization-message` (needs `sts:DecodeAuthorizationMessage`).',
      'Allow the action (for example `ec2:RunInstances`, plus `iam:PassRole` for instance profiles) for the principal of {integration}.',
    ],
    when: [['unauthorizedoperation', 'encoded authorization failure message']],
    status: [403],
    providers: AWS,
    weight: 0.9,
  },
  {
    id: 'aws-invalid-client-token',
    layer: 'aws-iam',
    title: 'AWS does not recognise the access key',
    explanation: 'The access key of {integration} is invalid, deleted, or used with the wrong partition.',
    steps: ['Check the access key id and secret of {integration}; create a new key if it was deleted.'],
    when: [
      [
        'invalidclienttokenid',
        'security token included in the request is invalid',
        'invalidsignatureexception',
      ],
    ],
    status: [403],
    providers: AWS,
    weight: 0.86,
  },
  {
    id: 'aws-no-credentials',
    layer: 'aws-iam',
    title: 'No AWS credentials were found',
    explanation: 'The CLI or SDK found no credentials in the environment, profile or instance role.',
    steps: ['Bind {integration} to the pipeline so its key (or role) is provided to the step.'],
    when: [['unable to locate credentials', 'could not load credentials from any providers']],
    providers: AWS,
    weight: 0.85,
  },
  {
    id: 'aws-access-denied',
    layer: 'aws-iam',
    title: 'AWS denied the request',
    explanation: 'AccessDenied from an AWS API: the principal lacks the permission for the operation.',
    steps: ['Allow the operation named in the error for the principal of {integration}.'],
    when: [['accessdenied', 'access denied']],
    status: [403],
    providers: AWS,
    weight: 0.6,
  },
];
