/**
 * Master-key rotation while running: every data key re-wrapped, every credential still
 * decryptable, the old key refused afterwards, and an interrupted file move finished at start.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../src/config/load-config.ts';
import { SecretRegistry } from '../src/logging/secret-registry.ts';
import { type Runtime, startKeyhouse } from '../src/services/runtime.ts';

const quiet = { secrets: new SecretRegistry(), warn: () => undefined };

async function start(dataDir: string, key?: string): Promise<Runtime> {
  return startKeyhouse(
    loadConfig({ KEYHOUSE_DATA_DIR: dataDir, ...(key ? { KEYHOUSE_MASTER_KEY: key } : {}) }),
    quiet,
  );
}

/** Decrypts every stored credential field through the running keyring. */
async function decryptAll(rt: Runtime): Promise<string[]> {
  const ctx = rt.keyhouse.context;
  const out: string[] = [];
  for (const ws of await ctx.store.listWorkspaces()) {
    for (const i of await ctx.store.listIntegrations(ws.id)) {
      const version = ((i.config as Record<string, unknown>)['__credential'] as { version: number }).version;
      for (const f of await ctx.store.getIntegrationSecrets(ws.id, i.id)) {
        const field = {
          keyId: f.keyId,
          iv: Buffer.from(f.iv),
          tag: Buffer.from(f.tag),
          ciphertext: Buffer.from(f.ciphertext),
        };
        out.push(
          ctx.keyring.decrypt({ workspaceId: ws.id, integrationId: i.id, field: f.field, version }, field),
        );
      }
    }
  }
  return out.sort();
}

async function seed(rt: Runtime): Promise<string[]> {
  const admin = (await rt.keyhouse.authenticate(rt.bootstrapToken!))!;
  await rt.keyhouse.createWorkspace(admin, { id: 'second', name: 'Second' });
  const secrets: string[] = [];
  for (const ws of ['default', 'second']) {
    for (let n = 0; n < 3; n++) {
      const token = `ghp_${randomBytes(27).toString('base64url').slice(0, 36)}`;
      secrets.push(token);
      await rt.keyhouse.createIntegration(admin, ws, {
        name: `gh ${n}`,
        provider: 'github',
        credentialType: 'classic-pat',
        scope: { type: 'WORKSPACE' },
        credential: { token },
      });
    }
  }
  return secrets.sort();
}

test('rotation with a configured key: values survive, the old key is refused, the new one starts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyhouse-rotate-'));
  const oldKey = randomBytes(32).toString('base64');
  const newKey = randomBytes(32).toString('base64');
  try {
    const rt = await start(dir, oldKey);
    const secrets = await seed(rt);
    const admin = (await rt.keyhouse.authenticate(rt.bootstrapToken!))!;
    await assert.rejects(rt.keyhouse.rotateMasterKey(admin, {}), /newMasterKey/);
    const result = await rt.keyhouse.rotateMasterKey(admin, { newMasterKey: newKey });
    assert.equal(result.rewrapped, 2);
    assert.notEqual(result.masterKeyId, result.previousMasterKeyId);
    assert.deepEqual(
      await decryptAll(rt),
      secrets,
      'every value decrypts after rotation, in the same process',
    );
    const audit = await rt.keyhouse.context.store.listAudit({ workspaceId: 'second', action: 'keys.rotate' });
    assert.equal(audit.length, 1);
    assert.equal(JSON.stringify(audit).includes(newKey), false);
    await rt.close();
    await assert.rejects(start(dir, oldKey), /not the key this data was encrypted with/);
    const again = await start(dir, newKey);
    assert.deepEqual(await decryptAll(again), secrets, 'and after a restart with the new key');
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rotation with the managed key file replaces it, and a start finishes an interrupted move', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyhouse-rotate-'));
  const keyFile = join(dir, 'master.key');
  try {
    const rt = await start(dir);
    const secrets = await seed(rt);
    const before = readFileSync(keyFile, 'utf8');
    const admin = (await rt.keyhouse.authenticate(rt.bootstrapToken!))!;
    await rt.keyhouse.rotateMasterKey(admin, {});
    const after = readFileSync(keyFile, 'utf8');
    assert.notEqual(after, before);
    assert.equal(statSync(keyFile).mode & 0o077, 0, 'the key file stays owner-only');
    assert.equal(existsSync(`${keyFile}.new`), false);
    await rt.close();
    // The crash window: the rewrap committed, the new file not yet moved over the old one.
    const snapshot = mkdtempSync(join(tmpdir(), 'keyhouse-rotate-'));
    cpSync(dir, snapshot, { recursive: true });
    renameSync(join(snapshot, 'master.key'), join(snapshot, 'master.key.new'));
    writeFileSync(join(snapshot, 'master.key'), before, { mode: 0o600 });
    const resumed = await start(snapshot);
    assert.deepEqual(await decryptAll(resumed), secrets);
    assert.equal(readFileSync(join(snapshot, 'master.key'), 'utf8'), after, 'the move was finished');
    await resumed.close();
    rmSync(snapshot, { recursive: true, force: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
