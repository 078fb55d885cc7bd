/**
 * The plan SQLite picks for reading one integration's permissions: the primary keys by
 * integration id, never a pass over every entry of the workspace (which made each read, and each
 * create or update that reads its integration back, cost the size of the workspace).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CompiledQuery } from 'kysely';
import { permissionReads } from './integration-permissions.ts';
import { runMigrations } from './migrate.ts';
import { openSqliteBackend } from './sqlite/sqlite-backend.ts';

test("SQLite reads one integration's entries and allowed list by their primary keys", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kh-plan-'));
  const backend = await openSqliteBackend({ dataDir });
  try {
    await runMigrations(backend);
    const plan = async (query: { compile(): CompiledQuery }) => {
      const compiled = query.compile();
      const rows = await backend.db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]),
      );
      return rows.rows.map((r) => r.detail).join(' | ');
    };
    const one = permissionReads(backend.db, { workspaceId: 'w', integrationId: 'i' });
    const entries = await plan(one.entries);
    assert.match(
      entries,
      /SEARCH integration_entries USING (COVERING )?INDEX sqlite_autoindex_integration_entries_1 \(integration_id=\?\)/,
      entries,
    );
    const pipelines = await plan(one.pipelines);
    assert.match(
      pipelines,
      /SEARCH integration_pipelines USING (COVERING )?INDEX sqlite_autoindex_integration_pipelines_1 \(integration_id=\?\)/,
      pipelines,
    );
    // A whole workspace is read by the workspace.
    const all = permissionReads(backend.db, { workspaceId: 'w' });
    assert.match(await plan(all.entries), /integration_entries_subject \(workspace_id=\?\)/);
  } finally {
    await backend.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
