import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CatalogueError,
  compare,
  leastPrivilege,
  type ScopeSet,
  solveClauses,
  tokenCreationUrl,
} from '../src/core/catalogue/index.ts';
import { catalogue } from './catalogue-fixtures.ts';

const scopesOf = (provider: string, credentialType: string, features: string[]) =>
  leastPrivilege(catalogue, { provider, credentialType, features }).scopes.map((s) => s.scope);

const GITLAB_ALL = [
  'read-repository-contents',
  'list-repositories',
  'list-organisations',
  'clone',
  'push',
  'open-pull-requests',
  'post-commit-statuses',
  'manage-webhooks',
];

describe('the seed facts', () => {
  const table: { fact: string; provider: string; type: string; features: string[]; scopes: string[] }[] = [
    {
      fact: 'classic repo covers reading manifests and fix pull requests',
      provider: 'github',
      type: 'classic-pat',
      features: ['read-repository-contents', 'open-pull-requests'],
      scopes: ['repo'],
    },
    {
      fact: 'webhooks need admin:repo_hook',
      provider: 'github',
      type: 'classic-pat',
      features: ['manage-webhooks'],
      scopes: ['admin:repo_hook'],
    },
    {
      fact: 'importing projects needs repo and read:org',
      provider: 'github',
      type: 'classic-pat',
      features: ['list-repositories', 'list-organisations'],
      scopes: ['read:org', 'repo'],
    },
    {
      fact: 'GitLab needs api for all of it',
      provider: 'gitlab',
      type: 'personal-access-token',
      features: GITLAB_ALL,
      scopes: ['api'],
    },
    {
      fact: 'Bitbucket Cloud API tokens need read:repository:bitbucket for test results',
      provider: 'bitbucket-cloud',
      type: 'api-token',
      features: ['post-commit-statuses'],
      scopes: ['read:repository:bitbucket'],
    },
    {
      fact: 'Azure needs Code read & write',
      provider: 'azure-devops',
      type: 'pat',
      features: ['read-repository-contents', 'clone', 'push', 'open-pull-requests', 'post-commit-statuses'],
      scopes: ['vso.code_write'],
    },
  ];
  for (const { fact, provider, type, features, scopes } of table) {
    test(fact, () => assert.deepEqual(scopesOf(provider, type, features), scopes));
  }

  test('GitLab webhooks need the Maintainer role', () => {
    const result = leastPrivilege(catalogue, {
      provider: 'gitlab',
      credentialType: 'personal-access-token',
      features: GITLAB_ALL,
    });
    const role = result.roles.find((r) => r.feature === 'manage-webhooks')?.role;
    assert.deepEqual([role?.name, role?.accessLevel], ['Maintainer', 40]);
  });

  test('Bitbucket Cloud API tokens need read:webhook:bitbucket and write:webhook:bitbucket for webhooks', () => {
    const scopes = scopesOf('bitbucket-cloud', 'api-token', ['manage-webhooks']);
    for (const scope of ['read:webhook:bitbucket', 'write:webhook:bitbucket'])
      assert.ok(scopes.includes(scope), scope);
  });

  test('a fine-grained PAT cannot post check runs; a GitHub App can', () => {
    const pat = leastPrivilege(catalogue, {
      provider: 'github',
      credentialType: 'fine-grained-pat',
      features: ['post-checks'],
    });
    assert.deepEqual(pat.scopes, []);
    assert.match(pat.unsupported[0]?.reason ?? '', /GitHub App/);
    assert.deepEqual(scopesOf('github', 'github-app', ['post-checks']), ['checks:write']);
  });
});

describe('leastPrivilege', () => {
  test('gives every scope its reasons and a prefilled creation link', () => {
    const result = leastPrivilege(catalogue, {
      provider: 'github',
      credentialType: 'classic-pat',
      features: ['read-repository-contents', 'list-organisations'],
      tokenName: 'CI scanner',
    });
    assert.deepEqual(
      result.scopes.find((s) => s.scope === 'repo')?.neededBy.map((u) => u.feature),
      ['read-repository-contents'],
    );
    assert.equal(
      result.tokenCreationUrl,
      'https://github.com/settings/tokens/new?description=CI%20scanner&scopes=read:org,repo',
    );
  });

  test('keeps {host} in the link when the provider has no default host and none is given', () => {
    const result = leastPrivilege(catalogue, {
      provider: 'github-enterprise',
      credentialType: 'classic-pat',
      features: ['clone'],
    });
    assert.equal(
      result.tokenCreationUrl,
      'https://{host}/settings/tokens/new?description=Keyhouse&scopes=repo',
    );
    const hosted = leastPrivilege(catalogue, {
      provider: 'github-enterprise',
      credentialType: 'classic-pat',
      features: ['clone'],
      host: 'https://git.example.com/',
    });
    assert.match(hosted.tokenCreationUrl ?? '', /^https:\/\/git\.example\.com\/settings\/tokens\/new\?/);
  });

  test('writes App permissions as URL parameters', () => {
    const result = leastPrivilege(catalogue, {
      provider: 'github',
      credentialType: 'github-app',
      features: ['post-checks'],
    });
    assert.equal(
      result.tokenCreationUrl,
      'https://github.com/settings/apps/new?name=Keyhouse&checks=write&metadata=read',
    );
  });

  test('refuses unknown providers, credential types and features with a coded error', () => {
    const codes = [
      { provider: 'nope', credentialType: 'x', features: [] },
      { provider: 'github', credentialType: 'nope', features: [] },
      { provider: 'github', credentialType: 'classic-pat', features: ['provision-compute'] },
    ].map((request) => {
      try {
        leastPrivilege(catalogue, request);
        return 'none';
      } catch (error) {
        return error instanceof CatalogueError ? error.code : 'other';
      }
    });
    assert.deepEqual(codes, ['unknown_provider', 'unknown_credential_type', 'unknown_feature']);
  });
});

describe('compare', () => {
  test('reports missing clauses with what would satisfy them, and the scopes to add', () => {
    const result = compare(catalogue, {
      provider: 'github',
      credentialType: 'classic-pat',
      features: ['list-organisations', 'manage-webhooks'],
      grantedScopes: ['read:org'],
    });
    assert.equal(result.ok, false);
    const hooks = result.features.find((f) => f.feature === 'manage-webhooks');
    assert.ok(hooks?.status === 'missing');
    assert.deepEqual(hooks.missing, [{ anyOf: ['admin:repo_hook', 'repo'] }]);
    assert.deepEqual(result.toAdd, ['admin:repo_hook']);
  });

  test('expands implications before comparing, and names excess, broader, redundant and unknown scopes', () => {
    const result = compare(catalogue, {
      provider: 'github',
      credentialType: 'classic-pat',
      features: ['post-commit-statuses', 'read-org-members'],
      grantedScopes: ['repo', 'admin:org', 'read:org', 'gist', 'not_a_scope', ' '],
    });
    assert.equal(result.ok, true);
    assert.deepEqual(result.excess, ['gist']);
    assert.deepEqual(result.broader, [
      { scope: 'admin:org', enough: ['read:org'] },
      { scope: 'repo', enough: ['repo:status'] },
    ]);
    assert.deepEqual(result.redundant, ['read:org']);
    assert.deepEqual(result.unknown, ['not_a_scope']);
  });

  test('counts always-granted permissions (GitHub metadata:read)', () => {
    const result = compare(catalogue, {
      provider: 'github',
      credentialType: 'fine-grained-pat',
      features: ['list-repositories'],
      grantedScopes: [],
    });
    assert.equal(result.ok, true);
  });

  test('an unsupported feature is reported with its reason and never satisfied', () => {
    const result = compare(catalogue, {
      provider: 'github',
      credentialType: 'classic-pat',
      features: ['post-checks'],
      grantedScopes: ['repo'],
    });
    assert.equal(result.ok, false);
    assert.equal(result.features[0]?.status, 'unsupported');
  });
});

describe('solveClauses', () => {
  const set: ScopeSet = {
    name: 'test',
    source: 'https://example.com',
    scopes: {
      all: { description: 'all', source: 'https://example.com', implies: ['a', 'b', 'c'] },
      ab: { description: 'ab', source: 'https://example.com', implies: ['a', 'b'] },
      a: { description: 'a', source: 'https://example.com' },
      b: { description: 'b', source: 'https://example.com' },
      c: { description: 'c', source: 'https://example.com' },
    },
  };
  test('prefers fewer scopes, then the narrower of equal-sized answers', () => {
    assert.deepEqual(
      solveClauses(set, [
        ['a', 'ab'],
        ['b', 'ab'],
      ]),
      ['ab'],
    );
    assert.deepEqual(
      solveClauses(set, [
        ['a', 'all'],
        ['b', 'ab', 'all'],
      ]),
      ['ab'],
    );
    assert.deepEqual(
      solveClauses(set, [
        ['a', 'all'],
        ['c', 'all'],
        ['b', 'all'],
      ]),
      ['all'],
    );
    assert.deepEqual(solveClauses(set, [['ab', 'all']]), ['ab']);
  });
  test('uses an implying scope that a clause names to cover another clause', () => {
    assert.deepEqual(solveClauses(set, [['a'], ['ab']]), ['ab']);
  });
  test('an empty list of clauses needs nothing; an empty clause is impossible', () => {
    assert.deepEqual(solveClauses(set, []), []);
    assert.throws(() => solveClauses(set, [[]]));
  });
});

describe('tokenCreationUrl', () => {
  test('encodes the name and the scopes', () => {
    const url = tokenCreationUrl(
      {
        url: 'https://{host}/new?name={name}&scopes={scopes}',
        scopeFormat: 'space',
        source: 'https://example.com',
      },
      ['a b', 'c:d'],
      { host: 'example.com', name: 'x&y' },
    );
    assert.equal(url, 'https://example.com/new?name=x%26y&scopes=a%20b+c:d');
  });
});
