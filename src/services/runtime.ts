/**
 * Starts the Keyhouse service from its configuration: opens the store (lock, migrations),
 * loads and checks the master key, unwraps the workspace data keys, builds the policy index,
 * and creates the bootstrap workspace and admin on first start.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import type { KeyhouseConfig } from '../config/load-config.ts';
import { KeyhouseError } from '../core/errors.ts';
import type { IndexLimits } from '../core/policy/policy-index.ts';
import { Keyring } from '../secrets/keyring.ts';
import {
  assertKeyCheck,
  keyCheckValue,
  loadMasterKey,
  type MasterKey,
  type MasterKeyOrigin,
  readKeyFile,
} from '../secrets/master-key.ts';
import { openStore, type Store } from '../storage/store.ts';
import { issueToken } from './account-service.ts';
import { readCatalogue } from './catalogue-loader.ts';
import type { SecretSink, ServiceContext } from './context.ts';
import { IndexSync } from './index-sync.ts';
import { createKeyhouse, type Keyhouse } from './keyhouse.ts';

/** Options of {@link startKeyhouse}. */
export interface StartOptions {
  readonly secrets: SecretSink;
  readonly warn: (message: string) => void;
  readonly now?: () => number;
  /** The catalogue folder (default: the repository's `catalogue/`). */
  readonly catalogueDir?: string | URL;
  /** Lower limits on the ids the policy index holds than its layout's (tests). */
  readonly indexLimits?: Partial<IndexLimits>;
}

/** A started service. */
export interface Runtime {
  readonly keyhouse: Keyhouse;
  readonly store: Store;
  /** The policy index and the database revision it reflects. */
  readonly sync: IndexSync;
  /** The one-time token of the bootstrap admin, set on the first start only. */
  readonly bootstrapToken?: string;
  readonly masterKeyOrigin: MasterKeyOrigin;
  close(): Promise<void>;
}

/**
 * Refuses a master key that is not the one the stored data keys were wrapped with. With a key file
 * managed by Keyhouse, finishes a rotation that stopped between its commit and the file move.
 */
async function checkMasterKey(store: Store, master: MasterKey, managedFile?: string): Promise<MasterKey> {
  const pending =
    managedFile !== undefined && existsSync(`${managedFile}.new`) ? `${managedFile}.new` : undefined;
  if (await keyMatches(store, master)) {
    if (pending) rmSync(pending, { force: true });
    return master;
  }
  if (pending && managedFile) {
    const next = readKeyFile(pending, 'KEYHOUSE_DATA_DIR');
    if (await keyMatches(store, next)) {
      renameSync(pending, managedFile);
      return next;
    }
  }
  throw new KeyhouseError(
    'sealed',
    'The master key is not the key this data was encrypted with; supply the original key.',
  );
}

async function keyMatches(store: Store, master: MasterKey): Promise<boolean> {
  const keys = (await store.listWorkspaceKeys()).filter((k) => k.destroyedAt === null);
  if (keys.some((k) => k.masterKeyId !== master.id)) return false;
  const mine = (await store.listMasterKeyChecks()).find((c) => c.masterKeyId === master.id);
  if (mine) assertKeyCheck(master, mine.checkValue);
  else await store.putMasterKeyCheck(master.id, keyCheckValue(master));
  return true;
}

/** Unwraps every live workspace data key under the master key; the newest per workspace encrypts. */
export async function loadKeyring(store: Store, master: MasterKey): Promise<Keyring> {
  const keyring = new Keyring(master);
  const keys = (await store.listWorkspaceKeys())
    .filter((k) => k.destroyedAt === null)
    .sort((a, b) => a.createdAt - b.createdAt);
  for (const k of keys) {
    keyring.add({
      workspaceId: k.workspaceId,
      keyId: k.keyId,
      masterKeyId: k.masterKeyId,
      wrapped: Buffer.from(k.wrappedKey),
    });
  }
  return keyring;
}

/** Opens everything and returns the running service. */
export async function startKeyhouse(config: KeyhouseConfig, options: StartOptions): Promise<Runtime> {
  const now = options.now ?? Date.now;
  // A bad catalogue file stops the start, naming the file and the key, before the store is touched.
  const catalogue = await readCatalogue(options.catalogueDir);
  const store = await openStore(
    config.database.kind === 'sqlite'
      ? { kind: 'sqlite', dataDir: config.dataDir, busyTimeoutMs: config.sqliteBusyTimeoutMs, now }
      : {
          kind: 'postgres',
          url: config.database.url,
          maxConnections: config.pgPoolMax,
          now,
          onIdleError: (e) => options.warn(`PostgreSQL connection error: ${e.message}`),
        },
  );
  try {
    const loaded = loadMasterKey(config.masterKey);
    for (const w of loaded.warnings) options.warn(w);
    const managedFile = config.masterKey.kind === 'default' ? config.masterKey.path : undefined;
    const master = await checkMasterKey(store, loaded.key, managedFile);
    const keyring = await loadKeyring(store, master);
    const sync = await IndexSync.load(store, {
      shared: store.kind === 'postgres',
      ...(options.indexLimits === undefined ? {} : { limits: options.indexLimits }),
    });
    const ctx: ServiceContext & { keyring: Keyring } = {
      store,
      catalogue,
      sync,
      keyring,
      secrets: options.secrets,
      now,
      warn: options.warn,
    };
    const keyhouse = createKeyhouse(
      ctx,
      {
        master,
        origin: loaded.origin,
        ...(managedFile === undefined ? {} : { managedFile }),
        operatorWorkspace: config.bootstrap.workspace,
      },
      { expiryWindowDays: config.verifyExpiryWindowDays },
    );
    const bootstrapToken = await bootstrap(ctx, config);
    return {
      keyhouse,
      store,
      sync,
      masterKeyOrigin: loaded.origin,
      ...(bootstrapToken === undefined ? {} : { bootstrapToken }),
      close: () => store.close(),
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/**
 * On first start (no workspace at all): creates the bootstrap workspace, its data key, the
 * bootstrap admin and an API token, returned once. Several processes starting together on
 * PostgreSQL: one wins, the others see the workspace and skip.
 */
async function bootstrap(ctx: ServiceContext, config: KeyhouseConfig): Promise<string | undefined> {
  if ((await ctx.store.listWorkspaces()).length > 0) return undefined;
  const { admin, workspace } = config.bootstrap;
  try {
    const user = await ctx.store.transaction(async (tx) => {
      const w = await tx.createWorkspace({ id: workspace, name: workspace });
      const wrapped = ctx.keyring.createWorkspaceKey(w.id);
      await tx.createWorkspaceKey({
        workspaceId: w.id,
        keyId: wrapped.keyId,
        wrappedKey: wrapped.wrapped,
        masterKeyId: wrapped.masterKeyId,
      });
      const u =
        (await tx.getUserByLogin(admin)) ??
        (await tx.createUser({ login: admin, displayName: 'Bootstrap administrator' }));
      await tx.setMembership({
        workspaceId: w.id,
        userId: u.id,
        role: 'admin',
        roleSource: { kind: 'manual' },
      });
      await tx.appendAudit({
        workspaceId: w.id,
        actor: 'system',
        action: 'workspace.bootstrap',
        targetType: 'workspace',
        targetId: w.id,
        after: { admin },
      });
      await tx.recordChange('workspace.bootstrap', { workspaceId: w.id });
      return u;
    });
    const { token } = await issueToken(ctx, ctx.store, {
      workspaceId: workspace,
      userId: user.id,
      name: 'bootstrap',
    });
    await ctx.sync.rebuild();
    return token;
  } catch (error) {
    if ((error as { code?: string }).code === 'duplicate') return undefined;
    throw error;
  }
}
