/**
 * GitLab shapes: the integration's non-secret config and the fields of the REST answers the
 * adapter reads (GET /personal_access_tokens/self, /user, /projects/:id, /oauth/token/info).
 * Unread fields are allowed; only what the adapter relies on is checked.
 */
import { type Static, Type } from 'typebox';

const Url = Type.String({ pattern: '^https?://[^\\s]+$' });
const Ref = Type.Union([Type.String({ minLength: 1 }), Type.Integer({ minimum: 1 })]);

/** Non-secret config of a GitLab integration. */
export const GitlabConfigSchema = Type.Object({
  /** REST base, e.g. `https://gitlab.example.com/api/v4` (default gitlab.com). */
  apiBaseUrl: Type.Optional(Url),
  /** Web base of a self-managed instance; `/api/v4` is appended when `apiBaseUrl` is absent. */
  hostUrl: Type.Optional(Url),
  /** Project id or full path (`group/sub/project`). */
  project: Type.Optional(Ref),
  /** Group id or full path, for role checks when no project is configured. */
  group: Type.Optional(Ref),
  branch: Type.Optional(Type.String({ minLength: 1 })),
  cloneUrl: Type.Optional(Type.String({ minLength: 1 })),
});
/** Non-secret config of a GitLab integration. */
export type GitlabConfigInput = Static<typeof GitlabConfigSchema>;

/** GET /personal_access_tokens/self (also answers for group and project access tokens). */
export const TokenSelfSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  revoked: Type.Boolean(),
  active: Type.Boolean(),
  scopes: Type.Array(Type.String()),
  user_id: Type.Integer(),
  expires_at: Type.Union([Type.String(), Type.Null()]),
});
/** GET /personal_access_tokens/self. */
export type TokenSelf = Static<typeof TokenSelfSchema>;

/** GET /oauth/token/info. */
export const OauthTokenInfoSchema = Type.Object({
  resource_owner_id: Type.Union([Type.Integer(), Type.Null()]),
  scope: Type.Array(Type.String()),
  expires_in: Type.Union([Type.Integer(), Type.Null()]),
});
/** GET /oauth/token/info. */
export type OauthTokenInfo = Static<typeof OauthTokenInfoSchema>;

/** GET /user. */
export const UserSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  bot: Type.Optional(Type.Boolean()),
});
/** GET /user. */
export type GitlabUser = Static<typeof UserSchema>;

const Access = Type.Union([Type.Object({ access_level: Type.Integer() }), Type.Null()]);

/** GET /projects/:id. */
export const ProjectSchema = Type.Object({
  id: Type.Integer(),
  path_with_namespace: Type.String(),
  http_url_to_repo: Type.String(),
  default_branch: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  permissions: Type.Optional(Type.Object({ project_access: Access, group_access: Access })),
});
/** GET /projects/:id. */
export type GitlabProject = Static<typeof ProjectSchema>;

/** GET /groups/:id/members/all/:user_id. */
export const MemberSchema = Type.Object({ id: Type.Integer(), access_level: Type.Integer() });

/** The access levels and their names. */
export const ACCESS_LEVELS: Readonly<Record<number, string>> = {
  0: 'No access',
  5: 'Minimal access',
  10: 'Guest',
  15: 'Planner',
  20: 'Reporter',
  30: 'Developer',
  40: 'Maintainer',
  50: 'Owner',
};
