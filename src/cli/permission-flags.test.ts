import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PermissionsBody } from './api-types.ts';
import { UsageError } from './cli-error.ts';
import { applyPermissionFlags, parseLevel, parsePipelines, parseSubjectEntry } from './permission-flags.ts';

const current: PermissionsBody = {
  admins: { level: 'MANAGE' },
  others: { level: 'USE' },
  users: [
    { id: 'u1', level: 'USE' },
    { id: 'u3', level: 'DENY' },
  ],
  groups: [{ id: 'g1', level: 'MANAGE' }],
  allowedPipelines: 'ALL',
};
const none = { users: [], groups: [], removeUsers: [], removeGroups: [] };

describe('permission flags', () => {
  test('levels accept any case and the Buddy.Works names', () => {
    assert.equal(parseLevel('use', '--x'), 'USE');
    assert.equal(parseLevel('USE_ONLY', '--x'), 'USE');
    assert.equal(parseLevel('DENIED', '--x'), 'DENY');
    assert.equal(parseLevel('delete-only', '--x'), 'DELETE_ONLY');
    assert.throws(() => parseLevel('ADMIN', '--x'), UsageError);
  });

  test('entries carry an optional expiry, normalised to UTC', () => {
    assert.deepEqual(parseSubjectEntry('u2=USE@2026-12-01T00:00:00Z', '--user'), {
      id: 'u2',
      level: 'USE',
      expiresAt: '2026-12-01T00:00:00.000Z',
    });
    assert.deepEqual(
      parseSubjectEntry('u2=USE@2026-12-01T02:00:00+02:00', '--user').expiresAt,
      '2026-12-01T00:00:00.000Z',
    );
    for (const bad of ['u2', '=USE', 'u2=USE@tomorrow', 'u2=USE@2026-13-45T00:00:00Z']) {
      assert.throws(() => parseSubjectEntry(bad, '--user'), UsageError, bad);
    }
  });

  test('pipelines: ALL or a list with optional expiries', () => {
    assert.equal(parsePipelines('all'), 'ALL');
    assert.deepEqual(parsePipelines('p1, p2@2026-01-01T00:00:00Z'), [
      { id: 'p1' },
      { id: 'p2', expiresAt: '2026-01-01T00:00:00.000Z' },
    ]);
  });

  test('flags change only what they name; user entries are upserted and removed by id', () => {
    const next = applyPermissionFlags(current, {
      ...none,
      others: 'DENY',
      users: ['u1=MANAGE', 'u2=USE'],
      removeUsers: ['u3'],
      pipelines: 'p1',
    });
    assert.deepEqual(next, {
      admins: { level: 'MANAGE' },
      others: { level: 'DENY' },
      users: [
        { id: 'u1', level: 'MANAGE' },
        { id: 'u2', level: 'USE' },
      ],
      groups: [{ id: 'g1', level: 'MANAGE' }],
      allowedPipelines: [{ id: 'p1' }],
    });
    assert.deepEqual(current.users.length, 2, 'the input is not modified');
  });

  test('no flags give back the same permissions', () => {
    assert.deepEqual(applyPermissionFlags(current, none), current);
  });
});
