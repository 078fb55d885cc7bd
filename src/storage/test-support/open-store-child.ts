/**
 * Test support: a child process that tries to open a SQLite store in `argv[2]` and prints one
 * JSON line: `{"ok":true}` or `{"ok":false,"code":…,"message":…}`.
 */
import { StorageError } from '../errors.ts';
import { openStore } from '../store.ts';

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: open-store-child <dataDir>');
try {
  const store = await openStore({ kind: 'sqlite', dataDir });
  await store.close();
  console.log(JSON.stringify({ ok: true }));
} catch (error) {
  const code = error instanceof StorageError ? error.code : 'other';
  console.log(JSON.stringify({ ok: false, code, message: (error as Error).message }));
}
