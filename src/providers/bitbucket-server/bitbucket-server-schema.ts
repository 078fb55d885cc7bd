/**
 * Bitbucket Data Center shapes: the integration's non-secret config, the error body
 * (`{"errors":[{"message","exceptionName"}]}`) and the fields of the answers the adapter reads.
 */
import { type Static, Type } from 'typebox';

const Url = Type.String({ pattern: '^https?://[^\\s]+$' });

/** Non-secret config of a Bitbucket Data Center integration. */
export const BitbucketServerConfigSchema = Type.Object({
  /** REST base, e.g. `https://bitbucket.example.com/rest/api/latest`. */
  apiBaseUrl: Type.Optional(Url),
  /** Web root; `/rest/api/latest` is appended when `apiBaseUrl` is absent. */
  hostUrl: Type.Optional(Url),
  /** Project key. */
  project: Type.Optional(Type.String({ minLength: 1 })),
  /** Repository slug. */
  repository: Type.Optional(Type.String({ minLength: 1 })),
  branch: Type.Optional(Type.String({ minLength: 1 })),
  cloneUrl: Type.Optional(Type.String({ minLength: 1 })),
});
/** Non-secret config of a Bitbucket Data Center integration. */
export type BitbucketServerConfigInput = Static<typeof BitbucketServerConfigSchema>;

/** The error body. */
export const ErrorsSchema = Type.Object({
  errors: Type.Array(
    Type.Object({ message: Type.String(), exceptionName: Type.Union([Type.String(), Type.Null()]) }),
  ),
});

/** GET …/projects/{key}/repos/{slug}. */
export const RepositorySchema = Type.Object({
  slug: Type.String(),
  project: Type.Object({ key: Type.String() }),
  links: Type.Object({
    clone: Type.Optional(Type.Array(Type.Object({ name: Type.String(), href: Type.String() }))),
  }),
});
/** A repository. */
export type BitbucketServerRepository = Static<typeof RepositorySchema>;

/** A paged answer. */
export const PageSchema = Type.Object({ values: Type.Array(Type.Record(Type.String(), Type.Unknown())) });

/** The exception that means "authenticated, but not permitted" (answered with 401). */
export const AUTHORISATION_EXCEPTION = 'com.atlassian.bitbucket.AuthorisationException';
