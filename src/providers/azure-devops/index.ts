/** Azure DevOps provider adapter. */
export {
  type AzureDevopsAdapterOptions,
  azureDevopsAdapter,
  createAzureDevopsAdapter,
} from './azure-devops-adapter.ts';
export { type AzureDevopsConfig, readAzureDevopsConfig } from './azure-devops-config.ts';
export { API_VERSION } from './azure-devops-schema.ts';
