/** Bitbucket Data Center provider adapter. */
export {
  type BitbucketServerAdapterOptions,
  bitbucketServerAdapter,
  createBitbucketServerAdapter,
} from './bitbucket-server-adapter.ts';
export { type BitbucketServerConfig, readBitbucketServerConfig } from './bitbucket-server-config.ts';
export { type AnswerClass, classify } from './bitbucket-server-permissions.ts';
