/**
 * Checks the catalogue against the hosts' own data: GitHub's fine-grained PAT and GitHub App
 * permission maps (github/docs) and Azure DevOps' per-operation scopes (vsts-rest-api-specs).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  expandScopes,
  isUnsupported,
  type Provider,
  requirementClauses,
  type SupportedRequirement,
  scopeSetOf,
  solveClauses,
} from '../src/core/catalogue/index.ts';
import { catalogueEndpoints } from './catalogue-extract-host-data.ts';
import { catalogue, readTestData } from './catalogue-fixtures.ts';

interface GithubEntry {
  verb: string;
  requestPath: string;
  access: string;
  'additional-permissions': boolean;
  'server-to-server'?: boolean;
}
type GithubMap = Record<string, { permissions: GithubEntry[] }>;

const fineGrained = await readTestData<GithubMap>('github/fine-grained-pat-permissions.extract.json');
const serverToServer = await readTestData<GithubMap>('github/server-to-server-permissions.extract.json');
const extractedGithub = await readTestData<string[]>('github/extracted-endpoints.json');
const azure = await readTestData<{
  extractedFor: string[];
  operations: { method: string; path: string; scopes: string[]; operationId: string }[];
}>('azure-devops/vso-scopes.extract.json');

/** Every (feature, credential type, requirement) of a provider that lists endpoints. */
function withEndpoints(provider: Provider, typeIds: readonly string[]) {
  return Object.entries(provider.features).flatMap(([feature, entry]) =>
    typeIds.flatMap((typeId) => {
      const requirement = entry.credentials[typeId];
      return requirement === undefined || isUnsupported(requirement) || requirement.endpoints === undefined
        ? []
        : [{ feature, typeId, requirement }];
    }),
  );
}

/** The permissions the catalogue asks for (least privilege, expanded, plus always-granted ones). */
function granted(provider: Provider, typeId: string, requirement: SupportedRequirement): Set<string> {
  const type = provider.credentialTypes[typeId];
  assert.ok(type);
  const set = scopeSetOf(provider, type);
  const chosen = solveClauses(set, requirementClauses(requirement));
  return new Set(expandScopes(set, [...chosen, ...(set.alwaysGranted ?? [])]));
}

function githubEntries(map: GithubMap, method: string, path: string) {
  return Object.entries(map).flatMap(([permission, value]) =>
    value.permissions
      .filter((e) => e.verb.toUpperCase() === method && e.requestPath === path)
      .map((e) => ({ permission, ...e })),
  );
}

for (const providerId of ['github', 'github-enterprise']) {
  const provider = catalogue.providers[providerId];
  assert.ok(provider);
  describe(`${providerId} against GitHub's permission data`, () => {
    test('the data extract covers every endpoint the catalogue names (else re-run the extractor)', () => {
      for (const endpoint of catalogueEndpoints(provider))
        assert.ok(extractedGithub.includes(endpoint), endpoint);
    });

    const kinds = [
      { typeId: 'fine-grained-pat', data: fineGrained },
      { typeId: 'github-app', data: serverToServer },
    ];
    for (const { typeId, data } of kinds) {
      for (const { feature, requirement } of withEndpoints(provider, [typeId])) {
        test(`${typeId} ${feature}: the named permissions permit every endpoint, none missing, none excess`, () => {
          const held = granted(provider, typeId, requirement);
          const used = new Set<string>();
          for (const endpoint of requirement.endpoints ?? []) {
            const entries = githubEntries(data, endpoint.method, endpoint.path);
            const label = `${endpoint.method} ${endpoint.path}`;
            if (endpoint.permission === 'none') {
              assert.deepEqual(entries, [], `${label} is gated by a permission in GitHub's data`);
              continue;
            }
            assert.ok(entries.length > 0, `${label} is not usable with ${typeId} according to GitHub's data`);
            if (typeId === 'github-app') {
              assert.ok(
                entries.some((e) => e['server-to-server'] !== false),
                `${label} refuses installation tokens`,
              );
            }
            // An endpoint listed under several permissions is permitted by any one of them; the others are
            // conditional (workflows:write only for workflow files) or alternatives (issues or pull_requests).
            const permitting = entries.filter((e) => held.has(`${e.permission}:${e.access}`));
            assert.ok(
              permitting.length > 0,
              `${label} needs one of ${[...new Set(entries.map((e) => `${e.permission}:${e.access}`))].join(', ')}`,
            );
            for (const e of permitting) used.add(`${e.permission}:${e.access}`);
          }
          const type = provider.credentialTypes[typeId];
          assert.ok(type);
          const set = scopeSetOf(provider, type);
          const chosen = solveClauses(set, requirementClauses(requirement)).filter(
            (scope) => !(set.alwaysGranted ?? []).includes(scope),
          );
          for (const scope of chosen) {
            const reach = expandScopes(set, [scope]);
            assert.ok(
              reach.some((s) => used.has(s)),
              `${scope} is not needed by any endpoint of ${feature}`,
            );
          }
        });
      }
    }

    test('post-checks: check runs are absent from the fine-grained PAT data and need checks:write for Apps', () => {
      for (const path of [
        '/repos/{owner}/{repo}/check-runs',
        '/repos/{owner}/{repo}/check-runs/{check_run_id}',
      ]) {
        const method = path.endsWith('}') ? 'PATCH' : 'POST';
        assert.deepEqual(githubEntries(fineGrained, method, path), []);
        assert.deepEqual(
          githubEntries(serverToServer, method, path).map((e) => `${e.permission}:${e.access}`),
          ['checks:write'],
        );
      }
      const requirement = provider.features['post-checks']?.credentials['fine-grained-pat'];
      assert.ok(requirement && isUnsupported(requirement));
    });
  });
}

describe('azure-devops against the vso.* scopes of the REST specification', () => {
  const provider = catalogue.providers['azure-devops'];
  assert.ok(provider);
  test('the data extract covers every endpoint the catalogue names', () => {
    for (const endpoint of catalogueEndpoints(provider))
      assert.ok(azure.extractedFor.includes(endpoint), endpoint);
  });
  for (const { feature, typeId, requirement } of withEndpoints(provider, ['pat', 'entra-oauth'])) {
    test(`${typeId} ${feature}: the named scopes are accepted by every operation`, () => {
      const held = granted(provider, typeId, requirement);
      const used = new Set<string>();
      for (const endpoint of requirement.endpoints ?? []) {
        const op = azure.operations.find((o) => o.method === endpoint.method && o.path === endpoint.path);
        assert.ok(op, `${endpoint.method} ${endpoint.path} is not in the specification`);
        assert.ok(op.scopes.length > 0, `${op.operationId} names no scope`);
        // The specification's list means "any one of these".
        const accepted = op.scopes.filter((scope) => held.has(scope));
        assert.ok(accepted.length > 0, `${op.operationId} accepts ${op.scopes.join(' or ')}`);
        for (const scope of accepted) used.add(scope);
      }
      const set = provider.scopeSets['vso'];
      assert.ok(set);
      for (const scope of solveClauses(set, requirementClauses(requirement))) {
        assert.ok(
          expandScopes(set, [scope]).some((s) => used.has(s)),
          `${scope} is not needed by ${feature}`,
        );
      }
    });
  }
});
