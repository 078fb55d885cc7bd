/**
 * `keys rotate`: re-wraps every workspace data key under a new master key while the service keeps
 * running. Data keys and ciphertexts stay as they are; only the wrapping changes, in one
 * transaction with the new key-check value and an audit event per workspace. With a generated key
 * file in the data directory the new key is written beside it first (`master.key.new`, owner
 * only) and moved over the old one after the commit; a start that finds the old key refused and
 * the new file accepted finishes the move (see `runtime.ts`).
 */
import { renameSync, writeFileSync } from 'node:fs';
import { KeyhouseError } from '../core/errors.ts';
import { decodeKeyText } from '../secrets/key-material.ts';
import { type Keyring, rewrapAll } from '../secrets/keyring.ts';
import {
  createMasterKey,
  generateMasterKey,
  keyCheckValue,
  type MasterKey,
  type MasterKeyOrigin,
} from '../secrets/master-key.ts';
import { auditEvent, type Principal, requireRole, type ServiceContext } from './context.ts';

/** The master key in use and where it came from; replaced by a rotation. */
export interface MasterKeyHolder {
  master: MasterKey;
  readonly origin: MasterKeyOrigin;
  /** The key file written by Keyhouse itself (generated in the data directory), if that is the origin. */
  readonly managedFile?: string;
  /** The workspace whose admins operate the installation (the bootstrap workspace). */
  readonly operatorWorkspace: string;
}

/** Key-management use cases. */
export function keyService(ctx: ServiceContext & { keyring: Keyring }, holder: MasterKeyHolder) {
  return {
    /** Rotates the master key; admins of the operator workspace only. The key is never returned. */
    async rotateMasterKey(p: Principal, input: { newMasterKey?: string }) {
      await requireRole(ctx, p, holder.operatorWorkspace, 'admin', 'keys.rotate');
      if (input.newMasterKey === undefined && !holder.managedFile) {
        throw new KeyhouseError(
          'validation_failed',
          'The master key comes from your configuration: send the new key as newMasterKey, then update KEYHOUSE_MASTER_KEY (or its file) before the next restart.',
          {
            details: {
              fields: [{ path: 'body.newMasterKey', message: 'is required for a configured master key' }],
            },
          },
        );
      }
      let next: MasterKey;
      if (input.newMasterKey === undefined) next = generateMasterKey();
      else {
        ctx.secrets.register(input.newMasterKey);
        const decoded = decodeKeyText(input.newMasterKey);
        if (typeof decoded === 'string') {
          throw new KeyhouseError('validation_failed', `newMasterKey ${decoded}`, {
            details: { fields: [{ path: 'body.newMasterKey', message: decoded }] },
          });
        }
        next = createMasterKey(decoded);
        decoded.fill(0);
      }
      const old = holder.master;
      if (next.id === old.id) throw new KeyhouseError('conflict', 'The new master key is the key in use.');
      return ctx.sync.serialized(async () => {
        const stored = (await ctx.store.listWorkspaceKeys()).filter((k) => k.destroyedAt === null);
        const wrapped = stored.map((k) => ({
          workspaceId: k.workspaceId,
          keyId: k.keyId,
          masterKeyId: k.masterKeyId,
          wrapped: Buffer.from(k.wrappedKey),
        }));
        const rewrapped = rewrapAll(wrapped, old, next);
        if (holder.managedFile) {
          writeFileSync(`${holder.managedFile}.new`, `${next.bytes.toString('base64')}\n`, {
            mode: 0o600,
            flag: 'w',
          });
        }
        await ctx.store.transaction(async (tx) => {
          for (const r of rewrapped) {
            if (r.masterKeyId === old.id) continue;
            await tx.rewrapWorkspaceKey(r.keyId, old.id, r.wrapped, next.id);
          }
          if (!(await tx.getMasterKeyCheck(next.id)))
            await tx.putMasterKeyCheck(next.id, keyCheckValue(next));
          for (const ws of new Set(stored.map((k) => k.workspaceId))) {
            await tx.appendAudit(
              auditEvent(p, ws, 'keys.rotate', 'master-key', next.id, {
                before: { masterKeyId: old.id },
                after: { masterKeyId: next.id },
              }),
            );
          }
        });
        if (holder.managedFile) renameSync(`${holder.managedFile}.new`, holder.managedFile);
        ctx.keyring = ctx.keyring.withMaster(next, rewrapped);
        holder.master = next;
        return {
          masterKeyId: next.id,
          previousMasterKeyId: old.id,
          rewrapped: rewrapped.length,
          keyFile: holder.managedFile
            ? 'replaced'
            : 'not managed: update your KEYHOUSE_MASTER_KEY or key file before the next restart',
        };
      });
    },
  };
}
