/**
 * The global change log: every write that matters to the policy index records a change with a
 * monotonically increasing revision, in the same transaction. Other processes catch up with
 * `changesSince(theirRevision)`. Call `recordChange` last in a transaction (after `appendAudit`):
 * on PostgreSQL it holds a lock until commit so revisions commit in order.
 */
import type { PolicyChange } from '../core/policy/changes.ts';
import { atomically, parseJson, type RepoContext } from './context.ts';
import type { Change } from './types.ts';

/** Kinds of change the store's users record (free text is accepted; these are the known ones). */
export const CHANGE_KINDS = [
  'workspace',
  'project',
  'pipeline',
  'user',
  'membership',
  'project-role',
  'group',
  'group-members',
  'integration',
  'integration-permissions',
  'integration-secrets',
  'workspace-key',
  'api-token',
  'platform-actions',
] as const;

/** One of {@link CHANGE_KINDS}, or another dotted name. */
export type ChangeKind = (typeof CHANGE_KINDS)[number] | (string & {});

/** The ids a change touched; `workspaceId` is stored in its own column for filtering. */
export type ChangeIds = Readonly<Record<string, string>> & { readonly workspaceId?: string };

/** Change-log functions bound to a context. */
export function changeRepo(ctx: RepoContext) {
  return {
    /**
     * Records a change in the current transaction; returns its revision. `policyChange` is what
     * the write applies to the policy index: other processes replay it; without one they rebuild.
     */
    async recordChange(kind: ChangeKind, ids: ChangeIds, policyChange?: PolicyChange): Promise<number> {
      return atomically(ctx, async (trx) => {
        await ctx.backend.lockChangeLog(trx);
        const row = await trx
          .insertInto('changes')
          .values({
            workspace_id: ids.workspaceId ?? null,
            kind,
            ids: JSON.stringify(ids),
            at: ctx.now(),
            policy_change: policyChange === undefined ? null : JSON.stringify(policyChange),
          })
          .returning('revision')
          .executeTakeFirstOrThrow();
        return Number(row.revision);
      });
    },
    /** Changes with a revision greater than `revision`, oldest first (at most `limit`, default 1000). */
    async changesSince(revision: number, limit = 1000): Promise<Change[]> {
      const rows = await ctx.db
        .selectFrom('changes')
        .selectAll()
        .where('revision', '>', revision)
        .orderBy('revision')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        revision: Number(r.revision),
        workspaceId: r.workspace_id,
        kind: r.kind,
        ids: parseJson<Record<string, string>>(r.ids),
        at: r.at,
        policyChange: r.policy_change === null ? null : parseJson<PolicyChange>(r.policy_change),
      }));
    },
    /** The latest committed revision (0 when none). */
    async currentRevision(): Promise<number> {
      const row = await ctx.db
        .selectFrom('changes')
        .select((eb) => eb.fn.max('revision').as('revision'))
        .executeTakeFirst();
      return Number(row?.revision ?? 0);
    },
  };
}
