/** Bitbucket Cloud provider adapter. */
export {
  APP_PASSWORD_REMOVAL,
  type BitbucketCloudAdapterOptions,
  bitbucketCloudAdapter,
  createBitbucketCloudAdapter,
} from './bitbucket-cloud-adapter.ts';
export {
  BITBUCKET_CLOUD_DEFAULT_API,
  type BitbucketCloudConfig,
  readBitbucketCloudConfig,
} from './bitbucket-cloud-config.ts';
