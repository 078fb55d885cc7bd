/**
 * Provider id groups used by the rules and by integration matching (ids as in `catalogue/`).
 */
import type { Layer } from './types.ts';

/** GitHub.com and GitHub Enterprise. */
export const GITHUB = ['github', 'github-enterprise'] as const;
/** Bitbucket Cloud and Data Center. */
export const BITBUCKET = ['bitbucket-cloud', 'bitbucket-server'] as const;
/** Every source-control host. */
export const SCM = [...GITHUB, 'gitlab', ...BITBUCKET, 'azure-devops', 'gitea'] as const;
/** Container registries. */
export const REGISTRY = ['docker-registry'] as const;
/** Object storage used for backups. */
export const STORAGE = ['s3'] as const;
/** AWS accounts (IAM, EC2, STS). */
export const AWS = ['aws'] as const;

/**
 * Which providers an integration must have to be the one a layer's error refers to; a layer not
 * listed fits every provider.
 */
export const LAYER_PROVIDERS: Partial<Record<Layer, readonly string[]>> = {
  'git-credential': SCM,
  'app-installation': GITHUB,
  'ssh-key': SCM,
  sso: SCM,
  'scope-missing': [...SCM, ...REGISTRY],
  'registry-credential': REGISTRY,
  'backup-storage': [...STORAGE, ...AWS],
  'aws-iam': [...AWS, ...STORAGE],
};

/** True when an integration of `provider` can be what an error of `layer` is about. */
export function providerFitsLayer(provider: string, layer: Layer): boolean {
  const fits = LAYER_PROVIDERS[layer];
  return fits === undefined || fits.includes(provider);
}
