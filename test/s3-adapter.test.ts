import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  CreateBucketCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { classifyS3Error, parseS3Config, s3Adapter } from '../src/providers/s3/index.ts';
import type { Introspection, VerifyInput } from '../src/providers/types.ts';
import { catalogue } from './catalogue-fixtures.ts';
import { freePort } from './peers/peer-support.ts';
import { type RadosgwPeer, radosgwSkipReason, startRadosgwPeer } from './peers/radosgw-peer.ts';

const keyId = () => `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
const secret = () => randomBytes(24).toString('base64url');
const keys = {
  alice: { id: keyId(), secret: secret() },
  aliceRo: { id: keyId(), secret: secret() },
  bob: { id: keyId(), secret: secret() },
};

function input(config: Record<string, unknown>, secretAccessKey: string): VerifyInput {
  return {
    catalogue,
    integrationId: 'i',
    provider: 's3',
    credentialType: 'access-key',
    config,
    features: ['backup-to-bucket'],
    credential: { secretAccessKey },
    now: Date.now(),
  };
}

function outcome(result: Introspection, id: string): string | undefined {
  return result.checks.find((c) => c.id === id)?.outcome;
}

describe('configuration and error classes', () => {
  test('config errors name the field', () => {
    assert.throws(() => parseS3Config({ accessKeyId: 'x', region: 'r' }), /config\.bucket is required/);
    assert.throws(() => parseS3Config({ bucket: 'abc', region: 'r' }), /config\.accessKeyId is required/);
    assert.throws(() => parseS3Config({ bucket: 'abc', accessKeyId: 'x' }), /config\.region is required/);
    assert.equal(
      parseS3Config({ bucket: 'abc', keyId: 'k', endpoint: 'https://s3.us-west-004.backblazeb2.com' }).region,
      'us-west-004',
    );
    assert.equal(
      parseS3Config({ bucket: 'abc', accessKeyId: 'k', region: 'r', prefix: '/nightly' }).prefix,
      'nightly/',
    );
  });

  test('each S3 error code lands in its class', () => {
    const table: [Record<string, unknown>, string][] = [
      [{ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } }, 'invalid'],
      [{ name: 'InvalidAccessKeyId', $metadata: { httpStatusCode: 403 } }, 'invalid'],
      [{ name: 'ExpiredToken', $metadata: { httpStatusCode: 400 } }, 'expired'],
      [{ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }, 'denied'],
      [
        { name: 'AuthorizationHeaderMalformed', Region: 'eu-west-1', $metadata: { httpStatusCode: 400 } },
        'region',
      ],
      [
        {
          name: 'PermanentRedirect',
          Endpoint: 'b.s3.eu-west-1.amazonaws.com',
          $metadata: { httpStatusCode: 301 },
        },
        'region',
      ],
      [{ name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } }, 'no-bucket'],
      [{ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }, 'not-found'],
      [{ name: 'InternalError', $metadata: { httpStatusCode: 503 } }, 'unreachable'],
      [{ name: 'Error', code: 'ECONNREFUSED', $metadata: {} }, 'unreachable'],
    ];
    for (const [error, kind] of table) assert.equal(classifyS3Error(error).kind, kind, String(error['name']));
    assert.equal(classifyS3Error(table[4]![0]).hint, 'eu-west-1');
  });

  // AWS's documented answers to a request signed for the wrong region, served from loopback.
  const wrongRegion: [string, number, string][] = [
    [
      'AuthorizationHeaderMalformed',
      400,
      "<Message>The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'</Message><Region>eu-west-1</Region>",
    ],
    [
      'PermanentRedirect',
      301,
      '<Message>The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.</Message><Endpoint>backups.s3.eu-west-1.amazonaws.com</Endpoint><Bucket>backups</Bucket>',
    ],
  ];
  for (const [code, status, rest] of wrongRegion) {
    test(`a wrong region (${code}) is reported as such`, async () => {
      const server = createServer((_request, response) => {
        response.writeHead(status, { 'content-type': 'application/xml', 'x-amz-bucket-region': 'eu-west-1' });
        response.end(
          `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code>${rest}<RequestId>0A1B2C3D4E5F6789</RequestId></Error>`,
        );
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      try {
        const config = {
          accessKeyId: keyId(),
          endpoint: `http://127.0.0.1:${port}`,
          region: 'us-east-1',
          bucket: 'backups',
          forcePathStyle: true,
        };
        const result = await s3Adapter.verify(input(config, secret()));
        assert.equal(outcome(result, 'endpoint-and-region'), 'fail');
        assert.equal(outcome(result, 'bucket-write'), 'skipped');
        assert.equal(result.findings[0]?.code, 'region_mismatch');
        assert.match(result.findings[0]?.message ?? '', new RegExp(`${code}.*eu-west-1`));
      } finally {
        server.close();
      }
    });
  }

  test('an unreachable endpoint is reported as such', async () => {
    const port = await freePort();
    const config = {
      accessKeyId: keyId(),
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      bucket: 'abc',
      forcePathStyle: true,
    };
    const result = await s3Adapter.verify(input(config, secret()));
    assert.equal(result.reach, 'unreachable');
    assert.equal(outcome(result, 'endpoint-and-region'), 'fail');
    assert.equal(result.findings[0]?.code, 'provider_unreachable');
    assert.equal(result.requests, 1);
  });
});

describe('against Ceph radosgw', { skip: radosgwSkipReason() }, () => {
  let peer: RadosgwPeer;
  let admin: S3Client;
  const bucket = 'backups';
  before(
    async () => {
      peer = await startRadosgwPeer();
      console.log(`# radosgw ready after ${peer.startMs} ms`);
      peer.admin([
        'user',
        'create',
        '--uid=alice',
        '--display-name=Alice',
        `--access-key=${keys.alice.id}`,
        `--secret=${keys.alice.secret}`,
      ]);
      peer.admin([
        'user',
        'create',
        '--uid=bob',
        '--display-name=Bob',
        `--access-key=${keys.bob.id}`,
        `--secret=${keys.bob.secret}`,
      ]);
      peer.admin([
        'subuser',
        'create',
        '--uid=alice',
        '--subuser=alice:ro',
        '--access=read',
        '--key-type=s3',
        `--access-key=${keys.aliceRo.id}`,
        `--secret=${keys.aliceRo.secret}`,
      ]);
      admin = new S3Client({
        endpoint: peer.endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: keys.alice.id, secretAccessKey: keys.alice.secret },
      });
      await admin.send(new CreateBucketCommand({ Bucket: bucket }));
      await admin.send(new PutObjectCommand({ Bucket: bucket, Key: 'nightly/existing.tar', Body: 'x' }));
    },
    { timeout: 120_000 },
  );
  after(async () => {
    admin?.destroy();
    await peer?.stop();
  });
  const config = (id: string, extra: Record<string, unknown> = {}) => ({
    accessKeyId: id,
    endpoint: peer.endpoint,
    region: 'us-east-1',
    bucket,
    prefix: 'nightly',
    forcePathStyle: true,
    ...extra,
  });
  const keysUnderPrefix = async () =>
    ((await admin.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'nightly/' }))).Contents ?? []).map(
      (o) => o.Key,
    );

  test('the owner passes every check and the probe object is gone', async () => {
    const result = await s3Adapter.verify(input(config(keys.alice.id), keys.alice.secret));
    assert.equal(result.reach, 'ok');
    for (const id of ['token-valid', 'endpoint-and-region', 'bucket-read', 'bucket-write', 'bucket-delete'])
      assert.equal(outcome(result, id), 'pass', id);
    assert.deepEqual(result.findings, []);
    assert.equal(result.requests, 4);
    assert.deepEqual(await keysUnderPrefix(), ['nightly/existing.tar']);
    assert.ok(!JSON.stringify(result).includes(keys.alice.secret));
  });

  test('a read-only key fails the backup check on write and delete', async () => {
    const result = await s3Adapter.verify(input(config(keys.aliceRo.id), keys.aliceRo.secret));
    assert.equal(result.reach, 'ok');
    assert.equal(outcome(result, 'bucket-read'), 'pass');
    assert.equal(outcome(result, 'bucket-write'), 'fail');
    assert.equal(outcome(result, 'bucket-delete'), 'fail');
    const missing = result.findings.filter((f) => f.code === 'scope_missing').map((f) => f.fix);
    assert.deepEqual(missing, [
      'Allow s3:PutObject on arn:aws:s3:::backups/nightly/* for this key.',
      'Allow s3:DeleteObject on arn:aws:s3:::backups/nightly/* for this key.',
    ]);
    assert.deepEqual(await keysUnderPrefix(), ['nightly/existing.tar']);
  });

  test('a wrong secret is invalid (SignatureDoesNotMatch)', async () => {
    const wrong = secret();
    const result = await s3Adapter.verify(input(config(keys.alice.id), wrong));
    assert.equal(result.reach, 'invalid');
    assert.equal(outcome(result, 'token-valid'), 'fail');
    assert.match(result.findings[0]?.message ?? '', /SignatureDoesNotMatch/);
    assert.equal(result.requests, 1);
    assert.ok(!JSON.stringify(result).includes(wrong));
  });

  test('an unknown access key is invalid (InvalidAccessKeyId)', async () => {
    const result = await s3Adapter.verify(input(config(keyId()), secret()));
    assert.equal(result.reach, 'invalid');
    assert.match(result.findings[0]?.message ?? '', /InvalidAccessKeyId/);
  });

  test('a missing bucket fails endpoint-and-region', async () => {
    const result = await s3Adapter.verify(
      input(config(keys.alice.id, { bucket: 'nope-bucket' }), keys.alice.secret),
    );
    assert.equal(outcome(result, 'endpoint-and-region'), 'fail');
    assert.equal(result.findings[0]?.code, 'bucket_not_found');
  });

  test('a key that may write but not delete is told so, and the marker it left is named', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam:::user/bob'] },
          Action: ['s3:ListBucket', 's3:GetObject', 's3:PutObject'],
          Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        },
      ],
    };
    await admin.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
    const result = await s3Adapter.verify(input(config(keys.bob.id), keys.bob.secret));
    assert.equal(outcome(result, 'bucket-read'), 'pass');
    assert.equal(outcome(result, 'bucket-write'), 'pass');
    assert.equal(outcome(result, 'bucket-delete'), 'fail');
    const left = result.findings.find((f) => f.code === 'probe_object_left');
    assert.match(left?.message ?? '', /s3:\/\/backups\/nightly\/\.keyhouse-probe-[0-9a-f]{16}/);
    assert.equal((await keysUnderPrefix()).length, 2);
  });
});
