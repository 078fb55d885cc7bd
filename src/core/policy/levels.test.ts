import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  compareLevels,
  defaultPermissions,
  levelAllows,
  levelNamed,
  levelsAllowing,
  maxLevel,
  minimalLevelFor,
  minLevel,
  roleNamed,
  validatePermissions,
} from './levels.ts';
import { type IntegrationAction, LEVELS, type Level, ROLES } from './types.ts';

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
