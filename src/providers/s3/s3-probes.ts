/**
 * The S3 probes, in order: ListObjectsV2 (max 1 key, under the prefix), PutObject of a small
 * marker, GetObject of it and DeleteObject of it. The marker is always deleted when the key may;
 * when it may write but not delete, the marker's key is reported so that someone can remove it.
 */
import { randomBytes } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { S3Config } from './s3-config.ts';
import { classifyS3Error, type S3Failure } from './s3-errors.ts';

/** One probe: allowed, or the failure. */
export type S3Step =
  | { readonly ok: true; readonly note?: string }
  | { readonly ok: false; readonly failure: S3Failure };

/** The result of the probe run. */
export type S3ProbeRun =
  | { readonly fatal: S3Failure; readonly requests: number }
  | {
      readonly list: S3Step;
      readonly put: S3Step;
      readonly get: S3Step;
      readonly delete: S3Step;
      readonly key: string;
      /** Set when the marker was written and could not be deleted. */
      readonly leftover?: string;
      readonly requests: number;
    };

const FATAL = new Set(['invalid', 'expired', 'region', 'no-bucket', 'unreachable']);

async function step(send: () => Promise<unknown>, notFoundMeans?: string): Promise<S3Step> {
  try {
    await send();
    return { ok: true };
  } catch (error) {
    const failure = classifyS3Error(error);
    if (notFoundMeans !== undefined && failure.kind === 'not-found') return { ok: true, note: notFoundMeans };
    return { ok: false, failure };
  }
}

/** Runs the probes with a client made for this verification. */
export async function runS3Probes(
  client: S3Client,
  config: S3Config,
  signal?: AbortSignal,
): Promise<S3ProbeRun> {
  let requests = 0;
  const options = signal === undefined ? {} : { abortSignal: signal };
  const counted = <T>(call: () => Promise<T>): Promise<T> => {
    requests += 1;
    return call();
  };
  const Bucket = config.bucket;
  const Key = `${config.prefix}.keyhouse-probe-${randomBytes(8).toString('hex')}`;
  const list = await step(() =>
    counted(() =>
      client.send(new ListObjectsV2Command({ Bucket, Prefix: config.prefix, MaxKeys: 1 }), options),
    ),
  );
  if (!list.ok && FATAL.has(list.failure.kind)) return { fatal: list.failure, requests };
  const Body = 'Keyhouse write probe; safe to delete.\n';
  const put = await step(() =>
    counted(() =>
      client.send(new PutObjectCommand({ Bucket, Key, Body, ContentType: 'text/plain' }), options),
    ),
  );
  const absent = put.ok
    ? undefined
    : 'the probe object is absent, and the answer was NoSuchKey, so reads are allowed';
  const get = await step(async () => {
    const object = await counted(() => client.send(new GetObjectCommand({ Bucket, Key }), options));
    await object.Body?.transformToString();
  }, absent);
  const del = await step(() => counted(() => client.send(new DeleteObjectCommand({ Bucket, Key }), options)));
  const leftover = put.ok && !del.ok ? { leftover: `s3://${Bucket}/${Key}` } : {};
  return { list, put, get, delete: del, key: Key, ...leftover, requests };
}
