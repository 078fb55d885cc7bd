import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { doctorChecklist, prerequisitesOf } from './doctor.ts';
import type { VerificationOutcome } from './types.ts';

const outcome = (over: Partial<VerificationOutcome>): VerificationOutcome => ({
  status: 'verified',
  findings: [],
  checks: [],
  ...over,
});

describe('doctor checklist', () => {
  const TABLE: readonly [provider: string, includes: string, excludes: string][] = [
    ['github', 'allow-list', 'bucket-read'],
    ['gitlab', 'branch-exists', 'allow-list'],
    ['docker-registry', 'registry-host-matches', 'clone-url-form'],
    ['s3', 'bucket-delete', 'iam-actions'],
    ['aws', 'iam-actions', 'bucket-write'],
  ];
  for (const [provider, includes, excludes] of TABLE) {
    test(`${provider} lists ${includes}, not ${excludes}`, () => {
      const ids = prerequisitesOf(provider).map((p) => p.id);
      assert.ok(ids.includes(includes));
      assert.ok(!ids.includes(excludes));
      assert.deepEqual(ids.slice(0, 2), ['token-valid', 'scopes']);
    });
  }

  test('fills run checks, skips the others with the reason, and appends extra checks', () => {
    const report = doctorChecklist(
      'github',
      outcome({
        status: 'missing-scopes',
        checks: [
          { id: 'token-valid', title: 'Token valid', outcome: 'pass' },
          { id: 'branch-exists', title: 'Branch', outcome: 'fail' },
          { id: 'role', title: 'Role', outcome: 'pass' },
        ],
        findings: [
          {
            code: 'branch_missing',
            severity: 'error',
            message: 'no',
            fix: 'Create it.',
            check: 'branch-exists',
          },
        ],
      }),
    );
    assert.equal(report.ok, false);
    const byId = new Map(report.checks.map((c) => [c.id, c]));
    assert.equal(byId.get('branch-exists')?.fix, 'Create it.');
    assert.equal(byId.get('scopes')?.outcome, 'skipped');
    assert.ok(byId.get('scopes')?.detail);
    assert.equal(report.checks.at(-1)?.id, 'role');
  });

  test('ok when nothing failed', () => {
    const report = doctorChecklist(
      's3',
      outcome({ checks: [{ id: 'bucket-read', title: 'r', outcome: 'pass' }] }),
    );
    assert.equal(report.ok, true);
    assert.equal(report.checks.find((c) => c.id === 'bucket-read')?.outcome, 'pass');
  });
});
