/** The GitHub Enterprise Server provider adapter. */
export { createGithubEnterpriseAdapter, githubEnterpriseAdapter } from './github-enterprise-adapter.ts';
export { enterpriseApiBase } from './github-enterprise-config.ts';
