/** GitLab provider adapter. */
export { createGitlabAdapter, type GitlabAdapterOptions, gitlabAdapter } from './gitlab-adapter.ts';
export { GITLAB_DEFAULT_API, type GitlabConfig, readGitlabConfig } from './gitlab-config.ts';
