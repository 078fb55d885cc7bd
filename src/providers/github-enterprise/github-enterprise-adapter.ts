/**
 * The GitHub Enterprise Server adapter: GitHub's adapter with the provider id
 * `github-enterprise` (its catalogue entry) and the instance's API base. Rate limits are off by
 * default on GHES; the gate then lets every request through and learns a limit when one appears.
 */
import { createGithubAdapter, type GithubAdapterOptions } from '../github/github-adapter.ts';
import type { ProviderAdapter } from '../types.ts';
import { enterpriseApiBase } from './github-enterprise-config.ts';

/** Creates a GitHub Enterprise Server adapter (options as for GitHub, without id and API base). */
export function createGithubEnterpriseAdapter(
  options: Omit<GithubAdapterOptions, 'id' | 'defaultApiBase'> = {},
): ProviderAdapter {
  return createGithubAdapter({ ...options, id: 'github-enterprise', defaultApiBase: enterpriseApiBase });
}

/** The adapter for GitHub Enterprise Server. */
export const githubEnterpriseAdapter: ProviderAdapter = createGithubEnterpriseAdapter();
