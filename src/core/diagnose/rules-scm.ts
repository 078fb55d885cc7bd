/**
 * Rules for the source-control hosts' APIs: GitHub, GitLab, Bitbucket, Azure DevOps, Gitea.
 */
import { BITBUCKET, GITHUB } from './provider-groups.ts';
import type { DiagnoseRule } from './types.ts';

/** Host API rules, most specific first. */
export const SCM_RULES: readonly DiagnoseRule[] = [
  {
    id: 'github-saml-enforcement',
    layer: 'sso',
    title: 'The token is not authorised for the SAML SSO organisation',
    explanation:
      'The organisation enforces SAML single sign-on and the token behind {integration} has not been authorised for it.',
    steps: [
      'Open the URL in the `X-GitHub-SSO` response header, or the token settings, and authorise the token for the organisation (Configure SSO).',
      'Sign in to the organisation with SSO first if the session expired, then retry.',
    ],
    when: [['saml enforcement', 'x-github-sso', 'saml single sign-on']],
    status: [403],
    providers: GITHUB,
    weight: 0.95,
  },
  {
    id: 'github-app-workflow-permission',
    layer: 'app-installation',
    title: 'The GitHub App may not change workflow files',
    explanation:
      'Pushing changes under `.github/workflows` needs the Workflows permission on the installation.',
    steps: [
      'Give the GitHub App of {integration} the "Workflows: write" permission.',
      'Accept the new permissions on the installation (an owner gets a request), then retry.',
    ],
    when: [['refusing to allow a github app']],
    providers: GITHUB,
    weight: 0.95,
  },
  {
    id: 'github-token-workflow-scope',
    layer: 'scope-missing',
    title: 'The token lacks the `workflow` scope',
    explanation: 'Creating or updating files under `.github/workflows` needs the `workflow` scope.',
    steps: [
      'Add the `workflow` scope to the classic token (or "Workflows: write" to a fine-grained token) of {integration}.',
      'Re-run `keyhouse verify` to confirm the scope is granted.',
    ],
    when: [['refusing to allow a personal access token', 'refusing to allow an oauth app']],
    providers: GITHUB,
    weight: 0.95,
  },
  {
    id: 'github-app-not-installed',
    layer: 'app-installation',
    title: 'The GitHub App is not installed for this repository',
    explanation:
      'No installation of the app covers the repository: the app is not installed on the account, or the repository is outside its selection.',
    steps: [
      'Install the GitHub App of {integration} on the owner of the repository.',
      'Add the repository to the installation ("Only select repositories") and to the allow-list of {integration}.',
    ],
    when: [
      [
        'is the app installed',
        'app is not installed',
        'not installed on this repo',
        'installation has been suspended',
        'no installation found',
      ],
    ],
    providers: GITHUB,
    weight: 0.92,
  },
  {
    id: 'github-not-accessible-by-integration',
    layer: 'app-installation',
    title: 'The GitHub App installation lacks a permission or the repository',
    explanation:
      'The installation token is valid but its app has not been granted the permission this endpoint needs, or the repository is not in the installation.',
    steps: [
      'Read the `X-Accepted-GitHub-Permissions` response header: it names the permission the endpoint needs.',
      'Add that permission to the GitHub App of {integration} and accept the updated permissions on the installation.',
      'Check that the repository is selected in the installation; for `GITHUB_TOKEN`, set `permissions:` in the workflow.',
    ],
    when: [['resource not accessible by integration']],
    status: [403],
    providers: GITHUB,
    weight: 0.9,
  },
  {
    id: 'github-not-accessible-by-pat',
    layer: 'scope-missing',
    title: 'The fine-grained token lacks a permission',
    explanation:
      'The fine-grained personal access token is valid but does not carry the permission this endpoint needs, does not cover the repository, or the endpoint does not accept fine-grained tokens.',
    steps: [
      'Read `X-Accepted-GitHub-Permissions` in the response for the permission needed.',
      'Edit the token of {integration}: add the permission and the repository (resource owner must match).',
      'If the endpoint does not support fine-grained tokens, use a GitHub App or a classic token.',
    ],
    when: [['resource not accessible by personal access token']],
    status: [403],
    providers: GITHUB,
    weight: 0.9,
  },
  {
    id: 'github-bad-credentials',
    layer: 'git-credential',
    title: 'GitHub does not recognise the token',
    explanation: 'GitHub answered 401 "Bad credentials": the token is wrong, revoked or expired.',
    steps: [
      'Run `keyhouse verify` on {integration}; if the token is revoked or expired, create a new one and store it.',
    ],
    when: [['bad credentials']],
    status: [401],
    providers: GITHUB,
    weight: 0.88,
  },
  {
    id: 'gitlab-insufficient-scope',
    layer: 'scope-missing',
    title: 'The GitLab token lacks a scope',
    explanation:
      'GitLab accepted the token but the endpoint needs a scope it does not carry (the `scope` field of the answer lists the acceptable ones).',
    steps: [
      'Read the `scope` field of the error: the token needs one of those scopes (for example `api` or `read_api`).',
      'Create a token of {integration} with that scope (scopes cannot be added to an existing GitLab token) and store it.',
    ],
    when: [['insufficient_scope', 'requires higher privileges than provided by the access token']],
    status: [403],
    providers: ['gitlab'],
    weight: 0.92,
  },
  {
    id: 'token-scopes-not-granted',
    layer: 'scope-missing',
    title: 'The token was not granted a required scope',
    explanation: 'The host names the scope the query or command needs and the scopes the token holds.',
    steps: [
      'Add the named scope to the token of {integration} (or create a token with it) and store it.',
      'Re-run `keyhouse verify` to compare the granted scopes with the features enabled.',
    ],
    when: [['has not been granted the required scopes', 'missing required scope']],
    weight: 0.9,
  },
  {
    id: 'bitbucket-app-password-retired',
    layer: 'git-credential',
    title: 'Bitbucket app passwords are retired',
    explanation:
      'Bitbucket Cloud replaced app passwords with API tokens; app passwords can no longer be created and stop working.',
    steps: [
      'Create a Bitbucket API token with the scopes {integration} needs.',
      'Store it in {integration}; for git over HTTPS and the API use the account e-mail as the username.',
    ],
    when: [['app password'], ['no longer', 'deprecat', 'disabled', 'removed', 'brownout']],
    providers: BITBUCKET,
    weight: 0.9,
  },
  {
    id: 'bitbucket-token-invalid',
    layer: 'git-credential',
    title: 'Bitbucket refused the token',
    explanation:
      'The token is wrong, expired, or of a kind this endpoint does not take (an API token sent as Bearer, or an app password where only API tokens work).',
    steps: [
      'Run `keyhouse verify` on {integration} to see whether the token is valid and when it expires.',
      'Send API tokens with Basic auth (account e-mail and token); replace the token if it expired.',
    ],
    when: [['token is invalid, expired, or not supported']],
    status: [401],
    providers: BITBUCKET,
    weight: 0.86,
  },
  {
    id: 'azure-devops-repository-not-found',
    layer: 'git-credential',
    title: 'Azure DevOps: repository missing or not permitted',
    explanation:
      'TF401019: the repository does not exist, or the identity behind the token has no permission on it.',
    steps: [
      'Check the organisation, project and repository name.',
      'Grant the identity of {integration} (or the project build service) Read, and Contribute to push, on the repository.',
    ],
    when: [['tf401019']],
    status: [404],
    providers: ['azure-devops'],
    weight: 0.86,
  },
  {
    id: 'azure-devops-not-authorized',
    layer: 'git-credential',
    title: 'Azure DevOps refused the identity',
    explanation:
      'TF400813/VS30063: Azure DevOps answers 401 both for an invalid or expired token and for a missing scope or permission, so check both.',
    steps: [
      'Run `keyhouse verify` on {integration}: check the PAT is valid, not expired, and created for this organisation.',
      'Check its scopes (for example `vso.code`) and that the user has access to the project.',
    ],
    when: [['tf400813', 'vs30063', 'tf30063']],
    status: [401],
    providers: ['azure-devops'],
    weight: 0.85,
  },
];
