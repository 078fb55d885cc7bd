/**
 * Response bodies of the local GitHub, built with GitHub's field names and checked against the
 * OpenAPI extract in `__fixtures__/` by `github-fake.test.ts`: users, repositories, branches,
 * installations, installation tokens, hooks, contents, rate limits and `basic-error`.
 */

const CREATED = '2020-01-02T03:04:05Z';

/** Where the fake's API and web URLs point. */
export interface Hosts {
  /** API base, e.g. `http://127.0.0.1:PORT`. */
  readonly api: string;
  /** Web base used in `html_url`s. */
  readonly web: string;
}

/** GitHub's error body (`basic-error`). */
export function basicError(
  message: string,
  status: number,
  doc = 'https://docs.github.com/rest',
): Record<string, string> {
  return { message, documentation_url: doc, status: String(status) };
}

/** A `simple-user` (also an organisation or bot account). */
export function simpleUser(h: Hosts, login: string, id: number, type: 'User' | 'Organization' | 'Bot') {
  const url = `${h.api}/users/${login}`;
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `${h.web}/avatars/${id}`,
    gravatar_id: '',
    url,
    html_url: `${h.web}/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type,
    site_admin: false,
  };
}

/** A `private-user` (GET /user). */
export function privateUser(h: Hosts, login: string, id: number, type: 'User' | 'Bot') {
  return {
    ...simpleUser(h, login, id, type),
    name: login,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    public_repos: 1,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: CREATED,
    updated_at: CREATED,
    private_gists: 0,
    total_private_repos: 1,
    owned_private_repos: 1,
    disk_usage: 10,
    collaborators: 0,
    two_factor_authentication: true,
  };
}

function repoUrls(h: Hosts, full: string) {
  const url = `${h.api}/repos/${full}`;
  const names = [
    ['archive_url', '/{archive_format}{/ref}'],
    ['assignees_url', '/assignees{/user}'],
    ['blobs_url', '/git/blobs{/sha}'],
    ['branches_url', '/branches{/branch}'],
    ['collaborators_url', '/collaborators{/collaborator}'],
    ['comments_url', '/comments{/number}'],
    ['commits_url', '/commits{/sha}'],
    ['compare_url', '/compare/{base}...{head}'],
    ['contents_url', '/contents/{+path}'],
    ['contributors_url', '/contributors'],
    ['deployments_url', '/deployments'],
    ['downloads_url', '/downloads'],
    ['events_url', '/events'],
    ['forks_url', '/forks'],
    ['git_commits_url', '/git/commits{/sha}'],
    ['git_refs_url', '/git/refs{/sha}'],
    ['git_tags_url', '/git/tags{/sha}'],
    ['issue_comment_url', '/issues/comments{/number}'],
    ['issue_events_url', '/issues/events{/number}'],
    ['issues_url', '/issues{/number}'],
    ['keys_url', '/keys{/key_id}'],
    ['labels_url', '/labels{/name}'],
    ['languages_url', '/languages'],
    ['merges_url', '/merges'],
    ['milestones_url', '/milestones{/number}'],
    ['notifications_url', '/notifications{?since,all,participating}'],
    ['pulls_url', '/pulls{/number}'],
    ['releases_url', '/releases{/id}'],
    ['stargazers_url', '/stargazers'],
    ['statuses_url', '/statuses/{sha}'],
    ['subscribers_url', '/subscribers'],
    ['subscription_url', '/subscription'],
    ['tags_url', '/tags'],
    ['teams_url', '/teams'],
    ['trees_url', '/git/trees{/sha}'],
    ['hooks_url', '/hooks'],
  ] as const;
  return { url, ...Object.fromEntries(names.map(([k, v]) => [k, `${url}${v}`])) };
}

/** Repository fields the fake keeps. */
export interface RepoFacts {
  readonly owner: string;
  readonly ownerId: number;
  readonly ownerType: 'User' | 'Organization';
  readonly name: string;
  readonly id: number;
  readonly private: boolean;
  readonly defaultBranch: string;
}

/** A `repository` (as listed by GET /installation/repositories). */
export function repository(h: Hosts, r: RepoFacts) {
  const full = `${r.owner}/${r.name}`;
  const webHost = new URL(h.web).host;
  return {
    id: r.id,
    node_id: `R_${r.id}`,
    name: r.name,
    full_name: full,
    license: null,
    forks: 0,
    owner: simpleUser(h, r.owner, r.ownerId, r.ownerType),
    private: r.private,
    html_url: `${h.web}/${full}`,
    description: null,
    fork: false,
    ...repoUrls(h, full),
    git_url: `git://${webHost}/${full}.git`,
    ssh_url: `git@${webHost}:${full}.git`,
    clone_url: `${h.web}/${full}.git`,
    mirror_url: null,
    svn_url: `${h.web}/${full}`,
    homepage: null,
    language: null,
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    size: 1,
    default_branch: r.defaultBranch,
    open_issues_count: 0,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: r.private ? 'private' : 'public',
    pushed_at: CREATED,
    created_at: CREATED,
    updated_at: CREATED,
    open_issues: 0,
    watchers: 0,
  };
}

/** A `full-repository` (GET /repos/{owner}/{repo}) with the caller's `permissions`. */
export function fullRepository(
  h: Hosts,
  r: RepoFacts,
  permissions: { admin: boolean; push: boolean; pull: boolean },
) {
  return {
    ...repository(h, r),
    subscribers_count: 0,
    network_count: 0,
    permissions: { ...permissions, maintain: permissions.admin, triage: permissions.push },
  };
}

/** A `branch-with-protection` (GET /repos/{owner}/{repo}/branches/{branch}). */
export function branch(h: Hosts, r: RepoFacts, name: string, sha: string) {
  const full = `${r.owner}/${r.name}`;
  const url = `${h.api}/repos/${full}/branches/${name}`;
  const commitUrl = `${h.api}/repos/${full}/commits/${sha}`;
  const person = { name: 'Octo Cat', email: 'octocat@example.invalid', date: CREATED };
  return {
    name,
    commit: {
      url: commitUrl,
      sha,
      node_id: `C_${sha.slice(0, 10)}`,
      html_url: `${h.web}/${full}/commit/${sha}`,
      comments_url: `${commitUrl}/comments`,
      commit: {
        url: `${h.api}/repos/${full}/git/commits/${sha}`,
        author: person,
        committer: person,
        message: 'Initial commit',
        comment_count: 0,
        tree: { sha, url: `${h.api}/repos/${full}/git/trees/${sha}` },
      },
      author: null,
      committer: null,
      parents: [],
    },
    _links: { html: `${h.web}/${full}/tree/${name}`, self: url },
    protected: false,
    protection: { enabled: false },
    protection_url: `${url}/protection`,
  };
}

/** Installation fields the fake keeps. */
export interface InstallationFacts {
  readonly id: number;
  readonly appId: number;
  readonly appSlug: string;
  readonly account: string;
  readonly accountId: number;
  readonly accountType: 'User' | 'Organization';
  readonly permissions: Readonly<Record<string, string>>;
  readonly repositorySelection: 'all' | 'selected';
  readonly suspendedAt: string | null;
}

/** An `installation` (GET /app/installations/{id}). */
export function installation(h: Hosts, i: InstallationFacts) {
  const settings = i.accountType === 'Organization' ? `organizations/${i.account}/settings` : 'settings';
  return {
    id: i.id,
    account: simpleUser(h, i.account, i.accountId, i.accountType),
    repository_selection: i.repositorySelection,
    access_tokens_url: `${h.api}/app/installations/${i.id}/access_tokens`,
    repositories_url: `${h.api}/installation/repositories`,
    html_url: `${h.web}/${settings}/installations/${i.id}`,
    app_id: i.appId,
    target_id: i.accountId,
    target_type: i.accountType,
    permissions: i.permissions,
    events: ['push', 'pull_request'],
    created_at: CREATED,
    updated_at: CREATED,
    single_file_name: null,
    app_slug: i.appSlug,
    suspended_by: i.suspendedAt === null ? null : simpleUser(h, 'admin', 9, 'User'),
    suspended_at: i.suspendedAt,
  };
}

/** An `installation-token` (POST /app/installations/{id}/access_tokens). */
export function installationToken(token: string, expiresAt: string, i: InstallationFacts) {
  return {
    token,
    expires_at: expiresAt,
    permissions: i.permissions,
    repository_selection: i.repositorySelection,
  };
}

/** `rate-limit-overview` (GET /rate_limit). */
export function rateLimitOverview(limit: number, remaining: number, resetSec: number) {
  const core = { limit, remaining, reset: resetSec, used: limit - remaining };
  return { resources: { core, search: { limit: 30, remaining: 30, reset: resetSec, used: 0 } }, rate: core };
}

/** A `content-directory` listing with one README (GET /repos/{o}/{r}/contents/). */
export function contentDirectory(h: Hosts, r: RepoFacts, sha: string) {
  const full = `${r.owner}/${r.name}`;
  const url = `${h.api}/repos/${full}/contents/README.md`;
  const git = `${h.api}/repos/${full}/git/blobs/${sha}`;
  const html = `${h.web}/${full}/blob/${r.defaultBranch}/README.md`;
  return [
    {
      type: 'file',
      size: 12,
      name: 'README.md',
      path: 'README.md',
      sha,
      url,
      git_url: git,
      html_url: html,
      download_url: `${h.web}/raw/${full}/${r.defaultBranch}/README.md`,
      _links: { self: url, git, html },
    },
  ];
}
