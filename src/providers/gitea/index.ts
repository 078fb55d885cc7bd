/** Gitea provider adapter. */
export { createGiteaAdapter, type GiteaAdapterOptions, giteaAdapter } from './gitea-adapter.ts';
export { type GiteaConfig, readGiteaConfig } from './gitea-config.ts';
export { parseScopeRefusal, type ScopeRefusal } from './gitea-probes.ts';
