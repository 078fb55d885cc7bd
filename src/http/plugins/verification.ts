import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth.ts';
import { errorResponses, Id, Timestamp } from '../schemas.ts';
import type { PluginOptions } from './options.ts';

const WsParams = Type.Object({ ws: Id });
const IntParams = Type.Object({ ws: Id, integrationId: Id });

const Status = Type.Union([
  Type.Literal('verified'),
  Type.Literal('missing-scopes'),
  Type.Literal('excess-scopes'),
  Type.Literal('invalid'),
  Type.Literal('expiring'),
  Type.Literal('expired'),
  Type.Literal('unreachable'),
  Type.Literal('rate-limited'),
]);

/** One finding of a verification. */
export const FindingSchema = Type.Object(
  {
    code: Type.String(),
    severity: Type.Union([Type.Literal('error'), Type.Literal('warning'), Type.Literal('info')]),
    message: Type.String(),
    fix: Type.Optional(Type.String()),
    check: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** One doctor check. */
export const CheckSchema = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    outcome: Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('skipped')]),
    detail: Type.Optional(Type.String()),
    fix: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const Identity = Type.Object(
  {
    account: Type.Optional(Type.String()),
    accountType: Type.Optional(Type.String()),
    organisation: Type.Optional(Type.String()),
    installationId: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** The answer of a verification. */
export const VerificationResultSchema = Type.Object(
  {
    integrationId: Id,
    provider: Type.String(),
    status: Status,
    checkedAt: Timestamp,
    findings: Type.Array(FindingSchema),
    checks: Type.Array(CheckSchema),
    identity: Type.Optional(Identity),
    grantedScopes: Type.Optional(Type.Array(Type.String())),
    expiresAt: Type.Optional(Timestamp),
    requests: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

const HistoryEntry = Type.Object(
  {
    id: Type.String(),
    at: Timestamp,
    status: Type.String(),
    findings: Type.Array(FindingSchema),
    checks: Type.Array(CheckSchema),
    identity: Type.Union([Identity, Type.Null()]),
    requests: Type.Integer({ minimum: 0 }),
    actor: Type.String(),
  },
  { additionalProperties: false },
);

const DoctorSchema = Type.Object(
  {
    integrationId: Id,
    provider: Type.String(),
    status: Status,
    ok: Type.Boolean(),
    checkedAt: Timestamp,
    checks: Type.Array(CheckSchema),
  },
  { additionalProperties: false },
);

const Candidate = Type.Object(
  { layer: Type.String(), confidence: Type.Number(), rule: Type.String(), title: Type.String() },
  { additionalProperties: false },
);

/** The answer of diagnose. */
export const DiagnosisSchema = Type.Object(
  {
    layer: Type.String(),
    confidence: Type.Number(),
    title: Type.String(),
    explanation: Type.String(),
    steps: Type.Array(Type.String()),
    integration: Type.Optional(
      Type.Object({ id: Type.String(), name: Type.String() }, { additionalProperties: false }),
    ),
    matched: Type.Array(Type.String()),
    alternatives: Type.Array(Candidate),
  },
  { additionalProperties: false },
);

/**
 * Verification: verify an integration now, its history, the doctor's checklist (USE or MANAGE;
 * 404 for hidden integrations), and diagnose an error text (any member of the workspace).
 */
export const verificationPlugin: FastifyPluginAsyncTypebox<PluginOptions> = async (app, { keyhouse }) => {
  const tags = ['verification'];
  app.post(
    '/workspaces/:ws/integrations/:integrationId/verify',
    {
      schema: {
        tags,
        params: IntParams,
        response: { 200: VerificationResultSchema, ...errorResponses(403, 502, 503) },
      },
    },
    async (req) => keyhouse.verifyIntegration(principalOf(req), req.params.ws, req.params.integrationId),
  );
  app.get(
    '/workspaces/:ws/integrations/:integrationId/verification/history',
    {
      schema: {
        tags,
        params: IntParams,
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
            before: Type.Optional(Timestamp),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(HistoryEntry) }), ...errorResponses() },
      },
    },
    async (req) =>
      keyhouse.getVerificationHistory(principalOf(req), req.params.ws, req.params.integrationId, req.query),
  );
  app.get(
    '/workspaces/:ws/integrations/:integrationId/doctor',
    {
      schema: { tags, params: IntParams, response: { 200: DoctorSchema, ...errorResponses(403, 502, 503) } },
    },
    async (req) => keyhouse.doctor(principalOf(req), req.params.ws, req.params.integrationId),
  );
  app.post(
    '/workspaces/:ws/diagnose',
    {
      schema: {
        tags,
        params: WsParams,
        body: Type.Object(
          {
            text: Type.String({ minLength: 1, maxLength: 100_000 }),
            status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
            provider: Type.Optional(Type.String({ minLength: 1, maxLength: 50, pattern: '^[a-z0-9-]+$' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: DiagnosisSchema, ...errorResponses() },
      },
    },
    async (req) => keyhouse.diagnose(principalOf(req), req.params.ws, req.body),
  );
};
