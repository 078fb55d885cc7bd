/** Use cases for authentication, API tokens, the audit log and health. */
import { KeyhouseError } from '../core/errors.ts';
import { generateApiToken, parseApiToken, verifyApiToken } from '../secrets/api-tokens.ts';
import type { Repositories } from '../storage/store.ts';
import type { ApiToken } from '../storage/types.ts';
import {
  auditEvent,
  membershipOf,
  type Principal,
  requireRole,
  type ServiceContext,
  write,
} from './context.ts';
import { iso, isoOrNull, msOf } from './wire.ts';

const DAY_MS = 86_400_000;

function tokenOut(t: ApiToken) {
  return {
    id: t.id,
    name: t.name,
    createdAt: iso(t.createdAt),
    expiresAt: isoOrNull(t.expiresAt),
    revokedAt: isoOrNull(t.revokedAt),
    lastUsedAt: isoOrNull(t.lastUsedAt),
  };
}

/** Issues an API token for a user of a workspace; the value is returned once and only hashed in the store. */
export async function issueToken(
  ctx: ServiceContext,
  repo: Pick<Repositories, 'createApiToken'>,
  input: { workspaceId: string; userId: string; name: string; expiresInDays?: number },
): Promise<{ token: string; record: ApiToken }> {
  const generated = generateApiToken();
  ctx.secrets.register(generated.token);
  const record = await repo.createApiToken({
    id: generated.id,
    workspaceId: input.workspaceId,
    userId: input.userId,
    prefix: `kh_${generated.id}`,
    hash: generated.hash,
    name: input.name,
    expiresAt: input.expiresInDays === undefined ? null : ctx.now() + input.expiresInDays * DAY_MS,
  });
  return { token: generated.token, record };
}

/** Account use cases. */
export function accountService(ctx: ServiceContext) {
  return {
    /** The principal of a bearer token, or undefined (malformed, unknown, expired, revoked, wrong secret). */
    async authenticate(token: string): Promise<Principal | undefined> {
      const parsed = parseApiToken(token);
      if (!parsed) return undefined;
      const record = await ctx.store.findApiTokenByPrefix(`kh_${parsed.id}`);
      if (!record || !verifyApiToken(token, record.hash)) return undefined;
      const now = ctx.now();
      if (record.revokedAt !== null || (record.expiresAt !== null && record.expiresAt <= now))
        return undefined;
      const user = await ctx.store.getUser(record.userId);
      if (!user) return undefined;
      if (record.lastUsedAt === null || now - record.lastUsedAt > 60_000)
        await ctx.store.touchApiToken(record.id).catch(() => undefined);
      return { userId: user.id, login: user.login, tokenId: record.id };
    },
    async listTokens(p: Principal) {
      const token = p.tokenId ? await ctx.store.findApiTokenByPrefix(`kh_${p.tokenId}`) : undefined;
      if (!token) return [];
      return (await ctx.store.listApiTokens(token.workspaceId, { userId: p.userId })).map(tokenOut);
    },
    /** Creates a token for the caller, in the workspace of the token used; the value is shown once. */
    async createToken(p: Principal, input: { name: string; expiresInDays?: number }) {
      const current = p.tokenId ? await ctx.store.findApiTokenByPrefix(`kh_${p.tokenId}`) : undefined;
      if (!current) throw new KeyhouseError('unauthenticated');
      const { token, record } = await write(ctx, current.workspaceId, async (tx) => {
        const issued = await issueToken(ctx, tx, {
          workspaceId: current.workspaceId,
          userId: p.userId,
          name: input.name,
          ...(input.expiresInDays ? { expiresInDays: input.expiresInDays } : {}),
        });
        return {
          result: issued,
          audit: [
            auditEvent(p, current.workspaceId, 'token.create', 'token', issued.record.id, {
              after: { name: input.name },
            }),
          ],
        };
      });
      return { token, apiToken: tokenOut(record) };
    },
    /**
     * An admin issues a token for a member of the workspace (a service account for a platform, or
     * a first token for a new user); the value is shown once.
     */
    async createMemberToken(
      p: Principal,
      ws: string,
      userId: string,
      input: { name: string; expiresInDays?: number },
    ) {
      await requireRole(ctx, p, ws, 'admin', 'token.issue');
      if (!(await ctx.store.getMembership(ws, userId))) throw new KeyhouseError('not_found');
      const { token, record } = await write(ctx, ws, async (tx) => {
        const issued = await issueToken(ctx, tx, {
          workspaceId: ws,
          userId,
          name: input.name,
          ...(input.expiresInDays ? { expiresInDays: input.expiresInDays } : {}),
        });
        return {
          result: issued,
          audit: [
            auditEvent(p, ws, 'token.issue', 'token', issued.record.id, {
              after: { name: input.name, userId },
            }),
          ],
        };
      });
      return { token, apiToken: tokenOut(record) };
    },
    /** Revokes one of the caller's tokens (404 for anyone else's). */
    async revokeToken(p: Principal, tokenId: string) {
      const t = await ctx.store.findApiTokenByPrefix(`kh_${tokenId}`);
      if (!t || t.userId !== p.userId) throw new KeyhouseError('not_found');
      await write(ctx, t.workspaceId, async (tx) => {
        await tx.revokeApiToken(t.workspaceId, t.id);
        return {
          result: undefined,
          audit: [auditEvent(p, t.workspaceId, 'token.revoke', 'token', t.id)],
        };
      });
    },
    /** The audit log of a workspace, newest first; admins only. */
    async listAudit(
      p: Principal,
      ws: string,
      q: {
        action?: string;
        actor?: string;
        targetId?: string;
        since?: string;
        afterSeq?: number;
        limit?: number;
      },
    ) {
      await requireRole(ctx, p, ws, 'admin', 'audit.list');
      const events = await ctx.store.listAudit({
        workspaceId: ws,
        ...(q.action ? { action: q.action } : {}),
        ...(q.actor ? { actor: q.actor } : {}),
        ...(q.targetId ? { targetId: q.targetId } : {}),
        ...(q.since ? { since: msOf(q.since, 'querystring.since') } : {}),
        ...(q.afterSeq !== undefined ? { afterSeq: q.afterSeq } : {}),
        limit: q.limit ?? 50,
      });
      return events.map((e) => ({
        seq: e.seq,
        at: iso(e.at),
        actor: e.actor,
        action: e.action,
        targetType: e.targetType,
        targetId: e.targetId,
        before: e.before,
        after: e.after,
        requestId: e.requestId,
        hash: e.hash,
      }));
    },
    /** Verifies the workspace's hash chain; admins only. */
    async verifyAudit(p: Principal, ws: string) {
      await requireRole(ctx, p, ws, 'admin', 'audit.verify');
      const r = await ctx.store.verifyAuditChain(ws);
      return r.ok
        ? { ok: true, checked: r.count }
        : { ok: false, checked: r.firstBadSeq - 1, firstBadSeq: r.firstBadSeq, problem: r.reason };
    },
    /** Liveness with the policy revision and the store kind. */
    async health() {
      return { status: 'ok' as const, revision: ctx.sync.revision, store: ctx.store.kind };
    },
    /** Used by the membership check of other services. */
    membershipOf: (p: Principal, ws: string) => membershipOf(ctx, p, ws),
  };
}
