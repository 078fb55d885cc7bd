import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  type AssignedRole,
  createScmRoleOverrides,
  isStale,
  mapScmRole,
  mergeRole,
  renderRolesAndActionsMarkdown,
  type ScmRoleOverrideInput,
} from './role-mapping.ts';
import {
  SCM_HOSTS,
  SCM_LEVELS,
  SCM_ROLE_TABLE,
  type ScmHost,
  type ScmLevel,
  spellingsOf,
} from './scm-roles.ts';
import { ROLES, type Role } from './types.ts';

type Expected = Readonly<Record<ScmLevel, Readonly<Record<string, Role | '-'>>>>;

/** SPEC.md "Role mapping from the SCM", plus the documented decisions; `-` = maps to nothing. */
const GITHUB: Expected = {
  organisation: {
    outside_collaborator: '-',
    billing_manager: '-',
    security_manager: 'member',
    member: 'collaborator',
    admin: 'admin',
    owner: 'admin',
  },
  repository: {
    none: '-',
    read: 'member',
    pull: 'member',
    triage: 'member',
    write: 'collaborator',
    push: 'collaborator',
    maintain: 'collaborator',
    admin: 'admin',
  },
};
const GITLAB_LEVELS = {
  '0': '-',
  'no access': '-',
  '5': '-',
  'minimal access': '-',
  '10': 'member',
  guest: 'member',
  '15': 'member',
  planner: 'member',
  '20': 'member',
  reporter: 'member',
  '30': 'collaborator',
  developer: 'collaborator',
  '40': 'admin',
  maintainer: 'admin',
  master: 'admin',
  '50': 'admin',
  owner: 'admin',
  '60': 'admin',
  admin: 'admin',
} as const;
const GITEA_LEVELS = {
  none: '-',
  read: 'member',
  write: 'collaborator',
  admin: 'admin',
  owner: 'admin',
} as const;
const AZURE_REPOSITORY = {
  readers: 'member',
  contributors: 'collaborator',
  'build administrators': 'collaborator',
  'project collection build administrators': 'collaborator',
  'project administrators': 'admin',
  'project collection administrators': 'admin',
} as const;

const EXPECTED: Readonly<Record<ScmHost, Expected>> = {
  github: GITHUB,
  'github-enterprise': GITHUB,
  gitlab: { organisation: GITLAB_LEVELS, repository: GITLAB_LEVELS },
  'bitbucket-cloud': {
    organisation: {
      collaborator: '-',
      member: 'member',
      contributor: 'collaborator',
      owner: 'admin',
      admin: 'admin',
    },
    repository: {
      read: 'member',
      member: 'member',
      write: 'collaborator',
      contributor: 'collaborator',
      admin: 'admin',
      owner: 'admin',
    },
  },
  'bitbucket-server': {
    organisation: {
      project_read: 'member',
      project_view: 'member',
      project_write: 'collaborator',
      repo_create: 'collaborator',
      project_admin: 'admin',
    },
    repository: {
      repo_read: 'member',
      project_read: 'member',
      project_view: 'member',
      repo_write: 'collaborator',
      project_write: 'collaborator',
      repo_admin: 'admin',
      project_admin: 'admin',
    },
  },
  'azure-devops': {
    organisation: {
      'project-scoped users': '-',
      'project collection service accounts': '-',
      'project valid users': 'member',
      'project collection valid users': 'member',
      'endpoint creators': 'collaborator',
      'endpoint administrators': 'collaborator',
      ...AZURE_REPOSITORY,
    },
    repository: AZURE_REPOSITORY,
  },
  gitea: { organisation: GITEA_LEVELS, repository: GITEA_LEVELS },
};

const SYNCED_AT = 1_700_000_000_000;
const map = (host: string, level: ScmLevel, scmRole: string) =>
  mapScmRole({ host, level, scmRole, syncedAt: SYNCED_AT });
const rank = (role: Role | undefined): number => (role === undefined ? -1 : ROLES.indexOf(role));

const knownSpellings = new Set(
  SCM_HOSTS.flatMap((host) =>
    SCM_LEVELS.flatMap((level) =>
      SCM_ROLE_TABLE[host][level].flatMap((row) => spellingsOf(row).map((s) => s.toLowerCase())),
    ),
  ),
);

describe('default mapping, one table per host', () => {
  for (const host of SCM_HOSTS) {
    test(`${host}: every known role at both levels`, () => {
      for (const level of SCM_LEVELS) {
        const expected = EXPECTED[host][level];
        const spellings = SCM_ROLE_TABLE[host][level].flatMap((row) =>
          spellingsOf(row).map((s) => s.toLowerCase()),
        );
        assert.deepEqual(
          [...spellings].sort(),
          Object.keys(expected).sort(),
          `${level}: the table covers every row`,
        );
        for (const [scmRole, role] of Object.entries(expected)) {
          const mapped = map(host, level, scmRole.toUpperCase());
          assert.equal(mapped?.role, role === '-' ? undefined : role, `${level} ${scmRole}`);
          if (mapped) assert.equal(mapped.mappedBy, 'default');
        }
      }
    });
  }

  test('the provenance keeps the host, the SCM role as the host spelled it and the sync time', () => {
    assert.deepEqual(map('bitbucket-server', 'organisation', 'PROJECT_WRITE'), {
      role: 'collaborator',
      source: { kind: 'scm', host: 'bitbucket-server', scmRole: 'PROJECT_WRITE', syncedAt: SYNCED_AT },
      mappedBy: 'default',
    });
  });

  test('Azure DevOps group names may carry their scope prefix', () => {
    assert.equal(map('azure-devops', 'organisation', '[Fabrikam]\\Project Administrators')?.role, 'admin');
    assert.equal(map('azure-devops', 'repository', '[Fabrikam]\\Readers')?.role, 'member');
  });

  test('an unknown host maps nothing', () => {
    assert.equal(map('sourceforge', 'organisation', 'admin'), undefined);
  });
});

describe('properties', () => {
  const hostLevel = fc.tuple(fc.constantFrom(...SCM_HOSTS), fc.constantFrom(...SCM_LEVELS));
  const casing = fc.constantFrom(
    (s: string) => s,
    (s: string) => s.toUpperCase(),
    (s: string) => ` ${s.toLowerCase()}\t`,
  );

  test('the mapping is total over every known role and spelling', () => {
    fc.assert(
      fc.property(hostLevel, fc.nat(), fc.nat(), casing, ([host, level], i, j, spell) => {
        const ladder = SCM_ROLE_TABLE[host][level];
        const row = ladder[i % ladder.length]!;
        const spellings = spellingsOf(row);
        const mapped = map(host, level, spell(spellings[j % spellings.length]!));
        assert.equal(mapped?.role, row.role ?? undefined);
      }),
      { numRuns: 10_000 },
    );
  });

  test('a higher SCM role never maps lower', () => {
    fc.assert(
      fc.property(hostLevel, fc.nat(), fc.nat(), ([host, level], a, b) => {
        const ladder = SCM_ROLE_TABLE[host][level];
        const [i, j] = [a % ladder.length, b % ladder.length].sort((x, y) => x - y) as [number, number];
        const low = map(host, level, ladder[i]!.scmRole)?.role;
        const high = map(host, level, ladder[j]!.scmRole)?.role;
        assert.ok(rank(low) <= rank(high), `${host} ${level}: ${ladder[i]!.scmRole} ≤ ${ladder[j]!.scmRole}`);
      }),
      { numRuns: 10_000 },
    );
  });

  test('an unknown or random role never maps to admin or collaborator (it maps to nothing)', () => {
    const unknown = fc
      .string({ unit: 'grapheme-ascii' })
      .filter((s) => !knownSpellings.has(s.trim().toLowerCase()));
    fc.assert(
      fc.property(hostLevel, unknown, ([host, level], scmRole) => {
        assert.equal(map(host, level, scmRole), undefined);
      }),
      { numRuns: 10_000 },
    );
  });
});

describe('overrides', () => {
  const valid = (inputs: readonly ScmRoleOverrideInput[]) => {
    const result = createScmRoleOverrides(inputs);
    assert.ok(result.ok, JSON.stringify(result));
    return result.overrides;
  };

  test('an override wins over the default, for known and custom roles, and may map to nothing', () => {
    const overrides = valid([
      { host: 'gitlab', level: 'organisation', scmRole: 'Reporter', role: 'collaborator' },
      { host: 'github', level: 'repository', scmRole: 'security-reviewer', role: 'member' },
      { host: 'github', level: 'repository', scmRole: 'triage', role: 'none' },
    ]);
    const at = (host: string, level: ScmLevel, scmRole: string) =>
      mapScmRole({ host, level, scmRole, overrides, syncedAt: SYNCED_AT });
    assert.deepEqual(at('gitlab', 'organisation', 'reporter'), {
      role: 'collaborator',
      source: { kind: 'scm', host: 'gitlab', scmRole: 'reporter', syncedAt: SYNCED_AT },
      mappedBy: 'override',
    });
    assert.equal(at('gitlab', 'organisation', '20')?.role, 'collaborator', 'every spelling of the role');
    assert.equal(at('gitlab', 'repository', 'reporter')?.role, 'member', 'the other level keeps its default');
    assert.equal(at('github', 'repository', 'Security-Reviewer')?.role, 'member');
    assert.equal(at('github', 'repository', 'triage'), undefined);
    assert.equal(at('github-enterprise', 'repository', 'triage')?.role, 'member', 'hosts are separate');
  });

  test('bad overrides are rejected with one clear error each', () => {
    const result = createScmRoleOverrides([
      { host: 'sourceforge', level: 'organisation', scmRole: 'admin', role: 'admin' },
      { host: 'gitea', level: 'team', scmRole: 'admin', role: 'admin' },
      { host: 'gitea', level: 'repository', scmRole: '  ', role: 'admin' },
      { host: 'gitea', level: 'repository', scmRole: 'write', role: 'owner' },
      { host: 'gitea', level: 'repository', scmRole: 'read', role: 'member' },
      { host: 'gitea', level: 'repository', scmRole: 'READ', role: 'admin' },
      { host: 'gitlab', level: 'repository', scmRole: '30', role: 'member' },
      { host: 'gitlab', level: 'repository', scmRole: 'Developer', role: 'admin' },
    ]);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(
      result.errors.map((e) => [e.index, e.code]),
      [
        [0, 'unknown_host'],
        [1, 'unknown_level'],
        [2, 'empty_scm_role'],
        [3, 'unknown_role'],
        [5, 'duplicate_override'],
        [7, 'duplicate_override'],
      ],
    );
    assert.match(result.errors[3]?.message ?? '', /override 3: unknown role 'owner'/);
  });

  test('validation never throws, whatever the input', () => {
    const field = fc.oneof(
      fc.string(),
      fc.constantFrom('github', 'repository', 'admin', 'none'),
      fc.anything(),
    );
    const input = fc.record({ host: field, level: field, scmRole: field, role: field });
    fc.assert(
      fc.property(fc.array(input, { maxLength: 5 }), (inputs) => {
        const result = createScmRoleOverrides(inputs as unknown as ScmRoleOverrideInput[]);
        assert.equal(typeof result.ok, 'boolean');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('staleness', () => {
  const source = { kind: 'scm', host: 'github', scmRole: 'admin', syncedAt: SYNCED_AT } as const;

  test('a synced role older than one hour is stale; a manual role never is', () => {
    assert.equal(isStale(source, SYNCED_AT + 3_600_000), false);
    assert.equal(isStale(source, SYNCED_AT + 3_600_001), true);
    assert.equal(isStale(source, SYNCED_AT - 5), false, 'a sync from the future is fresh');
    assert.equal(isStale(source, SYNCED_AT + 60_001, 60_000), true);
    assert.equal(isStale(source, SYNCED_AT, Number.NaN), true, 'a broken limit refreshes');
    assert.equal(isStale({ kind: 'manual' }, Number.MAX_SAFE_INTEGER), false);
  });

  test('stale exactly when the age exceeds the limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.integer({ min: 0, max: 2 ** 32 }),
        (age, limit) => {
          assert.equal(isStale(source, SYNCED_AT + age, limit), age > limit);
        },
      ),
      { numRuns: 10_000 },
    );
  });
});

describe('mergeRole', () => {
  const scm = (role: Role, syncedAt: number): AssignedRole => ({
    role,
    source: { kind: 'scm', host: 'gitea', scmRole: role === 'admin' ? 'owner' : 'read', syncedAt },
  });
  const manual: AssignedRole = { role: 'member', source: { kind: 'manual' } };

  test('a manual role is never overwritten by sync', () => {
    assert.equal(mergeRole(manual, scm('admin', 2)), manual);
    assert.equal(mergeRole(manual, undefined), manual);
  });

  test('a newer sync replaces a synced role; an older one does not; mapping to nothing removes it', () => {
    const current = scm('member', 10);
    assert.deepEqual(mergeRole(current, scm('admin', 20)), scm('admin', 20));
    assert.equal(mergeRole(current, scm('admin', 5)), current);
    assert.equal(mergeRole(current, undefined), undefined);
    assert.deepEqual(mergeRole(undefined, scm('member', 1)), scm('member', 1));
  });
});

test('docs/roles-and-actions.md carries the tables generated from the data', async () => {
  const doc = await readFile(new URL('../../../docs/roles-and-actions.md', import.meta.url), 'utf8');
  const begin = '<!-- generated:begin renderRolesAndActionsMarkdown -->\n';
  const end = '<!-- generated:end -->';
  const start = doc.indexOf(begin);
  assert.ok(start >= 0 && doc.includes(end), 'the doc has the generated markers');
  const generated = doc.slice(start + begin.length, doc.indexOf(end));
  assert.equal(generated, `\n${renderRolesAndActionsMarkdown()}\n`, 'regenerate the doc (see its header)');
});
