/**
 * STS `AssumeRole` in the local AWS: a role's trust policy names the principals that may assume it
 * and the `sts:ExternalId` it requires; an allowed call returns generated temporary credentials
 * (ASIA key, secret, session token) that the fake then knows as an assumed-role session whose
 * policies are the role's. A caller the trust policy does not allow, or a wrong or missing
 * ExternalId, gets `AccessDenied` as AWS words it.
 */
import { randomBytes } from 'node:crypto';
import { assumeRoleResult, type FakeAnswer, queryError } from './aws-fake-responses.ts';
import type { FakePrincipal } from './aws-fake-server.ts';

/** A role of the fake. */
export interface FakeRole {
  /** `arn:aws:iam::<account>:role/<name>`. */
  readonly arn: string;
  /** Principal ARNs the trust policy allows. */
  readonly trusted: readonly string[];
  /** The `sts:ExternalId` condition, when the trust policy has one. */
  readonly externalId?: string;
  /** Actions the role's policies allow. */
  readonly allow: readonly string[];
}

/** Answers `AssumeRole`; an accepted call adds the session's principal to `principals`. */
export function assumeRole(
  form: URLSearchParams,
  caller: FakePrincipal,
  roles: readonly FakeRole[],
  principals: FakePrincipal[],
): FakeAnswer {
  const roleArn = form.get('RoleArn') ?? '';
  const session = form.get('RoleSessionName') ?? '';
  const role = roles.find((candidate) => candidate.arn === roleArn);
  const trusted =
    role?.trusted.includes(caller.arn) === true &&
    (role.externalId === undefined || role.externalId === form.get('ExternalId'));
  if (!trusted || role === undefined)
    return queryError(
      'sts',
      403,
      'AccessDenied',
      `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    );
  const [, account = '', name = ''] = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn) ?? [];
  const roleId = `AROA${randomBytes(8).toString('hex').toUpperCase()}`;
  const temporary = {
    accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: randomBytes(64).toString('base64'),
    expiration: new Date(Date.now() + 3_600_000),
  };
  const sessionArn = `arn:aws:sts::${account}:assumed-role/${name}/${session}`;
  principals.push({
    accessKeyId: temporary.accessKeyId,
    secretAccessKey: temporary.secretAccessKey,
    arn: sessionArn,
    userId: `${roleId}:${session}`,
    account,
    allow: role.allow,
    policySourceArn: roleArn,
  });
  return assumeRoleResult(sessionArn, `${roleId}:${session}`, temporary);
}
