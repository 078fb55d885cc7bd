/**
 * Test support: the child process of the kill -9 test. Opens the store given as JSON in
 * `argv[2]`, prints `ready`, then rewrites one integration's permissions in a loop, each change
 * in one transaction with its audit event and change-log row, printing `ack <version>` after each
 * commit. It runs until killed.
 */
import { StorageError } from '../errors.ts';
import { openStore, type StoreConfig } from '../store.ts';
import { kill9PermissionSet } from './kill9-shape.ts';

const [configJson, workspaceId, integrationId] = process.argv.slice(2);
if (configJson === undefined || workspaceId === undefined || integrationId === undefined) {
  throw new Error('usage: kill9-writer <config-json> <workspaceId> <integrationId>');
}
const store = await openStore(JSON.parse(configJson) as StoreConfig);
process.stdout.write('ready\n');
for (;;) {
  const current = await store.getIntegration(workspaceId, integrationId);
  if (current === undefined) throw new StorageError('invalid', 'integration missing');
  const next = current.version + 1;
  const set = kill9PermissionSet(next);
  const result = await store.transaction(async (tx) => {
    const r = await tx.updateIntegrationPermissions(workspaceId, integrationId, current.version, set);
    if (r.status !== 'updated') return r.status;
    await tx.appendAudit({
      workspaceId,
      actor: 'kill9-writer',
      action: 'integration.permissions.update',
      targetType: 'integration',
      targetId: integrationId,
      after: {
        version: next,
        permissions: set.permissions as never,
        allowedPipelines: set.allowedPipelines as never,
      },
    });
    await tx.recordChange('integration-permissions', { workspaceId, integrationId });
    return r.status;
  });
  // stdout to a pipe is synchronous on Linux: once written, the parent can read it.
  if (result === 'updated') process.stdout.write(`ack ${next}\n`);
}
