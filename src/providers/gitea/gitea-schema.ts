/**
 * Gitea shapes: the integration's non-secret config, the API error body and the fields of the
 * answers the adapter reads (GET /user, /repos/{owner}/{repo}).
 */
import { type Static, Type } from 'typebox';

const Url = Type.String({ pattern: '^https?://[^\\s]+$' });

/** Non-secret config of a Gitea (or Forgejo) integration. */
export const GiteaConfigSchema = Type.Object({
  /** REST base, e.g. `https://gitea.example.com/api/v1`. */
  apiBaseUrl: Type.Optional(Url),
  /** Web root; `/api/v1` is appended when `apiBaseUrl` is absent. */
  hostUrl: Type.Optional(Url),
  owner: Type.Optional(Type.String({ minLength: 1 })),
  repository: Type.Optional(Type.String({ minLength: 1 })),
  organization: Type.Optional(Type.String({ minLength: 1 })),
  branch: Type.Optional(Type.String({ minLength: 1 })),
  cloneUrl: Type.Optional(Type.String({ minLength: 1 })),
});
/** Non-secret config of a Gitea integration. */
export type GiteaConfigInput = Static<typeof GiteaConfigSchema>;

/** Gitea's API error: `{"message": "...", "url": "..."}`. */
export const ApiErrorSchema = Type.Object({ message: Type.String() });

/** GET /user. */
export const UserSchema = Type.Object({
  id: Type.Integer(),
  login: Type.String(),
  is_admin: Type.Optional(Type.Boolean()),
});

/** GET /repos/{owner}/{repo}. */
export const RepositorySchema = Type.Object({
  full_name: Type.String(),
  clone_url: Type.String(),
  permissions: Type.Optional(
    Type.Object({ admin: Type.Boolean(), push: Type.Boolean(), pull: Type.Boolean() }),
  ),
});
/** A repository. */
export type GiteaRepository = Static<typeof RepositorySchema>;
