/**
 * The non-secret configuration of a Docker registry integration, as a schema: the registry host,
 * the repository (image name) or a full image reference, and the user name.
 */
import Type, { type Static } from 'typebox';

/** Schema of `config` for the `docker-registry` provider. */
export const DockerRegistryConfigSchema = Type.Object(
  {
    registry: Type.String({
      minLength: 1,
      maxLength: 300,
      description: 'Registry host[:port] (HTTPS), or an http(s):// base URL.',
    }),
    repository: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 300,
        description: 'The repository (image name) inside the registry.',
      }),
    ),
    image: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 500,
        description: 'The image reference pipelines use, e.g. host/team/app:tag.',
      }),
    ),
    tag: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, description: 'The tag the pull probe looks for.' }),
    ),
    username: Type.Optional(
      Type.String({ minLength: 1, maxLength: 256, description: 'The user or robot account.' }),
    ),
  },
  { additionalProperties: true },
);

/** `config` of a Docker registry integration as the schema describes it. */
export type DockerRegistryConfigInput = Static<typeof DockerRegistryConfigSchema>;
