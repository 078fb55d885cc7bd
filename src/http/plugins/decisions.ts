import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth.ts';
import {
  AllowedPipelines,
  errorResponses,
  Id,
  IntegrationAction,
  Level,
  Role,
  Scope,
  Timestamp,
} from '../schemas.ts';
import type { PluginOptions } from './options.ts';

const WsParams = Type.Object({ ws: Id });
const Reason = Type.Object({ hop: Type.String() }, { additionalProperties: true });
export const DecisionSchema = Type.Object(
  {
    allowed: Type.Boolean(),
    level: Level,
    reasons: Type.Array(Reason),
    explanation: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);
const CheckInput = Type.Object(
  {
    userId: Type.Optional(Id),
    integrationId: Id,
    action: IntegrationAction,
    minRevision: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
const RunDecisionSchema = Type.Object(
  {
    allowed: Type.Boolean(),
    missing: Type.Array(Type.Object({ id: Id, name: Type.String() }, { additionalProperties: false })),
    code: Type.Optional(Type.Literal('integration_permission_missing')),
    message: Type.Optional(Type.String()),
    canGrantAndRetry: Type.Optional(Type.Boolean()),
    reasons: Type.Array(Reason),
    explanation: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);

/** A proposed change for what-if; never applied by this endpoint. */
export const WhatIfChange = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('set-entry'),
      integrationId: Id,
      subject: Type.Union([Type.Literal('user'), Type.Literal('group')]),
      id: Id,
      level: Type.Union([Level, Type.Null()]),
      expiresAt: Type.Optional(Timestamp),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('set-default'),
      integrationId: Id,
      which: Type.Union([Type.Literal('admins'), Type.Literal('others')]),
      level: Level,
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('group-membership'), groupId: Id, userId: Id, member: Type.Boolean() },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('role'),
      userId: Id,
      role: Type.Union([Role, Type.Null()]),
      projectId: Type.Optional(Id),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('scope'), integrationId: Id, scope: Scope },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('allowed-pipelines'), integrationId: Id, allowedPipelines: AllowedPipelines },
    { additionalProperties: false },
  ),
]);

/** Decisions: check (single and batch), explain, pipeline runs, platform actions, what-if. */
export const decisionsPlugin: FastifyPluginAsyncTypebox<PluginOptions> = async (app, { keyhouse }) => {
  const tags = ['decisions'];
  app.post(
    '/workspaces/:ws/check',
    {
      schema: {
        tags,
        params: WsParams,
        body: Type.Union([
          CheckInput,
          Type.Object(
            { checks: Type.Array(CheckInput, { minItems: 1, maxItems: 100 }) },
            { additionalProperties: false },
          ),
        ]),
        response: {
          200: Type.Union([DecisionSchema, Type.Object({ results: Type.Array(DecisionSchema) })]),
          ...errorResponses(403),
        },
      },
    },
    async (req) => {
      const p = principalOf(req);
      if ('checks' in req.body)
        return {
          results: await Promise.all(req.body.checks.map((c) => keyhouse.check(p, req.params.ws, c))),
        };
      return keyhouse.check(p, req.params.ws, req.body);
    },
  );
  app.post(
    '/workspaces/:ws/explain',
    {
      schema: {
        tags,
        params: WsParams,
        body: CheckInput,
        response: { 200: DecisionSchema, ...errorResponses(403) },
      },
    },
    async (req) => keyhouse.check(principalOf(req), req.params.ws, req.body),
  );
  app.post(
    '/workspaces/:ws/runs/check',
    {
      schema: {
        tags,
        params: WsParams,
        body: Type.Object(
          {
            pipelineId: Id,
            integrationIds: Type.Array(Id, { minItems: 1, maxItems: 100 }),
            asUserId: Type.Optional(Id),
          },
          { additionalProperties: false },
        ),
        response: { 200: RunDecisionSchema, ...errorResponses(403) },
      },
    },
    async (req) => keyhouse.checkRun(principalOf(req), req.params.ws, req.body),
  );
  app.post(
    '/workspaces/:ws/actions/check',
    {
      schema: {
        tags,
        params: WsParams,
        body: Type.Object(
          {
            action: Type.String({ minLength: 1, maxLength: 100 }),
            userId: Type.Optional(Id),
            projectId: Type.Optional(Id),
            accountOwnerId: Type.Optional(Id),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object(
            { allowed: Type.Boolean(), reasons: Type.Array(Reason), explanation: Type.Array(Type.String()) },
            { additionalProperties: false },
          ),
          ...errorResponses(403),
        },
      },
    },
    async (req) => keyhouse.checkPlatformAction(principalOf(req), req.params.ws, req.body),
  );
  app.post(
    '/workspaces/:ws/what-if',
    {
      schema: {
        tags,
        params: WsParams,
        body: Type.Object({ change: WhatIfChange }, { additionalProperties: false }),
        response: { 200: Type.Object({}, { additionalProperties: true }), ...errorResponses(403) },
      },
    },
    async (req) => keyhouse.whatIf(principalOf(req), req.params.ws, req.body.change),
  );
};
