/**
 * Checks an AWS Signature Version 4 `Authorization` header the way AWS does: the SDK's own signer
 * (`@smithy/signature-v4`) recomputes the signature from the received request and the secret of
 * the claimed access key, and the two must match.
 */
import { createHash, createHmac, type Hash, type Hmac, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

/** The parts of a SigV4 `Authorization` header. */
export interface SigV4Header {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** The received request, as the server saw it. */
export interface ReceivedRequest {
  readonly method: string;
  readonly host: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | string[]>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

class NodeSha256 {
  #hash: Hash | Hmac;
  readonly #secret: string | Uint8Array | undefined;
  constructor(secret?: string | Uint8Array | ArrayBuffer | ArrayBufferView) {
    this.#secret =
      secret === undefined
        ? undefined
        : typeof secret === 'string'
          ? secret
          : new Uint8Array(
              ArrayBuffer.isView(secret)
                ? secret.buffer.slice(secret.byteOffset, secret.byteOffset + secret.byteLength)
                : secret,
            );
    this.#hash = this.#fresh();
  }
  #fresh(): Hash | Hmac {
    return this.#secret === undefined ? createHash('sha256') : createHmac('sha256', this.#secret);
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#hash.update(
      typeof data === 'string'
        ? data
        : new Uint8Array(
            ArrayBuffer.isView(data)
              ? data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)
              : data,
          ),
    );
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()));
  }
  reset(): void {
    this.#hash = this.#fresh();
  }
}

const HEADER =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

/** Parses the header, or `undefined` when it is missing or not SigV4. */
export function parseSigV4(authorization: string | undefined): SigV4Header | undefined {
  const m = authorization === undefined ? null : HEADER.exec(authorization);
  if (m === null) return undefined;
  return {
    accessKeyId: m[1]!,
    date: m[2]!,
    region: m[3]!,
    service: m[4]!,
    signedHeaders: m[5]!.split(';'),
    signature: m[6]!,
  };
}

function amzDate(value: string | undefined): Date | undefined {
  const m = value === undefined ? null : /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m === null ? undefined : new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

/** True when the signature is the one `secretAccessKey` gives for this request. */
export async function signatureMatches(
  request: ReceivedRequest,
  header: SigV4Header,
  secretAccessKey: string,
  sessionToken?: string,
): Promise<boolean> {
  const signingDate = amzDate(request.headers['x-amz-date']);
  if (signingDate === undefined) return false;
  const headers: Record<string, string> = {};
  for (const name of header.signedHeaders) headers[name] = request.headers[name] ?? '';
  const [hostname, port] = request.host.split(':');
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: header.accessKeyId,
      secretAccessKey,
      ...(sessionToken === undefined ? {} : { sessionToken }),
    },
    region: header.region,
    service: header.service,
    sha256: NodeSha256,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: hostname ?? '',
      ...(port === undefined ? {} : { port: Number(port) }),
      path: request.path,
      query: request.query,
      headers,
      body: request.body,
    },
    { signingDate, signingRegion: header.region, signingService: header.service },
  );
  const expected =
    parseSigV4(signed.headers['authorization'] ?? signed.headers['Authorization'])?.signature ?? '';
  return (
    expected.length === header.signature.length &&
    timingSafeEqual(Buffer.from(expected), Buffer.from(header.signature))
  );
}
