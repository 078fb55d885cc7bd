/** The Docker registry provider adapter (Registry HTTP API v2, token auth). */
export {
  createDockerRegistryAdapter,
  type DockerRegistryAdapterOptions,
  dockerRegistryAdapter,
} from './docker-registry-adapter.ts';
export {
  type DockerRegistryConfig,
  type ImageReference,
  normaliseRegistryHost,
  parseDockerRegistryConfig,
  parseImageReference,
} from './docker-registry-config.ts';
export { catalogueScopes, decodeAccessClaim, parseChallenge, RegistryHttp } from './docker-registry-http.ts';
export {
  type ProbeResult,
  probePull,
  probePush,
  probePushByManifest,
  probePushByUpload,
} from './docker-registry-probes.ts';
export { DockerRegistryConfigSchema } from './docker-registry-schema.ts';
