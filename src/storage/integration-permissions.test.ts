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
    // A whole workspace is read through its integrations, by the keys (migration 0006): no index
    // of these tables leads with the workspace any more.
    const all = permissionReads(backend.db, { workspaceId: 'w' });
    for (const [table, query] of [
      ['integration_entries', all.entries],
      ['integration_pipelines', all.pipelines],
    ] as const) {
      const read = await plan(query);
      assert.match(
        read,
        new RegExp(
          `SEARCH ${table} USING (COVERING )?INDEX sqlite_autoindex_${table}_1 \\(integration_id=\\?\\)`,
        ),
        read,
      );
      assert.match(read, /SEARCH integrations USING COVERING INDEX \S+ \(workspace_id=\?\)/, read);
    }
  } finally {
    await backend.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
