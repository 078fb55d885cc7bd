import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { compare, expandScopes, leastPrivilege, scopeSetOf } from '../src/core/catalogue/index.ts';
import { catalogue } from './catalogue-fixtures.ts';

const providers = Object.values(catalogue.providers);

/** A scope set of the catalogue and a list of scopes, some of them unknown to it. */
const setAndScopes = fc.constantFrom(...providers.flatMap((p) => Object.values(p.scopeSets))).chain((set) =>
  fc.tuple(
    fc.constant(set),
    fc.array(fc.oneof(fc.constantFrom(...Object.keys(set.scopes)), fc.string({ maxLength: 6 })), {
      maxLength: 8,
    }),
    fc.array(fc.constantFrom(...Object.keys(set.scopes)), { maxLength: 4 }),
  ),
);

/** A provider, one of its credential types and a subset of its features. */
const question = fc
  .constantFrom(...providers)
  .chain((provider) =>
    fc.tuple(
      fc.constant(provider),
      fc.constantFrom(...Object.keys(provider.credentialTypes)),
      fc.subarray(Object.keys(provider.features)),
    ),
  );

describe('expandScopes', () => {
  test('is idempotent', () => {
    fc.assert(
      fc.property(setAndScopes, ([set, scopes]) => {
        const once = expandScopes(set, scopes);
        assert.deepEqual(expandScopes(set, once), once);
      }),
    );
  });
  test('is monotonic and keeps its input', () => {
    fc.assert(
      fc.property(setAndScopes, ([set, scopes, more]) => {
        const small = expandScopes(set, scopes);
        const large = new Set(expandScopes(set, [...scopes, ...more]));
        for (const scope of [...small, ...scopes]) assert.ok(large.has(scope), scope);
      }),
    );
  });
});

describe('leastPrivilege against compare', () => {
  test('the least-privilege set satisfies every supported feature', () => {
    fc.assert(
      fc.property(question, ([provider, credentialType, features]) => {
        const request = { provider: provider.id, credentialType, features };
        const grantedScopes = leastPrivilege(catalogue, request).scopes.map((s) => s.scope);
        const result = compare(catalogue, { ...request, grantedScopes });
        assert.deepEqual(
          result.features.filter((f) => f.status === 'missing'),
          [],
        );
        assert.deepEqual(result.excess, []);
        assert.deepEqual(result.toAdd, []);
      }),
      { numRuns: 300 },
    );
  });

  test('removing any one scope of a least-privilege set leaves some feature missing', () => {
    fc.assert(
      fc.property(question, ([provider, credentialType, features]) => {
        const request = { provider: provider.id, credentialType, features };
        const chosen = leastPrivilege(catalogue, request).scopes.map((s) => s.scope);
        const type = provider.credentialTypes[credentialType];
        assert.ok(type);
        const always = scopeSetOf(provider, type).alwaysGranted ?? [];
        for (const removed of chosen.filter((scope) => !always.includes(scope))) {
          const grantedScopes = chosen.filter((scope) => scope !== removed);
          const result = compare(catalogue, { ...request, grantedScopes });
          assert.ok(
            result.features.some((f) => f.status === 'missing'),
            `${provider.id} ${credentialType} still satisfied without ${removed}`,
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});
