/**
 * Rules for git over HTTPS and SSH: what git, OpenSSH and the hosts' git front-ends print.
 */
import { SCM } from './provider-groups.ts';
import type { DiagnoseRule } from './types.ts';

/** Git and SSH rules, most specific first. */
export const GIT_RULES: readonly DiagnoseRule[] = [
  {
    id: 'git-password-auth-removed',
    layer: 'git-credential',
    title: 'Account password sent where a token is required',
    explanation:
      'The host no longer accepts the account password for git over HTTPS; {integration} must hold a token.',
    steps: [
      'Create a personal access token (or use a GitHub App) with read access to the repository, plus write access to push.',
      'Store it as the credential of {integration} and re-run `keyhouse verify`.',
    ],
    when: [['support for password authentication was removed', 'stopped supporting account passwords']],
    providers: SCM,
    weight: 0.95,
  },
  {
    id: 'git-permission-denied-to-user',
    layer: 'git-credential',
    title: 'The account behind the credential may not write to this repository',
    explanation:
      'The host knows who is pushing but that account (or deploy key) has no write access to the repository.',
    steps: [
      'Give the account of {integration} write access to the repository (collaborator or team with write).',
      'If the key is a deploy key attached to another repository, attach a key to this repository or use a token instead.',
    ],
    when: [['permission to '], ['denied to ']],
    status: [403],
    providers: SCM,
    weight: 0.9,
  },
  {
    id: 'gitlab-push-not-allowed',
    layer: 'git-credential',
    title: 'The GitLab role may not push here',
    explanation:
      'GitLab accepted the credential, but its user has a role below Developer, or the branch is protected.',
    steps: [
      'Give the user of {integration} at least the Developer role on the project (Maintainer for protected branches).',
      'Or allow that role to push to the protected branch in Settings → Repository → Protected branches.',
    ],
    when: [['not allowed to push code', 'not allowed to force push code']],
    providers: ['gitlab'],
    weight: 0.88,
  },
  {
    id: 'git-no-credential',
    layer: 'git-credential',
    title: 'Git was given no credential',
    explanation:
      'Git wanted a username and password but nothing supplied them (no credential helper, no token in the clone URL) and prompts are off in CI.',
    steps: [
      'Bind {integration} to the pipeline so its token is handed to git, or configure a credential helper.',
      'Check that the clone URL is the HTTPS form of the repository the integration can read.',
    ],
    when: [['could not read username for', 'could not read password for', 'terminal prompts disabled']],
    weight: 0.86,
  },
  {
    id: 'git-authentication-failed',
    layer: 'git-credential',
    title: 'The host rejected the git credential',
    explanation:
      'The username/token pair git sent was refused: wrong, revoked or expired token, or a password where a token is required.',
    steps: [
      'Run `keyhouse verify` on {integration} to see whether the token is still valid and when it expires.',
      'Replace the token if it is revoked or expired; use the token as the password, not the account password.',
      'For Bitbucket API tokens use the account e-mail as the username.',
    ],
    when: [['authentication failed for', 'invalid username or password', 'http basic: access denied']],
    status: [401],
    providers: SCM,
    weight: 0.85,
  },
  {
    id: 'git-repository-not-found',
    layer: 'git-credential',
    title: 'Repository not found, or invisible to this credential',
    explanation:
      'Hosts answer "not found" for private repositories the credential cannot see, so this is either a wrong URL or missing access.',
    steps: [
      'Check the repository URL (owner, name and case) against the host.',
      'Check that the account or app behind {integration} can read the repository; for a GitHub App, that the repository is in the installation.',
    ],
    when: [['repository'], ['repository not found', 'repository does not exist', "' not found"]],
    status: [404],
    providers: SCM,
    weight: 0.8,
  },
  {
    id: 'git-http-401',
    layer: 'git-credential',
    title: 'Git over HTTPS was refused: 401',
    explanation: 'The host did not accept the credential git sent (or none was sent).',
    steps: [
      'Verify {integration} with `keyhouse verify`; replace the token if it is invalid or expired.',
      'Make sure the pipeline uses the integration for this host.',
    ],
    when: [['requested url returned error: 401']],
    providers: SCM,
    weight: 0.8,
  },
  {
    id: 'git-http-403',
    layer: 'git-credential',
    title: 'Git over HTTPS was refused: 403',
    explanation:
      'The credential is known but may not do this: read-only token or role used to push, or missing repository access.',
    steps: [
      'Check that {integration} has write access (token scope and the account role) when pushing.',
      'Run `keyhouse doctor` on {integration} to compare its scopes with the features enabled.',
    ],
    when: [['requested url returned error: 403']],
    providers: SCM,
    weight: 0.78,
  },
  {
    id: 'git-http-404',
    layer: 'git-credential',
    title: 'Git over HTTPS: 404',
    explanation: 'The repository does not exist or the credential cannot see it.',
    steps: ['Check the clone URL.', 'Check that {integration} can read the repository.'],
    when: [['requested url returned error: 404']],
    providers: SCM,
    weight: 0.72,
  },
  {
    id: 'ssh-publickey-denied',
    layer: 'ssh-key',
    title: 'The SSH key was refused',
    explanation:
      'The server accepted no key offered: no key loaded, the wrong key, or a public key not registered with the account or repository.',
    steps: [
      'Check that the private key is loaded in the runner (`ssh-add -l`) and that its public key is on the account or is a deploy key of the repository.',
      'Connect as the `git` user (`ssh -T git@<host>`); or use the HTTPS clone URL with {integration}.',
    ],
    when: [['permission denied (publickey']],
    weight: 0.95,
  },
  {
    id: 'ssh-host-key-verification',
    layer: 'ssh-key',
    title: 'The SSH host key is unknown or changed',
    explanation:
      'SSH refused to connect because the server key is not in known_hosts (fresh runner) or differs from the recorded one.',
    steps: [
      "Add the host's published key to known_hosts after checking its fingerprint against the host's documentation.",
      'If the recorded key changed, confirm the change from an official source before replacing it.',
    ],
    when: [['host key verification failed', 'remote host identification has changed']],
    weight: 0.92,
  },
  {
    id: 'ssh-could-not-read-remote',
    layer: 'ssh-key',
    title: 'Git could not read from the remote over SSH',
    explanation: 'Git over SSH failed before the transfer: usually key, host key or repository access.',
    steps: ['Run `ssh -vT git@<host>` from the runner to see which step fails.'],
    when: [['could not read from remote repository']],
    weight: 0.5,
  },
];
