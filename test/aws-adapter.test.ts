import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { awsAdapter, createAwsAdapter, principalOf, resourceGroups } from '../src/providers/aws/index.ts';
import type { Introspection, VerifyInput } from '../src/providers/types.ts';
import { catalogue } from './catalogue-fixtures.ts';
import { type FakeAws, type FakePrincipal, startFakeAws } from './fakes/aws/aws-fake-server.ts';
import { freePort } from './peers/peer-support.ts';

const ACCOUNT = '111122223333';
const keyId = () => `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
const secret = () => randomBytes(30).toString('base64');
const principal = (name: string, allow: string[]): FakePrincipal => ({
  accessKeyId: keyId(),
  secretAccessKey: secret(),
  arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
  userId: `AIDA${randomBytes(8).toString('hex').toUpperCase()}`,
  account: ACCOUNT,
  allow,
});
const COMPUTE = ['ec2:RunInstances', 'ec2:CreateTags', 'ec2:Describe*', 'ec2:TerminateInstances'];
const people = {
  full: principal('ci-full', ['iam:SimulatePrincipalPolicy', ...COMPUTE, 's3:*']),
  narrow: principal('ci-narrow', [
    'iam:SimulatePrincipalPolicy',
    'ec2:Describe*',
    's3:GetObject',
    's3:ListBucket',
  ]),
  opaque: principal('ci-opaque', ['ec2:RunInstances']),
};

function input(
  who: FakePrincipal,
  endpoint: string,
  features: string[],
  extra: Record<string, unknown> = {},
  secretAccessKey = who.secretAccessKey,
): VerifyInput {
  return {
    catalogue,
    integrationId: 'i',
    provider: 'aws',
    credentialType: 'access-key',
    config: {
      accessKeyId: who.accessKeyId,
      region: 'eu-west-1',
      endpoint,
      imageId: 'ami-0123456789abcdef0',
      ...extra,
    },
    features,
    credential: { secretAccessKey },
    now: Date.now(),
  };
}

function outcome(result: Introspection, id: string): string | undefined {
  return result.checks.find((c) => c.id === id)?.outcome;
}

describe('ARNs and resources', () => {
  test('an assumed-role session is simulated as its role', () => {
    assert.deepEqual(principalOf(`arn:aws:sts::${ACCOUNT}:assumed-role/Deploy/session-1`), {
      kind: 'iam-role',
      policySourceArn: `arn:aws:iam::${ACCOUNT}:role/Deploy`,
    });
    assert.deepEqual(principalOf(`arn:aws:iam::${ACCOUNT}:user/ci`), {
      kind: 'iam-user',
      policySourceArn: `arn:aws:iam::${ACCOUNT}:user/ci`,
    });
    assert.deepEqual(principalOf(`arn:aws:iam::${ACCOUNT}:root`), { kind: 'root' });
  });

  test('S3 actions are simulated on the bucket and prefix', () => {
    const groups = resourceGroups(['s3:ListBucket', 's3:PutObject', 'ec2:RunInstances'], {
      accessKeyId: 'x',
      region: 'r',
      bucket: 'b',
      prefix: 'p/',
    });
    assert.deepEqual(
      [...groups],
      [
        ['arn:aws:s3:::b', ['s3:ListBucket']],
        ['arn:aws:s3:::b/p/*', ['s3:PutObject']],
        ['*', ['ec2:RunInstances']],
      ],
    );
  });
});

describe('against the local AWS fake (SigV4 checked)', () => {
  let fake: FakeAws;
  before(async () => {
    fake = await startFakeAws(Object.values(people));
  });
  after(async () => fake?.close());

  test('a key with every action passes and its identity is read', async () => {
    const result = await awsAdapter.verify(
      input(people.full, fake.endpoint, ['provision-compute', 'backup-to-bucket'], { bucket: 'backups' }),
    );
    assert.equal(result.reach, 'ok');
    assert.deepEqual(result.identity, {
      account: people.full.arn,
      organisation: ACCOUNT,
      accountType: 'iam-user',
    });
    for (const id of ['token-valid', 'endpoint-and-region', 'iam-actions', 'ec2-dry-run'])
      assert.equal(outcome(result, id), 'pass', id);
    assert.equal(result.grantedScopes?.length, 12);
    assert.deepEqual(result.findings, []);
    // STS, one simulation per resource (*, bucket, objects), the dry run.
    assert.equal(result.requests, 5);
    assert.ok(!JSON.stringify(result).includes(people.full.secretAccessKey));
  });

  test('a narrow key is told the missing actions and fails the dry run', async () => {
    const result = await awsAdapter.verify(
      input(people.narrow, fake.endpoint, ['provision-compute', 'backup-to-bucket']),
    );
    assert.equal(outcome(result, 'iam-actions'), 'fail');
    assert.equal(outcome(result, 'ec2-dry-run'), 'fail');
    const missing = result.findings
      .filter((f) => f.check === 'iam-actions')
      .map((f) => /allow (\S+) for/.exec(f.message)?.[1]);
    assert.deepEqual(missing, [
      'ec2:CreateTags',
      'ec2:RunInstances',
      'ec2:TerminateInstances',
      's3:AbortMultipartUpload',
      's3:DeleteObject',
      's3:PutObject',
    ]);
    assert.ok(result.grantedScopes?.includes('s3:GetObject'));
    assert.match(
      result.findings.find((f) => f.check === 'ec2-dry-run')?.message ?? '',
      /UnauthorizedOperation \(HTTP 403\)/,
    );
  });

  test('a key that may not simulate gets a warning, and the dry run still answers', async () => {
    const result = await awsAdapter.verify(input(people.opaque, fake.endpoint, ['provision-compute']));
    assert.equal(outcome(result, 'iam-actions'), 'skipped');
    assert.equal(result.findings[0]?.code, 'iam_simulation_denied');
    assert.equal(result.grantedScopes, undefined);
    assert.equal(outcome(result, 'ec2-dry-run'), 'pass');
  });

  test('identity only needs no action: nothing is simulated', async () => {
    const before = fake.calls.length;
    const result = await awsAdapter.verify(input(people.narrow, fake.endpoint, ['read-user-identity']));
    assert.equal(outcome(result, 'iam-actions'), 'skipped');
    assert.equal(outcome(result, 'ec2-dry-run'), 'skipped');
    assert.deepEqual(fake.calls.slice(before), ['sts:GetCallerIdentity']);
  });

  test('a wrong secret is invalid (SignatureDoesNotMatch)', async () => {
    const wrong = secret();
    const result = await awsAdapter.verify(
      input(people.full, fake.endpoint, ['provision-compute'], {}, wrong),
    );
    assert.equal(result.reach, 'invalid');
    assert.equal(outcome(result, 'token-valid'), 'fail');
    assert.match(result.findings[0]?.message ?? '', /SignatureDoesNotMatch \(HTTP 403\)/);
    assert.equal(result.requests, 1);
    assert.ok(!JSON.stringify(result).includes(wrong));
  });

  test('an unknown key is invalid (InvalidClientTokenId)', async () => {
    const stranger = principal('stranger', []);
    const result = await awsAdapter.verify(input(stranger, fake.endpoint, []));
    assert.equal(result.reach, 'invalid');
    assert.match(result.findings[0]?.message ?? '', /InvalidClientTokenId/);
  });
});

test('an unreachable endpoint is reported as such', async () => {
  const port = await freePort();
  const result = await awsAdapter.verify(
    input(people.full, `http://127.0.0.1:${port}`, ['provision-compute']),
  );
  assert.equal(result.reach, 'unreachable');
  assert.equal(outcome(result, 'endpoint-and-region'), 'fail');
  assert.equal(result.findings[0]?.code, 'provider_unreachable');
});

describe('assume-role against the local AWS fake', () => {
  const keyhouse = principal('keyhouse', []);
  const outsider = principal('outsider', []);
  const externalId = randomBytes(12).toString('hex');
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/keyhouse-deploy`;
  const role = {
    arn: roleArn,
    trusted: [keyhouse.arn],
    externalId,
    allow: ['iam:SimulatePrincipalPolicy', ...COMPUTE],
  };
  let fake: FakeAws;
  before(async () => {
    fake = await startFakeAws([keyhouse, outsider], [role]);
  });
  after(async () => fake?.close());

  const base = (who: FakePrincipal) => async () => ({
    accessKeyId: who.accessKeyId,
    secretAccessKey: who.secretAccessKey,
  });
  const assumeInput = (id: string): VerifyInput => ({
    catalogue,
    integrationId: 'int-1',
    provider: 'aws',
    credentialType: 'assume-role',
    config: { region: 'eu-west-1', endpoint: fake.endpoint, roleArn, imageId: 'ami-0123456789abcdef0' },
    features: ['provision-compute'],
    credential: { externalId: id },
    now: Date.now(),
  });

  test('the role is assumed with the ExternalId and its temporary credentials pass every check', async () => {
    const before = fake.calls.length;
    const result = await createAwsAdapter({ baseCredentials: base(keyhouse) }).verify(
      assumeInput(externalId),
    );
    assert.equal(result.reach, 'ok', JSON.stringify(result.findings));
    assert.equal(result.identity?.accountType, 'iam-role');
    assert.match(result.identity?.account ?? '', /:assumed-role\/keyhouse-deploy\/keyhouse-verify-int-1$/);
    for (const id of ['assume-role', 'token-valid', 'iam-actions', 'ec2-dry-run'])
      assert.equal(outcome(result, id), 'pass', id);
    assert.deepEqual(fake.calls.slice(before, before + 2), ['sts:AssumeRole', 'sts:GetCallerIdentity']);
    assert.equal(result.requests, fake.calls.length - before);
    const text = JSON.stringify(result);
    assert.ok(!text.includes(externalId) && !text.includes(keyhouse.secretAccessKey));
  });

  test('a wrong ExternalId or an untrusted caller is denied, as a finding naming the role', async () => {
    const wrong = randomBytes(12).toString('hex');
    for (const [who, id] of [
      [keyhouse, wrong],
      [outsider, externalId],
    ] as const) {
      const result = await createAwsAdapter({ baseCredentials: base(who) }).verify(assumeInput(id));
      assert.equal(result.reach, 'invalid');
      assert.deepEqual(
        result.findings.map((f) => f.code),
        ['assume_role_denied'],
      );
      assert.match(
        result.findings[0]!.message,
        /AccessDenied \(HTTP 403\).*not authorized to perform: sts:AssumeRole/,
      );
      assert.equal(outcome(result, 'assume-role'), 'fail');
      assert.equal(result.requests, 1);
      assert.ok(!JSON.stringify(result).includes(id));
    }
  });

  test('without base credentials of its own Keyhouse says so, sending nothing', async () => {
    const none = async () => {
      throw new Error('Could not load credentials from any providers');
    };
    const result = await createAwsAdapter({ baseCredentials: none }).verify(assumeInput(externalId));
    assert.equal(result.reach, 'unreachable');
    assert.equal(result.findings[0]?.code, 'base_credentials_missing');
    assert.equal(result.requests, 0);
  });
});
