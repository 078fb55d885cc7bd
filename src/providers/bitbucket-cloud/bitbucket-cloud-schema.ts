/**
 * Bitbucket Cloud shapes: the integration's non-secret config, the error body (which names the
 * required and granted scopes on a 403) and the fields of the answers the adapter reads.
 */
import { type Static, Type } from 'typebox';

/** Non-secret config of a Bitbucket Cloud integration. */
export const BitbucketCloudConfigSchema = Type.Object({
  /** REST base (default `https://api.bitbucket.org/2.0`). */
  apiBaseUrl: Type.Optional(Type.String({ pattern: '^https?://[^\\s]+$' })),
  /** Where OAuth consumers get tokens (default `https://bitbucket.org`). */
  authUrl: Type.Optional(Type.String({ pattern: '^https?://[^\\s]+$' })),
  workspace: Type.Optional(Type.String({ minLength: 1 })),
  /** Repository slug inside the workspace. */
  repository: Type.Optional(Type.String({ minLength: 1 })),
  branch: Type.Optional(Type.String({ minLength: 1 })),
  cloneUrl: Type.Optional(Type.String({ minLength: 1 })),
});
/** Non-secret config of a Bitbucket Cloud integration. */
export type BitbucketCloudConfigInput = Static<typeof BitbucketCloudConfigSchema>;

/** `{"type":"error","error":{"message","detail"}}`; on a missing scope `detail` is `{required, granted}`. */
export const ErrorBodySchema = Type.Object({
  type: Type.Literal('error'),
  error: Type.Object({
    message: Type.String(),
    detail: Type.Optional(
      Type.Union([
        Type.String(),
        Type.Object({
          required: Type.Array(Type.String()),
          granted: Type.Optional(Type.Array(Type.String())),
        }),
      ]),
    ),
  }),
});
/** A Bitbucket Cloud error body. */
export type ErrorBody = Static<typeof ErrorBodySchema>;

/** GET /2.0/user. */
export const UserSchema = Type.Object({
  account_id: Type.Optional(Type.String()),
  username: Type.Optional(Type.String()),
  display_name: Type.String(),
});

/** GET /2.0/repositories/{workspace}/{repo_slug}. */
export const RepositorySchema = Type.Object({
  full_name: Type.String(),
  links: Type.Object({
    clone: Type.Optional(Type.Array(Type.Object({ name: Type.String(), href: Type.String() }))),
  }),
});
/** A repository. */
export type BitbucketRepository = Static<typeof RepositorySchema>;

/** A paginated list (`values`). */
export const PageSchema = Type.Object({ values: Type.Array(Type.Unknown()) });

/** `x-credential-type` values per catalogue credential type (as observed; verify on a live account). */
export const CREDENTIAL_TYPE_HEADER: Readonly<Record<string, string>> = {
  'api-token': 'api_token',
  'repository-access-token': 'repo_access_token',
  'project-access-token': 'project_access_token',
  'workspace-access-token': 'workspace_access_token',
  'app-password': 'app_password',
};
