import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import {
  DIAGNOSE_RULES,
  type DiagnoseIntegration,
  diagnose,
  isLayer,
  type Layer,
  ruleProblems,
} from './index.ts';

interface Row {
  readonly text: string;
  readonly source: string;
  readonly layer: Layer;
  readonly status?: number;
  readonly provider?: string;
  readonly integration?: string | null;
}

const fixture = parse(
  readFileSync(new URL('./__fixtures__/error-strings.yaml', import.meta.url), 'utf8'),
) as {
  integrations: DiagnoseIntegration[];
  rows: Row[];
};

/** Text rules with no real error string in the table yet; adding a row for one must remove it here. */
const NOT_YET_SOURCED = [
  's3-no-such-bucket',
  's3-wrong-region',
  'aws-invalid-client-token',
  'aws-no-credentials',
  'git-http-404',
  'webhook-disabled',
  'tls-certificate-expired',
];

function run(row: Row) {
  return diagnose({
    text: row.text,
    ...(row.status === undefined ? {} : { status: row.status }),
    ...(row.provider === undefined ? {} : { provider: row.provider }),
    ...(row.integration === undefined ? {} : { integrations: fixture.integrations }),
  });
}

describe('the error-string table', () => {
  test('holds at least 40 real strings, each with its source and a known layer', () => {
    assert.ok(fixture.rows.length >= 40, `${fixture.rows.length} rows`);
    for (const row of fixture.rows) {
      assert.equal(typeof row.text, 'string');
      assert.match(row.source, /^(https:\/\/\S+|Keyhouse \S.*)$/, row.text);
      assert.ok(isLayer(row.layer) && row.layer !== 'unknown', row.layer);
    }
    assert.equal(new Set(fixture.rows.map((row) => row.text)).size, fixture.rows.length, 'no duplicate rows');
  });

  for (const row of fixture.rows) {
    test(`${row.layer} ← ${row.text.replaceAll('\n', ' ').slice(0, 70)}`, () => {
      const result = run(row);
      assert.equal(result.layer, row.layer, `matched: ${result.matched.join(', ')}`);
      assert.ok(result.confidence > 0.5, `confidence ${result.confidence}`);
      const top = DIAGNOSE_RULES.find((rule) => rule.id === result.matched[0]);
      assert.equal(top?.layer, row.layer, 'the first matched rule is the one that decided');
      assert.ok(result.steps.length > 0);
      assert.ok(!result.alternatives.some((alt) => alt.layer === result.layer));
      if (row.integration !== undefined) assert.equal(result.integration?.id, row.integration ?? undefined);
    });
  }

  test('exercises every text rule, except the ones listed as not yet sourced', () => {
    const fired = new Set(fixture.rows.flatMap((row) => run(row).matched));
    const silent = DIAGNOSE_RULES.filter((rule) => rule.when !== undefined && !fired.has(rule.id)).map(
      (rule) => rule.id,
    );
    assert.deepEqual(silent.sort(), [...NOT_YET_SOURCED].sort());
  });
});

describe('the rule table', () => {
  test('is sound: ids, layers, weights, phrases and statuses', () => {
    assert.deepEqual(ruleProblems(DIAGNOSE_RULES), []);
  });

  test('is documented: docs/diagnose.md names every rule', () => {
    const docs = readFileSync(new URL('../../../docs/diagnose.md', import.meta.url), 'utf8');
    const missing = DIAGNOSE_RULES.filter((rule) => !docs.includes(`| \`${rule.id}\` |`)).map(
      (rule) => rule.id,
    );
    assert.deepEqual(missing, []);
  });

  test('reports its own mistakes', () => {
    const bad = { ...DIAGNOSE_RULES[0]!, id: 'Bad Id', weight: 1.5, when: [['UP'], []] };
    const { when: _unused, ...withoutText } = bad;
    const problems = ruleProblems([bad, bad, { ...withoutText, id: 'no-trigger', status: [] }]);
    for (const expected of [
      'not kebab-case',
      'duplicate id',
      'weight',
      'not lower-case',
      'too short',
      'empty',
    ]) {
      assert.ok(
        problems.some((problem) => problem.includes(expected)),
        expected,
      );
    }
    assert.ok(problems.some((problem) => problem.includes('neither text nor status')));
  });
});

describe('a Keyhouse permission error', () => {
  test('names the integration and who can grant it, even without the integration list', () => {
    const result = diagnose({
      text: 'Missing permissions to the following integration: Docker Hub',
      status: 403,
    });
    assert.equal(result.layer, 'keyhouse-permission');
    assert.equal(result.integration, undefined);
    assert.match(result.title, /Docker Hub/);
    assert.match(result.steps.join(' '), /USE or MANAGE on Docker Hub .*add this pipeline/);
    assert.deepEqual(result.matched, ['keyhouse-missing-integration-permission']);
  });

  test('names the listed integration that exists, not a look-alike found by host', () => {
    const integrations = [
      {
        id: 'a',
        name: 'Registry',
        provider: 'docker-registry',
        config: { registry: 'registry.example.org' },
      },
      { id: 'b', name: 'docker hub', provider: 'docker-registry' },
    ];
    const text =
      'pull from registry.example.org: Missing permissions to the following integration: Docker Hub.';
    assert.equal(diagnose({ text, integrations }).integration?.id, 'b');
  });
});

describe('the integration named', () => {
  const integrations = [
    { id: 'gh', name: 'GitHub', provider: 'github', config: { host: 'https://github.com' } },
    { id: 'ghcr', name: 'GHCR', provider: 'docker-registry', config: { registry: 'ghcr.io' } },
  ];
  test('is one whose provider fits the layer', () => {
    const text =
      'denied: requested access to the resource is denied (ghcr.io/org/app, built from github.com/org/app)';
    assert.equal(diagnose({ text, integrations }).integration?.id, 'ghcr');
    const git = "fatal: Authentication failed for 'https://github.com/org/app.git' (image ghcr.io/org/app)";
    assert.equal(diagnose({ text: git, integrations }).integration?.id, 'gh');
  });
  test('is only a whole host name', () => {
    const text = "fatal: Authentication failed for 'https://mygithub.com/org/app.git'";
    assert.equal(diagnose({ text, integrations }).integration, undefined);
  });
});

const STATUS_TABLE: readonly [status: number, provider: string | undefined, layer: Layer][] = [
  [429, undefined, 'rate-limit'],
  [429, 'github', 'rate-limit'],
  [401, 'docker-registry', 'registry-credential'],
  [403, 'docker-registry', 'registry-credential'],
  [403, 's3', 'backup-storage'],
  [401, 'aws', 'aws-iam'],
  [401, 'github', 'git-credential'],
  [403, 'gitlab', 'scope-missing'],
  [404, 'bitbucket-cloud', 'git-credential'],
  [401, undefined, 'git-credential'],
  [401, 'some-other-host', 'git-credential'],
  [403, undefined, 'scope-missing'],
  [407, undefined, 'network-dns'],
  [503, 'gitlab', 'network-dns'],
  [200, 'github', 'unknown'],
  [404, undefined, 'unknown'],
];

describe('a bare status', () => {
  for (const [status, provider, layer] of STATUS_TABLE) {
    test(`${status} from ${provider ?? 'an unknown provider'} is ${layer}`, () => {
      const result = diagnose({ text: '', status, ...(provider === undefined ? {} : { provider }) });
      assert.equal(result.layer, layer);
    });
  }

  test('weighs less than any text rule', () => {
    const text = 'toomanyrequests: You have reached your pull rate limit.';
    assert.equal(diagnose({ text, status: 401, provider: 'docker-registry' }).layer, 'rate-limit');
  });
});
