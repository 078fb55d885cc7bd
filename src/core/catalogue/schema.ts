/**
 * The file format of `catalogue/<provider>.yaml`, as a TypeBox schema. The static types below are
 * derived from it, so the schema and the types cannot drift apart.
 */
import Type, { type Static } from 'typebox';

const Id = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' });
const Text = Type.String({ minLength: 1 });
const Url = Type.String({ pattern: '^https://[^\\s]+$' });
const strict = { additionalProperties: false } as const;

/** A scope (or permission, or IAM action) as the provider spells it. */
export const ScopeSchema = Type.Object(
  {
    description: Text,
    implies: Type.Optional(Type.Array(Text)),
    source: Url,
    /** Credential types of the scope set that may carry this scope; all of them when absent. */
    availableTo: Type.Optional(Type.Array(Id)),
  },
  strict,
);

/** A named family of scopes; credential types that share a scope model share a scope set. */
export const ScopeSetSchema = Type.Object(
  {
    name: Text,
    source: Url,
    /** Scopes every credential of this set has whatever was chosen (GitHub `metadata:read`). */
    alwaysGranted: Type.Optional(Type.Array(Text)),
    notes: Type.Optional(Type.Array(Text)),
    scopes: Type.Record(Type.String({ minLength: 1 }), ScopeSchema),
  },
  strict,
);

/** One field of a credential: a secret (token, password, key) or a non-secret setting. */
export const CredentialFieldSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9]*$' }),
    description: Text,
    secret: Type.Boolean(),
    optional: Type.Optional(Type.Boolean()),
    /** Prefixes by which a value of this field is recognised (`ghp_`, `glpat-`, `AKIA`). */
    prefixes: Type.Optional(Type.Array(Text)),
  },
  strict,
);

/** How the scopes granted to a live credential can be read. */
export const GrantedScopesSchema = Type.Object(
  {
    method: Type.Union([
      Type.Literal('header'),
      Type.Literal('endpoint'),
      Type.Literal('token-claim'),
      Type.Literal('mint-response'),
      Type.Literal('probe-only'),
    ]),
    detail: Text,
  },
  strict,
);

/** A prefilled token-creation link. `{host}`, `{name}` and `{scopes}` are substituted. */
export const TokenCreationSchema = Type.Object(
  {
    url: Type.String({ pattern: '^https://' }),
    /** `comma`/`space`: one list in `{scopes}`; `pairs`: `a:b` scopes become `&a=b` parameters. */
    scopeFormat: Type.Union([Type.Literal('comma'), Type.Literal('space'), Type.Literal('pairs')]),
    source: Url,
  },
  strict,
);

/** A kind of credential of a provider. */
export const CredentialTypeSchema = Type.Object(
  {
    name: Text,
    description: Text,
    /** The scope set its scopes come from; absent when access comes from roles alone. */
    scopeSet: Type.Optional(Id),
    status: Type.Optional(
      Type.Union([Type.Literal('current'), Type.Literal('deprecated'), Type.Literal('removed')]),
    ),
    statusNote: Type.Optional(Text),
    fields: Type.Array(CredentialFieldSchema, { minItems: 1 }),
    grantedScopes: GrantedScopesSchema,
    tokenCreation: Type.Optional(TokenCreationSchema),
    source: Url,
    notes: Type.Optional(Type.Array(Text)),
  },
  strict,
);

/** One alternative group of an AND-of-ORs requirement: any one of these scopes. */
export const ClauseSchema = Type.Union([
  Text,
  Type.Object({ anyOf: Type.Array(Text, { minItems: 1 }), why: Type.Optional(Text) }, strict),
]);

/** An API endpoint a feature calls; `permission: none` when no scope or permission gates it. */
export const EndpointSchema = Type.Object(
  {
    method: Type.Union(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'].map((m) => Type.Literal(m))),
    path: Type.String({ pattern: '^/' }),
    permission: Type.Optional(Type.Literal('none')),
  },
  strict,
);

/** The role (access level) the credential's user or bot needs on top of its scopes. */
export const RoleSchema = Type.Object(
  { name: Text, accessLevel: Type.Optional(Type.Integer({ minimum: 0 })), note: Type.Optional(Text) },
  strict,
);

/** What one credential type needs for one feature: AND of `allOf` clauses, each an OR. */
export const SupportedRequirementSchema = Type.Object(
  {
    allOf: Type.Array(ClauseSchema),
    why: Text,
    role: Type.Optional(RoleSchema),
    endpoints: Type.Optional(Type.Array(EndpointSchema)),
    source: Type.Optional(Url),
  },
  strict,
);

/** A feature that this credential type cannot serve, with the reason. */
export const UnsupportedRequirementSchema = Type.Object(
  { unsupported: Text, source: Type.Optional(Url) },
  strict,
);

/** A requirement: supported with scopes, or unsupported with a reason. */
export const RequirementSchema = Type.Union([SupportedRequirementSchema, UnsupportedRequirementSchema]);

/** One feature of a provider: a requirement per credential type. */
export const FeatureSchema = Type.Object(
  {
    notes: Type.Optional(Type.Array(Text)),
    credentials: Type.Record(Type.String({ minLength: 1 }), RequirementSchema),
  },
  strict,
);

/** A whole provider file. */
export const ProviderSchema = Type.Object(
  {
    id: Id,
    name: Text,
    defaultHost: Type.Optional(Text),
    apiBase: Type.Optional(Text),
    docs: Url,
    notes: Type.Optional(Type.Array(Text)),
    scopeSets: Type.Record(Type.String({ minLength: 1 }), ScopeSetSchema),
    credentialTypes: Type.Record(Type.String({ minLength: 1 }), CredentialTypeSchema),
    features: Type.Record(Type.String({ minLength: 1 }), FeatureSchema),
  },
  strict,
);

/** A scope entry. */
export type Scope = Static<typeof ScopeSchema>;
/** A scope set. */
export type ScopeSet = Static<typeof ScopeSetSchema>;
/** A credential field. */
export type CredentialField = Static<typeof CredentialFieldSchema>;
/** A credential type. */
export type CredentialType = Static<typeof CredentialTypeSchema>;
/** A token-creation link template. */
export type TokenCreation = Static<typeof TokenCreationSchema>;
/** One clause of a requirement: a scope name or `{ anyOf }`. */
export type Clause = Static<typeof ClauseSchema>;
/** An endpoint a feature calls. */
export type Endpoint = Static<typeof EndpointSchema>;
/** A role needed on top of scopes. */
export type RoleRequirement = Static<typeof RoleSchema>;
/** A supported requirement. */
export type SupportedRequirement = Static<typeof SupportedRequirementSchema>;
/** An unsupported requirement. */
export type UnsupportedRequirement = Static<typeof UnsupportedRequirementSchema>;
/** A requirement of one credential type for one feature. */
export type Requirement = Static<typeof RequirementSchema>;
/** A feature entry of a provider. */
export type Feature = Static<typeof FeatureSchema>;
/** A provider file, validated. */
export type Provider = Static<typeof ProviderSchema>;

/** True when the requirement is the "not possible" form. */
export function isUnsupported(requirement: Requirement): requirement is UnsupportedRequirement {
  return 'unsupported' in requirement;
}

/** The alternatives of a clause, whichever form it was written in. */
export function clauseScopes(clause: Clause): readonly string[] {
  return typeof clause === 'string' ? [clause] : clause.anyOf;
}
