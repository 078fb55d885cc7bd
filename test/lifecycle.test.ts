/**
 * Start-up and tear-down guarantees: a bad catalogue file stops the start naming the file and the
 * key, before the store is touched; deleting a workspace destroys its data key, so its
 * ciphertexts can never be read again (crypto-shredding), and leaves other workspaces alone.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../src/config/load-config.ts';
import { SecretRegistry } from '../src/logging/secret-registry.ts';
import { startKeyhouse } from '../src/services/runtime.ts';

const quiet = { secrets: new SecretRegistry(), warn: () => undefined };

test('a bad catalogue file stops the start, naming the file and the key, and writes nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyhouse-cat-'));
  try {
    const catalogueDir = join(dir, 'catalogue');
    cpSync(new URL('../catalogue/', import.meta.url), catalogueDir, { recursive: true });
    const file = join(catalogueDir, 'gitea.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^(\s+)source: https?:\/\/\S+$/m, '$1source: 42'));
    const dataDir = join(dir, 'data');
    const config = loadConfig({
      KEYHOUSE_DATA_DIR: dataDir,
      KEYHOUSE_MASTER_KEY: randomBytes(32).toString('base64'),
    });
    await assert.rejects(startKeyhouse(config, { ...quiet, catalogueDir }), (error: Error) => {
      assert.match(error.message, /gitea\.yaml/);
      assert.match(error.message, /source/);
      return true;
    });
    assert.equal(existsSync(join(dataDir, 'keyhouse.db')), false, 'the store was not opened');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('deleting a workspace destroys its data key and its credentials, and only its own', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyhouse-shred-'));
  try {
    const rt = await startKeyhouse(
      loadConfig({ KEYHOUSE_DATA_DIR: dir, KEYHOUSE_MASTER_KEY: randomBytes(32).toString('base64') }),
      quiet,
    );
    const admin = (await rt.keyhouse.authenticate(rt.bootstrapToken!))!;
    await rt.keyhouse.createWorkspace(admin, { id: 'doomed', name: 'Doomed' });
    for (const ws of ['doomed', 'default']) {
      await rt.keyhouse.createIntegration(admin, ws, {
        id: `gh-${ws}`,
        name: 'GitHub',
        provider: 'github',
        credentialType: 'classic-pat',
        scope: { type: 'WORKSPACE' },
        credential: { token: `ghp_${randomBytes(27).toString('base64url').slice(0, 36)}` },
      });
    }
    const store = rt.keyhouse.context.store;
    const keyBefore = (await store.listWorkspaceKeys()).find((k) => k.workspaceId === 'doomed');
    assert.ok(keyBefore);
    await rt.keyhouse.deleteWorkspace(admin, 'doomed');
    const keyAfter = (await store.listWorkspaceKeys()).find((k) => k.keyId === keyBefore.keyId);
    assert.ok(
      keyAfter === undefined || (keyAfter.destroyedAt !== null && keyAfter.wrappedKey.length === 0),
      'the wrapped data key is gone',
    );
    assert.equal((await store.getIntegrationSecrets('doomed', 'gh-doomed')).length, 0);
    await assert.rejects(rt.keyhouse.getWorkspace(admin, 'doomed'), /Not found/);
    assert.equal(
      (await store.getIntegrationSecrets('default', 'gh-default')).length,
      1,
      'other workspaces keep theirs',
    );
    await rt.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
