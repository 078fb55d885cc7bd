import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Catalogue } from '../../core/catalogue/index.ts';
import {
  branchCheck,
  checkBuilder,
  findingFor,
  recordRepositoryFailure,
  recordRoleShortfall,
  recordScopes,
  sharedCheck,
  skipChecks,
} from './check-results.ts';
import { compareScopes, createReport } from './verification-report.ts';

describe('check builders', () => {
  test('a check takes its title from the table, else its id, and carries a fix only when given', () => {
    const check = checkBuilder({ clone: 'Clone (git ls-remote)' });
    assert.deepEqual(check('clone', 'pass', 'Read.'), {
      id: 'clone',
      title: 'Clone (git ls-remote)',
      outcome: 'pass',
      detail: 'Read.',
    });
    assert.deepEqual(check('push', 'fail', 'Refused.', 'Grant push.'), {
      id: 'push',
      title: 'push',
      outcome: 'fail',
      detail: 'Refused.',
      fix: 'Grant push.',
    });
    assert.equal(sharedCheck('repository-access', 'pass', 'Reads a/b.').title, 'Repository access');
  });

  test('a finding is an error unless told, tied to its check, with a fix only when given', () => {
    assert.deepEqual(findingFor('scope_missing', 'iam-actions', 'Missing.'), {
      code: 'scope_missing',
      severity: 'error',
      message: 'Missing.',
      check: 'iam-actions',
    });
    assert.equal(findingFor('probe_failed', 'x', 'Failed.', 'Retry.', 'warning').severity, 'warning');
  });

  test('branchCheck: skipped without a branch, pass when found, fail with a fix otherwise', () => {
    assert.equal(branchCheck(undefined).outcome, 'skipped');
    assert.deepEqual(branchCheck('main', true), {
      id: 'branch-exists',
      title: 'Branch exists',
      outcome: 'pass',
      detail: 'Branch main exists.',
    });
    const missing = branchCheck('release');
    assert.equal(missing.outcome, 'fail');
    assert.equal(missing.fix, 'Create release or configure an existing branch.');
  });
});

describe('recorders', () => {
  test('skipChecks titles each skipped check with its bare id', () => {
    const report = createReport();
    skipChecks(report, ['role', 'branch-exists'], 'Not configured.');
    assert.deepEqual(
      report.checks.map((check) => [check.id, check.title, check.outcome, check.detail]),
      [
        ['role', 'role', 'skipped', 'Not configured.'],
        ['branch-exists', 'branch-exists', 'skipped', 'Not configured.'],
      ],
    );
  });

  test('recordRepositoryFailure fails repository-access and files the finding in the same words', () => {
    const report = createReport();
    recordRepositoryFailure(report, 'Gone (404).', 'Check the slug.', 'permission_missing');
    assert.deepEqual(report.checks, [
      sharedCheck('repository-access', 'fail', 'Gone (404).', 'Check the slug.'),
    ]);
    assert.deepEqual(report.findings, [
      {
        code: 'permission_missing',
        severity: 'error',
        message: 'Gone (404).',
        fix: 'Check the slug.',
        check: 'repository-access',
      },
    ]);
  });

  test('recordRoleShortfall files one role_insufficient per message and one failed role check', () => {
    const report = createReport();
    recordRoleShortfall(report, ['a needs admin.', 'b needs admin.'], 'write is not enough.', 'Make admin.');
    assert.deepEqual(
      report.findings.map((finding) => [finding.code, finding.message, finding.fix, finding.check]),
      [
        ['role_insufficient', 'a needs admin.', 'Make admin.', 'role'],
        ['role_insufficient', 'b needs admin.', 'Make admin.', 'role'],
      ],
    );
    assert.deepEqual(report.checks, [sharedCheck('role', 'fail', 'write is not enough.', 'Make admin.')]);
  });

  test('recordScopes records the comparison as compareScopes states it, the prefix before its detail', () => {
    const catalogue = { providers: {} } as unknown as Catalogue;
    const comparison = {
      catalogue,
      provider: 'nowhere',
      credentialType: 'pat',
      features: [],
      grantedScopes: ['read'],
    };
    const expected = compareScopes(comparison);
    const plain = createReport();
    recordScopes(plain, comparison);
    assert.deepEqual(plain.checks, [expected.check]);
    assert.deepEqual(plain.findings, expected.findings);
    const prefixed = createReport();
    recordScopes(prefixed, comparison, 'Probed permissions: read.');
    assert.equal(
      prefixed.checks[0]?.detail,
      `Probed permissions: read. ${expected.check.detail ?? ''}`.trim(),
    );
  });
});
