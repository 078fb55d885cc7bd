import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import {
  CatalogueError,
  type CatalogueFile,
  clauseScopes,
  findCycle,
  isUnsupported,
  loadCatalogue,
  pointerToKeyPath,
  type Requirement,
} from '../src/core/catalogue/index.ts';
import { catalogue, catalogueFiles, EXPECTED_PROVIDERS } from './catalogue-fixtures.ts';

describe('catalogue files', () => {
  test('every provider file loads through the schema and the cross-reference checks', () => {
    assert.deepEqual(Object.keys(catalogue.providers).sort(), [...EXPECTED_PROVIDERS]);
    assert.equal(catalogueFiles.length, EXPECTED_PROVIDERS.length);
  });

  test('every scope has a source link and every referenced scope exists in its set', () => {
    for (const provider of Object.values(catalogue.providers)) {
      for (const set of Object.values(provider.scopeSets)) {
        for (const [id, scope] of Object.entries(set.scopes)) {
          assert.match(scope.source, /^https:\/\//, `${provider.id} ${id}`);
          for (const implied of scope.implies ?? [])
            assert.ok(set.scopes[implied], `${provider.id} ${id} → ${implied}`);
        }
        assert.equal(findCycle(set), undefined);
      }
      for (const [featureId, feature] of Object.entries(provider.features)) {
        assert.deepEqual(
          Object.keys(feature.credentials).sort(),
          Object.keys(provider.credentialTypes).sort(),
        );
        for (const [typeId, requirement] of Object.entries(feature.credentials)) {
          if (isUnsupported(requirement)) continue;
          const setId = provider.credentialTypes[typeId]?.scopeSet;
          const set = setId === undefined ? undefined : provider.scopeSets[setId];
          for (const scope of requirement.allOf.flatMap(clauseScopes)) {
            assert.ok(set?.scopes[scope], `${provider.id} ${featureId} ${typeId} names unknown ${scope}`);
          }
        }
      }
    }
  });

  test('every credential type marks at least one field secret', () => {
    for (const provider of Object.values(catalogue.providers)) {
      for (const [id, type] of Object.entries(provider.credentialTypes)) {
        assert.ok(
          type.fields.some((field) => field.secret),
          `${provider.id} ${id}`,
        );
      }
    }
  });

  test('github-enterprise keeps the same scopes, credential types and requirements as github', () => {
    const github = catalogue.providers['github'];
    const enterprise = catalogue.providers['github-enterprise'];
    assert.ok(github && enterprise);
    assert.deepEqual(Object.keys(enterprise.credentialTypes), Object.keys(github.credentialTypes));
    for (const [setId, set] of Object.entries(github.scopeSets)) {
      assert.deepEqual(Object.keys(enterprise.scopeSets[setId]?.scopes ?? {}), Object.keys(set.scopes));
    }
    for (const [featureId, feature] of Object.entries(github.features)) {
      for (const [typeId, requirement] of Object.entries(feature.credentials)) {
        const other: Requirement | undefined = enterprise.features[featureId]?.credentials[typeId];
        assert.ok(other, `${featureId} ${typeId}`);
        const shape = (r: Requirement) => (isUnsupported(r) ? 'unsupported' : r.allOf);
        assert.deepEqual(shape(other), shape(requirement), `${featureId} ${typeId}`);
      }
    }
  });
});

type Node = { [key: string]: unknown };

/** Sets (or deletes, when `value` is undefined) the key at `at` of a parsed file. */
function setAt(data: Node, at: readonly string[], value: unknown): void {
  const parent = at.slice(0, -1).reduce((node, key) => node[key] as Node, data);
  const last = at.at(-1) ?? '';
  if (value === undefined) delete parent[last];
  else parent[last] = value;
}

/** The github file, parsed, changed at `at` and written back as a catalogue file. */
function mutatedGithub(at: readonly string[] = [], value?: unknown, name = 'github.yaml'): CatalogueFile {
  const original = catalogueFiles.find((file) => file.name === 'github.yaml');
  assert.ok(original);
  const data = parse(original.text, { maxAliasCount: 1000 }) as Node;
  if (at.length > 0) setAt(data, at, value);
  return { name, text: stringify(data, { aliasDuplicateObjects: false }) };
}

function issuesOf(files: CatalogueFile[]): { file: string; path: string; message: string }[] {
  try {
    loadCatalogue(files);
  } catch (error) {
    assert.ok(error instanceof CatalogueError);
    assert.equal(error.code, 'catalogue_invalid');
    return [...error.issues];
  }
  assert.fail('the catalogue loaded although it is invalid');
}

describe('a bad catalogue file', () => {
  const cases: { name: string; at: string[]; value?: unknown; path: string; message: RegExp }[] = [
    {
      name: 'a scope without a source',
      at: ['scopeSets', 'oauth', 'scopes', 'repo', 'source'],
      path: 'scopeSets.oauth.scopes.repo',
      message: /missing key\(s\): source/,
    },
    {
      name: 'an unknown key',
      at: ['credentialTypes', 'classic-pat', 'colour'],
      value: 'blue',
      path: 'credentialTypes.classic-pat',
      message: /unknown key\(s\): colour/,
    },
    {
      name: 'a requirement naming a scope that does not exist',
      at: ['features', 'clone', 'credentials', 'classic-pat'],
      value: { allOf: ['repo:everything'], why: 'x' },
      path: 'features.clone.credentials.classic-pat.allOf[0]',
      message: /"repo:everything" is not in/,
    },
    {
      name: 'an implied scope that does not exist',
      at: ['scopeSets', 'oauth', 'scopes', 'user', 'implies'],
      value: ['read:user', 'user:nothing'],
      path: 'scopeSets.oauth.scopes.user.implies',
      message: /"user:nothing"/,
    },
    {
      name: 'an implication cycle',
      at: ['scopeSets', 'oauth', 'scopes', 'read:org', 'implies'],
      value: ['admin:org'],
      path: 'scopeSets.oauth.scopes',
      message: /cycle: .*admin:org/,
    },
    {
      name: 'a feature without a requirement for a credential type',
      at: ['features', 'push', 'credentials', 'oauth-app'],
      path: 'features.push.credentials',
      message: /"oauth-app"/,
    },
    {
      name: 'an unknown feature id',
      at: ['features', 'make-coffee'],
      value: { credentials: {} },
      path: 'features.make-coffee',
      message: /Unknown feature id/,
    },
    {
      name: 'a source that is not an https link',
      at: ['scopeSets', 'oauth', 'scopes', 'gist', 'source'],
      value: 'see the docs',
      path: 'scopeSets.oauth.scopes.gist.source',
      message: /pattern/,
    },
  ];
  for (const { name, at, value, path, message } of cases) {
    test(`${name} fails naming the file and the key path`, () => {
      const issues = issuesOf([mutatedGithub(at, value)]);
      const issue = issues.find((i) => i.path === path);
      assert.ok(issue, `no issue at ${path}: ${JSON.stringify(issues)}`);
      assert.equal(issue.file, 'github.yaml');
      assert.match(issue.message, message);
    });
  }

  test('the error message names the file and the key', () => {
    assert.throws(
      () => loadCatalogue([mutatedGithub(['scopeSets', 'oauth', 'scopes', 'repo', 'source'])]),
      /github\.yaml: scopeSets\.oauth\.scopes\.repo: missing key\(s\): source/,
    );
  });

  test('a YAML syntax error names the file and the line', () => {
    const issues = issuesOf([{ name: 'github.yaml', text: 'id: github\nname: [unclosed\n' }]);
    assert.equal(issues[0]?.file, 'github.yaml');
    assert.match(issues[0]?.message ?? '', /YAML syntax: .*line \d+/);
  });

  test('a file named after another provider is refused', () => {
    const issues = issuesOf([mutatedGithub([], undefined, 'gitlab.yaml')]);
    assert.deepEqual(
      issues.map((i) => [i.file, i.path]),
      [['gitlab.yaml', 'id']],
    );
  });

  test('issues of every file are reported together, none swallowed', () => {
    const issues = issuesOf([
      mutatedGithub(['scopeSets', 'oauth', 'scopes', 'repo', 'source']),
      { name: 'gitlab.yaml', text: 'id: gitlab\n' },
    ]);
    assert.deepEqual([...new Set(issues.map((i) => i.file))].sort(), ['github.yaml', 'gitlab.yaml']);
  });

  test('an empty list of files is an error, not an empty catalogue', () => {
    assert.throws(() => loadCatalogue([]), CatalogueError);
  });
});

describe('pointerToKeyPath', () => {
  test('turns a JSON pointer into a dotted key path with indexes', () => {
    assert.equal(pointerToKeyPath(''), '');
    assert.equal(pointerToKeyPath('/features/clone/credentials/0'), 'features.clone.credentials[0]');
    assert.equal(pointerToKeyPath('/a~1b/c~0d'), 'a/b.c~d');
  });
});
