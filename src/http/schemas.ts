import { type Static, type TSchema, Type } from 'typebox';

/** Identifiers in paths and bodies: opaque, bounded, no path characters. */
export const Id = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$' });
/** Human names. */
export const Name = Type.String({ minLength: 1, maxLength: 200 });
/** A timestamp on the wire: ISO 8601 in UTC. */
export const Timestamp = Type.String({ format: 'date-time', maxLength: 40 });

/** Integration levels (`LEVELS` of the engine; a test keeps them equal). */
export const Level = Type.Union([
  Type.Literal('DENY'),
  Type.Literal('DELETE_ONLY'),
  Type.Literal('USE'),
  Type.Literal('MANAGE'),
]);
/** Platform roles (`ROLES` of the engine). */
export const Role = Type.Union([Type.Literal('member'), Type.Literal('collaborator'), Type.Literal('admin')]);
/** Integration actions (`INTEGRATION_ACTIONS` of the engine). */
export const IntegrationAction = Type.Union([
  Type.Literal('integration.view'),
  Type.Literal('integration.use'),
  Type.Literal('integration.verify'),
  Type.Literal('integration.grant-pipeline'),
  Type.Literal('integration.edit'),
  Type.Literal('integration.manage-permissions'),
  Type.Literal('integration.delete'),
]);

export const Entry = Type.Object(
  { level: Level, expiresAt: Type.Optional(Timestamp) },
  { additionalProperties: false },
);
export const SubjectEntry = Type.Object(
  { id: Id, level: Level, expiresAt: Type.Optional(Timestamp) },
  { additionalProperties: false },
);
export const PipelineEntry = Type.Object(
  { id: Id, expiresAt: Type.Optional(Timestamp) },
  { additionalProperties: false },
);
export const AllowedPipelines = Type.Union([
  Type.Literal('ALL'),
  Type.Array(PipelineEntry, { maxItems: 1000 }),
]);

export const Permissions = Type.Object(
  {
    admins: Entry,
    others: Entry,
    users: Type.Array(SubjectEntry, { maxItems: 1000 }),
    groups: Type.Array(SubjectEntry, { maxItems: 1000 }),
    allowedPipelines: AllowedPipelines,
  },
  { additionalProperties: false },
);
export type PermissionsBody = Static<typeof Permissions>;

export const Scope = Type.Union([
  Type.Object({ type: Type.Literal('WORKSPACE') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('PROJECT'), projectId: Id }, { additionalProperties: false }),
]);

/** Non-secret configuration: flat string/number/boolean/string-list values. */
export const Config = Type.Record(
  Type.String({ maxLength: 100 }),
  Type.Union([
    Type.String({ maxLength: 2000 }),
    Type.Number(),
    Type.Boolean(),
    Type.Array(Type.String({ maxLength: 500 }), { maxItems: 500 }),
  ]),
  { maxProperties: 50 },
);

/** Secret credential fields: write-only. PEM keys up to 16 KiB. */
export const Credential = Type.Record(
  Type.String({ maxLength: 100, pattern: '^[A-Za-z][A-Za-z0-9_]*$' }),
  Type.String({ minLength: 1, maxLength: 16384 }),
  {
    minProperties: 1,
    maxProperties: 10,
  },
);

export const Verification = Type.Object(
  {
    status: Type.String(),
    checkedAt: Type.Optional(Timestamp),
    findings: Type.Optional(Type.Array(Type.Unknown())),
  },
  { additionalProperties: false },
);

export const Integration = Type.Object(
  {
    id: Id,
    workspaceId: Id,
    name: Name,
    provider: Type.String(),
    credentialType: Type.String(),
    scope: Scope,
    config: Config,
    permissions: Permissions,
    credential: Type.Object(
      {
        fields: Type.Array(Type.String()),
        fingerprints: Type.Record(Type.String(), Type.String()),
        replacedAt: Timestamp,
      },
      { additionalProperties: false },
    ),
    verification: Verification,
    createdBy: Type.Union([Id, Type.Null()]),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: Type.Integer(),
    yourLevel: Level,
  },
  { additionalProperties: false },
);
export type IntegrationBody = Static<typeof Integration>;

export const ErrorResponse = Type.Object(
  {
    error: Type.Object(
      { code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** Standard error responses for an authenticated route. */
export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const s of [400, 401, 404, ...statuses]) out[s] = ErrorResponse;
  return out;
}

export const Page = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
