/**
 * fast-check arbitraries for the policy tests: a small universe (two workspaces sharing ids, a
 * few users, groups, projects, integrations, pipelines) so that collisions are frequent.
 */
import fc from 'fast-check';
import type { PolicyChange } from './changes.ts';
import type {
  AllowedPipelines,
  Entry,
  IntegrationScope,
  Level,
  PolicyData,
  PolicyGroup,
  PolicyIntegration,
  PolicyMember,
  PolicyPipeline,
  Role,
  SubjectEntry,
} from './types.ts';

/** Number of runs per property: `KEYHOUSE_PROPERTY_RUNS`, default 10,000. */
export const PROPERTY_RUNS = Number(process.env['KEYHOUSE_PROPERTY_RUNS'] ?? 10_000);

/** The time at which decisions are asked; expiries are drawn around it (exclusive boundary included). */
export const NOW = 1_000_000;

export const WORKSPACES = ['w1', 'w2'] as const;
export const USERS = ['u1', 'u2', 'u3', 'u4'] as const;
export const GROUPS = ['g1', 'g2', 'g3'] as const;
export const PROJECTS = ['p1', 'p2'] as const;
/**
 * Integration ids of both forms the index keeps apart: two canonical UUIDs (its packed table), the
 * upper-case spelling of the first (a different id, in its `Map`) and a plain name; in text order,
 * the order results are sorted in.
 */
export const INTEGRATIONS = [
  '3F2A9C1E-7B4D-4E8A-9C0B-1D2E3F4A5B6C',
  '3f2a9c1e-7b4d-4e8a-9c0b-1d2e3f4a5b6c',
  '3f2a9c1e-7b4d-4e8a-9c0b-1d2e3f4a5b6d',
  'i4',
] as const;
export const PIPELINES = ['q1', 'q2', 'q3'] as const;

export const levelArb: fc.Arbitrary<Level> = fc.constantFrom('DENY', 'DELETE_ONLY', 'USE', 'MANAGE');
export const roleArb: fc.Arbitrary<Role> = fc.constantFrom('member', 'collaborator', 'admin');
const expiryArb = fc.option(fc.constantFrom(NOW - 1, NOW, NOW + 1), { nil: undefined, freq: 3 });

/** An entry at any level, sometimes expiring just before, at or after {@link NOW}. */
export function entryArb(levels: fc.Arbitrary<Level> = levelArb): fc.Arbitrary<Entry> {
  return fc
    .record({ level: levels, expiresAt: expiryArb })
    .map(({ level, expiresAt }) => (expiresAt === undefined ? { level } : { level, expiresAt }));
}

function subjectsArb(ids: readonly string[]): fc.Arbitrary<SubjectEntry[]> {
  return fc
    .uniqueArray(fc.constantFrom(...ids), { maxLength: ids.length })
    .chain((chosen) =>
      fc
        .tuple(...chosen.map(() => entryArb()))
        .map((list) => list.map((entry, k) => ({ id: chosen[k]!, ...entry }))),
    );
}

export const scopeArb: fc.Arbitrary<IntegrationScope> = fc.oneof(
  fc.constant({ type: 'WORKSPACE' as const }),
  fc.constantFrom(...PROJECTS).map((projectId) => ({ type: 'PROJECT' as const, projectId })),
);

export const allowedArb: fc.Arbitrary<AllowedPipelines> = fc.oneof(
  fc.constant('ALL' as const),
  fc
    .uniqueArray(fc.constantFrom(...PIPELINES), { maxLength: 3 })
    .chain((ids) =>
      fc
        .tuple(...ids.map(() => expiryArb))
        .map((expiries) =>
          ids.map((id, k) => (expiries[k] === undefined ? { id } : { id, expiresAt: expiries[k]! })),
        ),
    ),
);

export function integrationArb(id?: string): fc.Arbitrary<PolicyIntegration> {
  return fc.record({
    id: id === undefined ? fc.constantFrom(...INTEGRATIONS) : fc.constant(id),
    workspaceId: fc.constantFrom(...WORKSPACES),
    name: fc.constantFrom('GitHub', 'Registry', 'Bucket', 'GitLab'),
    scope: scopeArb,
    permissions: fc.record({
      admins: entryArb(fc.constantFrom('DELETE_ONLY', 'USE', 'MANAGE')),
      others: entryArb(),
      users: subjectsArb(USERS),
      groups: subjectsArb(GROUPS),
    }),
    allowedPipelines: allowedArb,
  });
}

export const memberArb: fc.Arbitrary<PolicyMember> = fc
  .record({
    userId: fc.constantFrom(...USERS),
    workspaceId: fc.constantFrom(...WORKSPACES),
    role: roleArb,
    projectRoles: fc.dictionary(fc.constantFrom(...PROJECTS), roleArb, { maxKeys: 2 }),
  })
  .map((m) =>
    Object.keys(m.projectRoles).length === 0
      ? { userId: m.userId, workspaceId: m.workspaceId, role: m.role }
      : m,
  );

export const pipelineArb: fc.Arbitrary<PolicyPipeline> = fc.record({
  id: fc.constantFrom(...PIPELINES),
  workspaceId: fc.constantFrom(...WORKSPACES),
  projectId: fc.constantFrom(...PROJECTS),
});

function uniqueBy<T>(list: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of list) seen.set(key(item), item);
  return [...seen.values()];
}

/** A whole, consistent data set: unique members, groups, integrations and pipelines. */
export const dataArb: fc.Arbitrary<PolicyData> = fc
  .record({
    members: fc.array(memberArb, { maxLength: 8 }),
    groups: fc.array(
      fc.record({
        id: fc.constantFrom(...GROUPS),
        workspaceId: fc.constantFrom(...WORKSPACES),
        userIds: fc.uniqueArray(fc.constantFrom(...USERS), { maxLength: 4 }),
      }),
      { maxLength: 6 },
    ),
    integrations: fc.array(integrationArb(), { maxLength: 4 }),
    pipelines: fc.array(pipelineArb, { maxLength: 3 }),
  })
  .map((d) => ({
    members: uniqueBy(d.members, (m) => `${m.workspaceId}/${m.userId}`),
    groups: uniqueBy<PolicyGroup>(d.groups, (g) => `${g.workspaceId}/${g.id}`),
    integrations: uniqueBy(d.integrations, (i) => i.id),
    pipelines: uniqueBy(d.pipelines, (p) => p.id),
  }));

const integrationId = fc.constantFrom(...INTEGRATIONS);
const workspaceId = fc.constantFrom(...WORKSPACES);
const userId = fc.constantFrom(...USERS);
const groupId = fc.constantFrom(...GROUPS);

/** One change of any kind (no nested batch), over the small universe. */
export const changeArb: fc.Arbitrary<PolicyChange> = fc.oneof(
  memberArb.map((member) => ({ type: 'member.upsert' as const, member })),
  fc.record({ type: fc.constant('member.remove' as const), workspaceId, userId }),
  fc.record({
    type: fc.constantFrom('group.add-member' as const, 'group.remove-member' as const),
    workspaceId,
    groupId,
    userId,
  }),
  fc.record({ type: fc.constant('group.delete' as const), workspaceId, groupId }),
  fc.record({ type: fc.constant('entry.set-user' as const), integrationId, userId, entry: entryArb() }),
  fc.record({ type: fc.constant('entry.remove-user' as const), integrationId, userId }),
  fc.record({ type: fc.constant('entry.set-group' as const), integrationId, groupId, entry: entryArb() }),
  fc.record({ type: fc.constant('entry.remove-group' as const), integrationId, groupId }),
  fc.record({
    type: fc.constant('admins.set' as const),
    integrationId,
    entry: entryArb(fc.constantFrom('DELETE_ONLY', 'USE', 'MANAGE')),
  }),
  fc.record({ type: fc.constant('others.set' as const), integrationId, entry: entryArb() }),
  integrationArb().map((integration) => ({ type: 'integration.upsert' as const, integration })),
  fc.record({ type: fc.constant('integration.move' as const), integrationId, scope: scopeArb }),
  fc.record({ type: fc.constant('integration.delete' as const), integrationId }),
  fc.record({ type: fc.constant('pipelines.set' as const), integrationId, allowedPipelines: allowedArb }),
  fc.record({
    type: fc.constant('pipelines.allow' as const),
    integrationId,
    pipeline: fc
      .record({ id: fc.constantFrom(...PIPELINES), expiresAt: expiryArb })
      .map((p) => (p.expiresAt === undefined ? { id: p.id } : { id: p.id, expiresAt: p.expiresAt })),
  }),
  fc.record({
    type: fc.constant('pipelines.disallow' as const),
    integrationId,
    pipelineId: fc.constantFrom(...PIPELINES),
  }),
  pipelineArb.map((pipeline) => ({ type: 'pipeline.upsert' as const, pipeline })),
  fc.record({ type: fc.constant('pipeline.remove' as const), pipelineId: fc.constantFrom(...PIPELINES) }),
);

/** A change, sometimes a batch of two or three. */
export const changeOrBatchArb: fc.Arbitrary<PolicyChange> = fc.oneof(
  { weight: 5, arbitrary: changeArb },
  {
    weight: 1,
    arbitrary: fc
      .array(changeArb, { minLength: 1, maxLength: 3 })
      .map((changes) => ({ type: 'batch' as const, changes })),
  },
);
