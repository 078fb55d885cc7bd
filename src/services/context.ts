/**
 * What every use case closes over: the store, the in-memory policy index kept in step with it,
 * the keyring, the secret redactor and the clock; and the shared authorization steps.
 */
import type { Catalogue } from '../core/catalogue/index.ts';
import { KeyhouseError } from '../core/errors.ts';
import type { PolicyChange } from '../core/policy/changes.ts';
import { roleRank } from '../core/policy/levels.ts';
import type { PolicyIndex } from '../core/policy/policy-index.ts';
import type { IntegrationAction, Role } from '../core/policy/types.ts';
import type { Keyring } from '../secrets/keyring.ts';
import { StorageError } from '../storage/errors.ts';
import type { Store, StoreTransaction } from '../storage/store.ts';
import type { AuditEventInput, JsonValue, Membership } from '../storage/types.ts';
import type { IndexSync } from './index-sync.ts';

/** The authenticated caller. */
export interface Principal {
  readonly userId: string;
  readonly login: string;
  /** The API token used, when authenticated by token. */
  readonly tokenId?: string;
  /** The request being served, recorded with every audit event it causes. */
  readonly requestId?: string;
}

/** Receives every secret value that enters the process, so logs can scrub it. */
export interface SecretSink {
  register(secret: string): void;
}

/** Dependencies of the use cases. */
export interface ServiceContext {
  readonly store: Store;
  /** The provider catalogue, validated at start. */
  readonly catalogue: Catalogue;
  readonly sync: IndexSync;
  readonly keyring: Keyring;
  readonly secrets: SecretSink;
  readonly now: () => number;
  /** Warns on things an operator should know (never with a secret). */
  readonly warn: (message: string) => void;
}

/** The current policy index (after catching up with other processes when needed). */
export async function freshIndex(ctx: ServiceContext, minRevision?: number): Promise<PolicyIndex> {
  return ctx.sync.fresh(minRevision);
}

/** A write: runs `fn` in one transaction, records the change, and applies it to the index before returning. */
export async function write<T>(
  ctx: ServiceContext,
  workspaceId: string | null,
  fn: (
    tx: StoreTransaction,
  ) => Promise<{ result: T; change?: PolicyChange; audit?: readonly AuditEventInput[] }>,
): Promise<T> {
  return ctx.sync.serialized(async () => {
    try {
      const { result, revision, change } = await ctx.store.transaction(async (tx) => {
        const out = await fn(tx);
        // Refused before it commits: a change the index cannot hold would otherwise be stored
        // and then fail to apply (and fail every rebuild after it).
        if (out.change && !ctx.sync.index.roomFor(out.change)) throw new KeyhouseError('capacity_exceeded');
        for (const event of out.audit ?? []) await tx.appendAudit(event);
        const rev = out.change
          ? await tx.recordChange(out.change.type, workspaceId === null ? {} : { workspaceId }, out.change)
          : undefined;
        return { result: out.result, revision: rev, change: out.change };
      });
      if (change && revision !== undefined) await ctx.sync.applied(revision, change);
      return result;
    } catch (error) {
      throw translate(error);
    }
  });
}

/** An audit event caused by a principal's request (never a secret in `before` or `after`). */
export function auditEvent(
  p: Principal,
  workspaceId: string,
  action: string,
  targetType: string,
  targetId: string | null,
  change: { readonly before?: JsonValue; readonly after?: JsonValue } = {},
): AuditEventInput {
  return {
    workspaceId,
    actor: p.userId,
    requestId: p.requestId ?? null,
    action,
    targetType,
    targetId,
    ...change,
  };
}

/** Storage errors → API errors. */
export function translate(error: unknown): unknown {
  if (!(error instanceof StorageError)) return error;
  switch (error.code) {
    case 'duplicate':
      return new KeyhouseError('conflict', 'An object with this id or name already exists.');
    case 'reference_missing':
      return new KeyhouseError('validation_failed', 'The request names an object that does not exist.');
    case 'invalid':
      return new KeyhouseError('validation_failed', error.message);
    case 'unavailable':
      return new KeyhouseError('unavailable');
    default:
      return error;
  }
}

/** The caller's membership of a workspace; 404 when the caller is not a member (the workspace is hidden). */
export async function membershipOf(
  ctx: ServiceContext,
  p: Principal,
  workspaceId: string,
): Promise<Membership> {
  const m = await ctx.store.getMembership(workspaceId, p.userId);
  if (!m) throw new KeyhouseError('not_found');
  return m;
}

/** Requires at least `role` in the workspace: 404 for non-members, 403 (audited) below the role. */
export async function requireRole(
  ctx: ServiceContext,
  p: Principal,
  workspaceId: string,
  role: Role,
  action: string,
  requestId?: string,
): Promise<Membership> {
  const m = await membershipOf(ctx, p, workspaceId);
  if (roleRank(m.role) < roleRank(role)) {
    await refuse(
      ctx,
      p,
      workspaceId,
      action,
      'workspace',
      workspaceId,
      { needs: role, has: m.role },
      requestId,
    );
  }
  return m;
}

/** Records a refused attempt in the audit log and throws 403. */
export async function refuse(
  ctx: ServiceContext,
  p: Principal,
  workspaceId: string,
  action: string,
  targetType: string,
  targetId: string,
  detail: Record<string, string>,
  requestId?: string,
): Promise<never> {
  await ctx.store
    .appendAudit({
      workspaceId,
      actor: p.userId,
      action: `${action}.refused`,
      targetType,
      targetId,
      after: detail,
      requestId: requestId ?? p.requestId ?? null,
    })
    .catch(() => undefined);
  throw new KeyhouseError('forbidden', undefined, { details: detail });
}

/**
 * The caller's level on an integration of a workspace and whether `action` is allowed:
 * 404 when the integration is missing, of another workspace or hidden (DENY); 403 (audited)
 * when visible but the action needs more.
 */
export async function authorizeIntegration(
  ctx: ServiceContext,
  p: Principal,
  workspaceId: string,
  integrationId: string,
  action: IntegrationAction,
): Promise<PolicyIndex> {
  const index = await freshIndex(ctx);
  const integration = index.integration(integrationId);
  if (!integration || integration.workspaceId !== workspaceId) throw new KeyhouseError('not_found');
  const now = ctx.now();
  const level = index.level(p.userId, integrationId, now);
  if (level === 'DENY') throw new KeyhouseError('not_found');
  if (!index.allows(p.userId, integrationId, action, now)) {
    await refuse(ctx, p, workspaceId, action, 'integration', integrationId, { action, level });
  }
  return index;
}
