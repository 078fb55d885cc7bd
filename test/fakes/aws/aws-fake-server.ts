/**
 * A small local AWS for tests: STS `GetCallerIdentity` and `AssumeRole`, IAM `SimulatePrincipalPolicy` and EC2
 * `RunInstances` with `DryRun`, answering with AWS's documented XML and error codes, and checking
 * every SigV4 signature (a wrong secret gets `SignatureDoesNotMatch`, an unknown key
 * `InvalidClientTokenId`, or `AuthFailure` from EC2).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callerIdentity, ec2Error, type FakeAnswer, queryError, simulation } from './aws-fake-responses.ts';
import { assumeRole, type FakeRole } from './aws-fake-roles.ts';
import { parseSigV4, type ReceivedRequest, type SigV4Header, signatureMatches } from './aws-fake-sigv4.ts';

/** An IAM principal of the fake, with the actions its policies allow (wildcards allowed). */
export interface FakePrincipal {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly arn: string;
  readonly userId: string;
  readonly account: string;
  readonly allow: readonly string[];
  /** The IAM ARN simulations name (the role for an assumed-role session); `arn` by default. */
  readonly policySourceArn?: string;
}

/** A running fake. */
export interface FakeAws {
  readonly endpoint: string;
  /** `service:Action` of every request, in order. */
  readonly calls: string[];
  close(): Promise<void>;
}

function allows(principal: FakePrincipal, action: string): boolean {
  return principal.allow.some((pattern) =>
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(action),
  );
}

function members(form: URLSearchParams, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; form.has(`${name}.member.${i}`); i += 1) out.push(form.get(`${name}.member.${i}`) ?? '');
  return out;
}

function simulate(
  form: URLSearchParams,
  caller: FakePrincipal,
  principals: readonly FakePrincipal[],
): FakeAnswer {
  if (!allows(caller, 'iam:SimulatePrincipalPolicy')) {
    return queryError(
      'iam',
      403,
      'AccessDenied',
      `User: ${caller.arn} is not authorized to perform: iam:SimulatePrincipalPolicy on resource: ${form.get('PolicySourceArn')} because no identity-based policy allows the iam:SimulatePrincipalPolicy action`,
    );
  }
  const source = form.get('PolicySourceArn') ?? '';
  const subject = principals.find((p) => (p.policySourceArn ?? p.arn) === source);
  if (subject === undefined)
    return queryError(
      'iam',
      400,
      'InvalidInput',
      `Invalid Entity Arn: ${source} does not clearly define entity type and name.`,
    );
  const resource = members(form, 'ResourceArns')[0] ?? '*';
  return simulation(
    members(form, 'ActionNames').map((action) => ({
      action,
      resource,
      decision: allows(subject, action) ? 'allowed' : 'implicitDeny',
    })),
  );
}

function runInstances(form: URLSearchParams, caller: FakePrincipal, region: string): FakeAnswer {
  if (form.get('DryRun') !== 'true')
    return ec2Error(400, 'UnsupportedOperation', 'This fake only answers dry runs.');
  if (allows(caller, 'ec2:RunInstances'))
    return ec2Error(412, 'DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
  const encoded = randomBytes(48).toString('base64');
  return ec2Error(
    403,
    'UnauthorizedOperation',
    `You are not authorized to perform this operation. User: ${caller.arn} is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:${region}:${caller.account}:instance/* because no identity-based policy allows the ec2:RunInstances action. Encoded authorization failure message: ${encoded}`,
  );
}

function authFailure(service: string, code: 'unknown' | 'signature' | 'missing'): FakeAnswer {
  if (service === 'ec2')
    return ec2Error(401, 'AuthFailure', 'AWS was not able to validate the provided access credentials');
  const s = service === 'iam' ? 'iam' : 'sts';
  if (code === 'missing')
    return queryError(s, 403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
  if (code === 'unknown')
    return queryError(
      s,
      403,
      'InvalidClientTokenId',
      'The security token included in the request is invalid.',
    );
  return queryError(
    s,
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  );
}

async function answer(
  request: ReceivedRequest,
  principals: FakePrincipal[],
  calls: string[],
  roles: readonly FakeRole[],
): Promise<FakeAnswer> {
  const form = new URLSearchParams(request.body);
  const header: SigV4Header | undefined = parseSigV4(request.headers['authorization']);
  const service = header?.service ?? 'sts';
  calls.push(`${service}:${form.get('Action') ?? '?'}`);
  if (header === undefined) return authFailure(service, 'missing');
  const caller = principals.find((p) => p.accessKeyId === header.accessKeyId);
  if (caller === undefined) return authFailure(service, 'unknown');
  if (!(await signatureMatches(request, header, caller.secretAccessKey)))
    return authFailure(service, 'signature');
  const action = `${service}:${form.get('Action')}`;
  if (action === 'sts:GetCallerIdentity') return callerIdentity(caller.arn, caller.userId, caller.account);
  if (action === 'sts:AssumeRole') return assumeRole(form, caller, roles, principals);
  if (action === 'iam:SimulatePrincipalPolicy') return simulate(form, caller, principals);
  if (action === 'ec2:RunInstances') return runInstances(form, caller, header.region);
  return service === 'ec2'
    ? ec2Error(400, 'InvalidAction', `The action ${form.get('Action')} is not valid for this web service.`)
    : queryError(
        service === 'iam' ? 'iam' : 'sts',
        400,
        'InvalidAction',
        `Could not find operation ${form.get('Action')}`,
      );
}

async function received(req: IncomingMessage): Promise<ReceivedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? '/', 'http://fake');
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
  return {
    method: req.method ?? 'GET',
    host: headers['host'] ?? '',
    path: url.pathname,
    query,
    headers,
    body: Buffer.concat(chunks).toString('utf8'),
  };
}

/** Starts the fake on 127.0.0.1 (a free port); `roles` may be assumed with STS AssumeRole. */
export async function startFakeAws(
  known: readonly FakePrincipal[],
  roles: readonly FakeRole[] = [],
): Promise<FakeAws> {
  const calls: string[] = [];
  const principals = [...known];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void received(req)
      .then((request) => answer(request, principals, calls, roles))
      .then(({ status, body }) => {
        res.writeHead(status, {
          'content-type': 'text/xml',
          'x-amzn-requestid': randomBytes(16).toString('hex'),
        });
        res.end(body);
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
