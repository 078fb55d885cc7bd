import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  actionBit,
  compareLevels,
  defaultPermissions,
  levelAllows,
  levelNamed,
  levelsAllowing,
  maxLevel,
  minimalLevelFor,
  minLevel,
  nameBit,
  nameLookup,
  roleNamed,
  validatePermissions,
} from './levels.ts';
import { INTEGRATION_ACTIONS, type IntegrationAction, LEVELS, type Level, ROLES } from './types.ts';

const ACTION_TABLE: readonly [
  IntegrationAction,
  DENY: boolean,
  DELETE_ONLY: boolean,
  USE: boolean,
  MANAGE: boolean,
][] = [
  ['integration.view', false, true, true, true],
  ['integration.use', false, false, true, true],
  ['integration.verify', false, false, true, true],
  ['integration.grant-pipeline', false, false, true, true],
  ['integration.edit', false, false, false, true],
  ['integration.manage-permissions', false, false, false, true],
  ['integration.delete', false, true, false, true],
];

describe('levels', () => {
  test('names each stored level and role by its own name, and any other text by the lowest (fails closed)', () => {
    // As a driver hands them: a string of its own, equal to the name.
    const fresh = (text: string): string => [...text].join('');
    for (const level of LEVELS) assert.equal(levelNamed(fresh(level)), level);
    for (const role of ROLES) assert.equal(roleNamed(fresh(role)), role);
    for (const text of ['', 'use', 'Manage', 'admin', 'DELETE-ONLY', 'MANAGE '])
      assert.equal(levelNamed(text), 'DENY');
    for (const text of ['', 'Admin', 'USE', 'collaborators', 'owner'])
      assert.equal(roleNamed(text), 'member');
  });

  test('orders DENY < DELETE_ONLY < USE < MANAGE', () => {
    const order: Level[] = ['DENY', 'DELETE_ONLY', 'USE', 'MANAGE'];
    for (let a = 0; a < order.length; a++) {
      for (let b = 0; b < order.length; b++) {
        assert.equal(Math.sign(compareLevels(order[a]!, order[b]!)), Math.sign(a - b));
        assert.equal(maxLevel(order[a]!, order[b]!), order[Math.max(a, b)]);
        assert.equal(minLevel(order[a]!, order[b]!), order[Math.min(a, b)]);
      }
    }
  });

  for (const [action, ...allowed] of ACTION_TABLE) {
    test(`${action} is allowed exactly at ${(['DENY', 'DELETE_ONLY', 'USE', 'MANAGE'] as const).filter((_, k) => allowed[k]).join(', ')}`, () => {
      (['DENY', 'DELETE_ONLY', 'USE', 'MANAGE'] as const).forEach((level, k) => {
        assert.equal(levelAllows(level, action), allowed[k], `${level} ${action}`);
      });
    });
  }

  test('delete needs DELETE_ONLY or MANAGE: USE cannot delete although it is higher', () => {
    assert.deepEqual(levelsAllowing('integration.delete'), ['DELETE_ONLY', 'MANAGE']);
    assert.equal(minimalLevelFor('integration.delete'), 'DELETE_ONLY');
    assert.equal(minimalLevelFor('integration.edit'), 'MANAGE');
    assert.equal(minimalLevelFor('integration.grant-pipeline'), 'USE');
  });

  test('defaults: admins MANAGE, others USE, the creator MANAGE, every pipeline allowed', () => {
    assert.deepEqual(defaultPermissions('ann'), {
      permissions: {
        admins: { level: 'MANAGE' },
        others: { level: 'USE' },
        users: [{ id: 'ann', level: 'MANAGE' }],
        groups: [],
      },
      allowedPipelines: 'ALL',
    });
    assert.deepEqual(defaultPermissions().permissions.users, []);
  });

  test('rejects admins below DELETE_ONLY and duplicate entries with clear problems', () => {
    const base = defaultPermissions('ann').permissions;
    assert.deepEqual(validatePermissions(base), []);
    const problems = validatePermissions({
      ...base,
      admins: { level: 'DENY' },
      users: [
        { id: 'ann', level: 'USE' },
        { id: 'ann', level: 'DENY' },
      ],
      groups: [
        { id: 'ops', level: 'USE' },
        { id: 'ops', level: 'USE' },
      ],
    });
    assert.deepEqual(
      problems.map((p) => [p.code, p.path]),
      [
        ['admins_below_delete_only', 'admins.level'],
        ['duplicate_user_entry', 'users[1].id'],
        ['duplicate_group_entry', 'groups[1].id'],
      ],
    );
    assert.match(problems[0]!.message, /DELETE_ONLY, USE or MANAGE, not DENY/);
    for (const level of ['DELETE_ONLY', 'USE', 'MANAGE'] as const) {
      assert.deepEqual(validatePermissions({ ...base, admins: { level } }), []);
    }
  });
});

describe('actionBit and name lookups', () => {
  /** A string of its own, equal to `text` (as a request or a driver hands one over). */
  const fresh = (text: string): string => [...text].join('');
  /** The reference: the n-th name's bit, 0 for any other text. */
  const reference = (names: readonly string[], text: string): number => {
    const n = names.indexOf(text);
    return n < 0 ? 0 : 1 << n;
  };

  test('each action is its own bit, whether passed as the constant or as a string of its own', () => {
    for (const [n, action] of INTEGRATION_ACTIONS.entries()) {
      assert.equal(actionBit(action), 1 << n, action);
      assert.equal(actionBit(fresh(action) as IntegrationAction), 1 << n, action);
    }
  });

  test("any other text is 0, also one that has an action's length and letter after the dot", () => {
    for (const text of [
      '',
      'integration.',
      'integration.vxew',
      'integration.uss',
      'integration.dElete',
      'INTEGRATION.VIEW',
      'integration.view ',
    ])
      assert.equal(actionBit(text as IntegrationAction), 0, text);
  });

  test('agrees with a search of the names for texts near the actions and for any text', () => {
    const mutated = fc
      .tuple(fc.constantFrom(...INTEGRATION_ACTIONS), fc.nat(40), fc.integer({ min: 32, max: 0x2ff }))
      .map(
        ([action, at, code]) => `${action.slice(0, at)}${String.fromCharCode(code)}${action.slice(at + 1)}`,
      );
    fc.assert(
      fc.property(
        fc.oneof(mutated, fc.string({ maxLength: 40 }), fc.constantFrom(...INTEGRATION_ACTIONS)),
        (text) => {
          assert.equal(actionBit(text as IntegrationAction), reference(INTEGRATION_ACTIONS, text), text);
        },
      ),
      { numRuns: 5_000 },
    );
  });

  test('names that share a length and every character position are still told apart', () => {
    // Same length, differing only at one position: that position is chosen.
    const names = ['ab-x', 'ab-y', 'ab-z'];
    for (const [n, name] of names.entries()) assert.equal(nameBit(nameLookup(names), fresh(name)), 1 << n);
    // Keys shared whatever position is read (a name and its copy with a character above 127 at
    // every place where they differ): the lookup falls back to a search.
    const shared = ['aa', String.fromCharCode(0x80 + 97, 0x80 + 97), 'b'];
    const lookup = nameLookup(shared);
    for (const [n, name] of shared.entries()) assert.equal(nameBit(lookup, fresh(name)), 1 << n, name);
    assert.equal(nameBit(lookup, 'ab'), 0);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 31 }),
        fc.string({ maxLength: 6 }),
        (names, other) => {
          const built = nameLookup(names);
          for (const name of [...names, other])
            assert.equal(nameBit(built, fresh(name)), reference(names, name));
        },
      ),
      { numRuns: 2_000 },
    );
    assert.throws(() => nameLookup(Array.from({ length: 32 }, (_, k) => `n${k}`)), RangeError);
  });
});
