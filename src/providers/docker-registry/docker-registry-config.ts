/**
 * Parses a Docker registry integration's configuration: the registry base URL, the repository
 * name and tag, and the image reference (host, repository, tag) the pipelines use.
 */
import { Compile } from 'typebox/compile';
import { KeyhouseError } from '../../core/errors.ts';
import { DockerRegistryConfigSchema } from './docker-registry-schema.ts';

/** A parsed image reference. */
export interface ImageReference {
  /** Normalised registry host (`docker.io` for Docker Hub), lower case, without `:443`. */
  readonly host: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** The configuration an adapter works with. */
export interface DockerRegistryConfig {
  /** Base URL of the registry API, without a trailing slash. */
  readonly baseUrl: string;
  /** Normalised registry host. */
  readonly host: string;
  readonly repository?: string;
  readonly tag?: string;
  readonly image?: ImageReference;
  readonly username?: string;
}

const DOCKER_HUB_ALIASES = new Set([
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'registry.hub.docker.com',
]);
const validator = Compile(DockerRegistryConfigSchema);

/** Lower case, default HTTPS port dropped, Docker Hub aliases folded into `docker.io`. */
export function normaliseRegistryHost(host: string): string {
  const lower = host.toLowerCase().replace(/:443$/, '');
  return DOCKER_HUB_ALIASES.has(lower) ? 'docker.io' : lower;
}

/** Parses `[host[:port]/]path[:tag][@digest]` the way the Docker client does. */
export function parseImageReference(reference: string): ImageReference {
  const at = reference.indexOf('@');
  const digest = at >= 0 ? reference.slice(at + 1) : undefined;
  let rest = at >= 0 ? reference.slice(0, at) : reference;
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const hasHost = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const host = normaliseRegistryHost(hasHost ? first : 'docker.io');
  if (hasHost) rest = rest.slice(slash + 1);
  const colon = rest.lastIndexOf(':');
  const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : undefined;
  let repository = tag === undefined ? rest : rest.slice(0, colon);
  if (host === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  return {
    host,
    repository,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

function baseUrlOf(registry: string): { baseUrl: string; host: string } {
  if (/^https?:\/\//i.test(registry)) {
    const url = new URL(registry);
    if (url.username !== '' || url.password !== '') throw invalid('registry', 'must not carry credentials');
    return { baseUrl: url.origin, host: normaliseRegistryHost(url.host) };
  }
  const host = normaliseRegistryHost(registry.replace(/\/+$/, ''));
  return { baseUrl: host === 'docker.io' ? 'https://registry-1.docker.io' : `https://${host}`, host };
}

function invalid(field: string, message: string): KeyhouseError {
  const path = `config.${field}`;
  return new KeyhouseError('validation_failed', `${path} ${message}`, {
    details: { fields: [{ path, message }] },
  });
}

/** Checks and parses `config`; throws a `validation_failed` error naming the field at fault. */
export function parseDockerRegistryConfig(config: Readonly<Record<string, unknown>>): DockerRegistryConfig {
  for (const error of validator.Errors(config)) {
    const required = (error.params as { requiredProperties?: readonly string[] }).requiredProperties;
    const field = error.instancePath.split('/')[1] || required?.[0] || 'registry';
    throw invalid(field, required === undefined ? 'is not valid' : 'is required');
  }
  const input = validator.Parse(config);
  const { baseUrl, host } = baseUrlOf(input.registry);
  const image = input.image === undefined ? undefined : parseImageReference(input.image);
  const repository = input.repository ?? image?.repository;
  const tag = input.tag ?? image?.tag;
  return {
    baseUrl,
    host,
    ...(repository === undefined ? {} : { repository }),
    ...(tag === undefined ? {} : { tag }),
    ...(image === undefined ? {} : { image }),
    ...(input.username === undefined ? {} : { username: input.username }),
  };
}
