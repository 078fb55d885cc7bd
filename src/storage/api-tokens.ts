/**
 * API tokens and web sessions. Only a lookup prefix and a SHA-256 hash are stored; the caller
 * hashes the presented secret and compares in constant time.
 */
import type { Selectable } from 'kysely';
import { orNull, type RepoContext } from './context.ts';
import type { ApiTokenTable, SessionTable } from './schema.ts';
import type { ApiToken, WebSession } from './types.ts';

/** Input of `createApiToken`. */
export interface CreateApiTokenInput {
  readonly id?: string;
  readonly workspaceId: string;
  readonly userId: string;
  /** The `kh_…` lookup part shown in lists; unique. */
  readonly prefix: string;
  /** Lower-case hex SHA-256 of the whole token. */
  readonly hash: string;
  readonly name: string;
  readonly expiresAt?: number | null;
}

/** Input of `createWebSession`. */
export interface CreateWebSessionInput {
  readonly id?: string;
  readonly userId: string;
  /** Lower-case hex SHA-256 of the session secret; unique. */
  readonly hash: string;
  readonly expiresAt: number;
}

/** Row → record. */
export function toApiToken(row: Selectable<ApiTokenTable>): ApiToken {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    userId: row.user_id,
    prefix: row.prefix,
    hash: row.hash,
    name: row.name,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

/** Row → record. */
export function toWebSession(row: Selectable<SessionTable>): WebSession {
  return {
    id: row.id,
    userId: row.user_id,
    hash: row.hash,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastSeenAt: row.last_seen_at,
  };
}

/** Token and session functions bound to a context. */
export function tokenRepo(ctx: RepoContext) {
  return {
    /** Stores a token record (never the token itself). */
    async createApiToken(input: CreateApiTokenInput): Promise<ApiToken> {
      const row = {
        id: input.id ?? ctx.newId(),
        workspace_id: input.workspaceId,
        user_id: input.userId,
        prefix: input.prefix,
        hash: input.hash,
        name: input.name,
        created_at: ctx.now(),
        expires_at: orNull(input.expiresAt),
        revoked_at: null,
        last_used_at: null,
      };
      await ctx.db.insertInto('api_tokens').values(row).execute();
      return toApiToken(row);
    },
    /** The token with this prefix, whatever its state; the caller checks hash, expiry and revocation. */
    async findApiTokenByPrefix(prefix: string): Promise<ApiToken | undefined> {
      const row = await ctx.db
        .selectFrom('api_tokens')
        .selectAll()
        .where('prefix', '=', prefix)
        .executeTakeFirst();
      return row && toApiToken(row);
    },
    /** A workspace's tokens, optionally of one user. */
    async listApiTokens(workspaceId: string, filter: { readonly userId?: string } = {}): Promise<ApiToken[]> {
      let query = ctx.db.selectFrom('api_tokens').selectAll().where('workspace_id', '=', workspaceId);
      if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
      return (await query.orderBy('created_at').orderBy('id').execute()).map(toApiToken);
    },
    /** Revokes a token (first revocation time kept). True when it was live. */
    async revokeApiToken(workspaceId: string, id: string): Promise<boolean> {
      const r = await ctx.db
        .updateTable('api_tokens')
        .set({ revoked_at: ctx.now() })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    /** Records a use of a token. */
    async touchApiToken(id: string): Promise<void> {
      await ctx.db.updateTable('api_tokens').set({ last_used_at: ctx.now() }).where('id', '=', id).execute();
    },
    /** Stores a web session record. */
    async createWebSession(input: CreateWebSessionInput): Promise<WebSession> {
      const row = {
        id: input.id ?? ctx.newId(),
        user_id: input.userId,
        hash: input.hash,
        created_at: ctx.now(),
        expires_at: input.expiresAt,
        revoked_at: null,
        last_seen_at: null,
      };
      await ctx.db.insertInto('sessions').values(row).execute();
      return toWebSession(row);
    },
    /** The session whose secret hashes to `hash`, whatever its state. */
    async findWebSessionByHash(hash: string): Promise<WebSession | undefined> {
      const row = await ctx.db.selectFrom('sessions').selectAll().where('hash', '=', hash).executeTakeFirst();
      return row && toWebSession(row);
    },
    /** Revokes a session (sign-out). */
    async revokeWebSession(id: string): Promise<boolean> {
      const r = await ctx.db
        .updateTable('sessions')
        .set({ revoked_at: ctx.now() })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    /** Records activity on a session. */
    async touchWebSession(id: string): Promise<void> {
      await ctx.db.updateTable('sessions').set({ last_seen_at: ctx.now() }).where('id', '=', id).execute();
    },
    /** Deletes sessions that expired before now. Returns how many. */
    async deleteExpiredWebSessions(): Promise<number> {
      const r = await ctx.db.deleteFrom('sessions').where('expires_at', '<', ctx.now()).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
