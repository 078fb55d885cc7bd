/**
 * The one explicit list of provider adapters, keyed by catalogue provider id (`git` is the probe
 * adapter for clone and push checks, not a catalogue provider). A test keeps this list and the
 * folders under `src/providers/` in step.
 */
import { awsAdapter } from './aws/index.ts';
import { azureDevopsAdapter } from './azure-devops/index.ts';
import { bitbucketCloudAdapter } from './bitbucket-cloud/index.ts';
import { bitbucketServerAdapter } from './bitbucket-server/index.ts';
import { dockerRegistryAdapter } from './docker-registry/index.ts';
import { gitAdapter } from './git/index.ts';
import { giteaAdapter } from './gitea/index.ts';
import { githubAdapter } from './github/index.ts';
import { githubEnterpriseAdapter } from './github-enterprise/index.ts';
import { gitlabAdapter } from './gitlab/index.ts';
import { s3Adapter } from './s3/index.ts';
import type { ProviderAdapter } from './types.ts';

/** Every adapter, by provider id. */
export const ADAPTERS: Readonly<Record<string, ProviderAdapter>> = Object.freeze({
  aws: awsAdapter,
  'azure-devops': azureDevopsAdapter,
  'bitbucket-cloud': bitbucketCloudAdapter,
  'bitbucket-server': bitbucketServerAdapter,
  'docker-registry': dockerRegistryAdapter,
  git: gitAdapter,
  gitea: giteaAdapter,
  github: githubAdapter,
  'github-enterprise': githubEnterpriseAdapter,
  gitlab: gitlabAdapter,
  s3: s3Adapter,
});

/** Adapter ids that are probes rather than catalogue providers. */
export const PROBE_ADAPTER_IDS: readonly string[] = ['git'];

const overrides = new Map<string, ProviderAdapter>();

/** The adapter for a provider id (an override first), or undefined when there is none. */
export function adapterFor(providerId: string): ProviderAdapter | undefined {
  return (
    overrides.get(providerId) ?? (Object.hasOwn(ADAPTERS, providerId) ? ADAPTERS[providerId] : undefined)
  );
}

/**
 * Replaces the adapter of `adapter.id` in this process until the returned function is called:
 * for tests (a fake adapter) and for embedders that bring their own. Returns the restore function.
 */
export function overrideAdapter(adapter: ProviderAdapter): () => void {
  const previous = overrides.get(adapter.id);
  overrides.set(adapter.id, adapter);
  return () => {
    if (overrides.get(adapter.id) !== adapter) return;
    if (previous === undefined) overrides.delete(adapter.id);
    else overrides.set(adapter.id, previous);
  };
}
