/**
 * The non-secret configuration of a Git (smart HTTP) integration, as a schema: the HTTPS clone
 * URL, the branch pipelines build, the user name sent with the token, and a switch that accepts
 * plain HTTP (for loopback test servers only).
 */
import Type, { type Static } from 'typebox';

/** Schema of `config` for the `git` adapter. */
export const GitConfigSchema = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2000, description: 'The HTTPS clone URL.' }),
    branch: Type.Optional(
      Type.String({ minLength: 1, maxLength: 250, description: 'The branch that must exist.' }),
    ),
    username: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 256,
        description: 'User name sent with the token (Basic auth).',
      }),
    ),
    allowHttp: Type.Optional(
      Type.Boolean({ description: 'Accept http:// URLs (loopback test servers only).' }),
    ),
  },
  { additionalProperties: true },
);

/** `config` of a Git integration as the schema describes it. */
export type GitConfigInput = Static<typeof GitConfigSchema>;
