/**
 * The XML bodies AWS documents for the calls the fake answers: STS and IAM (Query protocol,
 * `ErrorResponse` errors) and EC2 (its own `Response/Errors/Error` shape).
 */
import { randomUUID } from 'node:crypto';

/** An HTTP answer of the fake. */
export interface FakeAnswer {
  readonly status: number;
  readonly body: string;
}

/** Escapes XML text. */
export function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const NAMESPACES: Readonly<Record<string, string>> = {
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
};

/** A Query-protocol error (STS, IAM). */
export function queryError(
  service: 'sts' | 'iam',
  status: number,
  code: string,
  message: string,
): FakeAnswer {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return {
    status,
    body: `<ErrorResponse xmlns="${NAMESPACES[service]}">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${code}</Code>\n    <Message>${xml(message)}</Message>\n  </Error>\n  <RequestId>${randomUUID()}</RequestId>\n</ErrorResponse>\n`,
  };
}

/** An EC2 error. */
export function ec2Error(status: number, code: string, message: string): FakeAnswer {
  return {
    status,
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${xml(message)}</Message></Error></Errors><RequestID>${randomUUID()}</RequestID></Response>`,
  };
}

/** `GetCallerIdentity` result. */
export function callerIdentity(arn: string, userId: string, account: string): FakeAnswer {
  return {
    status: 200,
    body: `<GetCallerIdentityResponse xmlns="${NAMESPACES['sts']}">\n  <GetCallerIdentityResult>\n    <Arn>${xml(arn)}</Arn>\n    <UserId>${xml(userId)}</UserId>\n    <Account>${account}</Account>\n  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>${randomUUID()}</RequestId>\n  </ResponseMetadata>\n</GetCallerIdentityResponse>\n`,
  };
}

/** One evaluation of `SimulatePrincipalPolicy`. */
export interface Evaluation {
  readonly action: string;
  readonly resource: string;
  readonly decision: 'allowed' | 'implicitDeny' | 'explicitDeny';
}

/** `SimulatePrincipalPolicy` result (one page). */
export function simulation(evaluations: readonly Evaluation[]): FakeAnswer {
  const members = evaluations
    .map(
      (e) =>
        `      <member>\n        <EvalActionName>${xml(e.action)}</EvalActionName>\n        <EvalResourceName>${xml(e.resource)}</EvalResourceName>\n        <EvalDecision>${e.decision}</EvalDecision>\n        <MatchedStatements/>\n        <MissingContextValues/>\n      </member>`,
    )
    .join('\n');
  return {
    status: 200,
    body: `<SimulatePrincipalPolicyResponse xmlns="${NAMESPACES['iam']}">\n  <SimulatePrincipalPolicyResult>\n    <IsTruncated>false</IsTruncated>\n    <EvaluationResults>\n${members}\n    </EvaluationResults>\n  </SimulatePrincipalPolicyResult>\n  <ResponseMetadata>\n    <RequestId>${randomUUID()}</RequestId>\n  </ResponseMetadata>\n</SimulatePrincipalPolicyResponse>\n`,
  };
}

/** `AssumeRole` result with the temporary credentials. */
export function assumeRoleResult(
  sessionArn: string,
  roleId: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: Date },
): FakeAnswer {
  return {
    status: 200,
    body: `<AssumeRoleResponse xmlns="${NAMESPACES['sts']}">\n  <AssumeRoleResult>\n    <AssumedRoleUser>\n      <Arn>${xml(sessionArn)}</Arn>\n      <AssumedRoleId>${xml(roleId)}</AssumedRoleId>\n    </AssumedRoleUser>\n    <Credentials>\n      <AccessKeyId>${credentials.accessKeyId}</AccessKeyId>\n      <SecretAccessKey>${xml(credentials.secretAccessKey)}</SecretAccessKey>\n      <SessionToken>${xml(credentials.sessionToken)}</SessionToken>\n      <Expiration>${credentials.expiration.toISOString()}</Expiration>\n    </Credentials>\n  </AssumeRoleResult>\n  <ResponseMetadata>\n    <RequestId>${randomUUID()}</RequestId>\n  </ResponseMetadata>\n</AssumeRoleResponse>\n`,
  };
}
