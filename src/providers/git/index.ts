/** The Git provider adapter (smart HTTP: clone, push, branch, clone URL form). */
export { createGitAdapter, type GitAdapterOptions, type GitCredential, gitAdapter } from './git-adapter.ts';
export { type GitConfig, judgeCloneUrl, parseGitConfig } from './git-config.ts';
export { type ProbeContext, probeClone, probePush, type RemoteProbe } from './git-probes.ts';
export {
  classifyFailure,
  type GitFailure,
  type GitRun,
  type RunGitOptions,
  runGit,
  scrub,
} from './git-run.ts';
export { GitConfigSchema } from './git-schema.ts';
