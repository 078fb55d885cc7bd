/**
 * The one migration set for both backends, run at start under the backend's migration lock.
 * Each migration runs in its own transaction: a crash leaves the database at the last complete
 * migration, and the next start finishes the rest.
 */
import { type Migration, type MigrationProvider, type MigrationResult, Migrator } from 'kysely';
import type { Backend } from './backend.ts';
import { StorageError } from './errors.ts';
import { migration0001Initial } from './migrations/0001-initial.ts';
import { migration0002Verification } from './migrations/0002-verification.ts';
import { migration0003ChangePayload } from './migrations/0003-change-payload.ts';
import { migration0004GroupMembersIndex } from './migrations/0004-group-members-index.ts';
import { migration0005IntegrationsListingIndex } from './migrations/0005-integrations-listing-index.ts';
import { migration0006TenancyLookupIndexes } from './migrations/0006-tenancy-lookup-indexes.ts';
import { migration0007UserSeqs } from './migrations/0007-user-seqs.ts';

/** Every migration, by name; names sort in the order they apply. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': migration0001Initial,
  '0002-verification': migration0002Verification,
  '0003-change-payload': migration0003ChangePayload,
  '0004-group-members-index': migration0004GroupMembersIndex,
  '0005-integrations-listing-index': migration0005IntegrationsListingIndex,
  '0006-tenancy-lookup-indexes': migration0006TenancyLookupIndexes,
  '0007-user-seqs': migration0007UserSeqs,
};

/** Kysely migration provider over {@link MIGRATIONS}. */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};

/** Runs every pending migration (idempotent); returns the names applied by this call. */
export async function runMigrations(backend: Backend): Promise<string[]> {
  return backend.withMigrationLock(async () => {
    const migrator = new Migrator({ db: backend.db, provider: migrationProvider });
    const applied: string[] = [];
    for (;;) {
      // One step per call: Kysely wraps each call in its own transaction.
      const { error, results } = await migrator.migrateUp();
      if (error !== undefined) {
        const failed =
          results?.find((r: MigrationResult) => r.status === 'Error')?.migrationName ?? 'unknown';
        throw new StorageError('migration_failed', `Migration ${failed} failed`, { cause: error });
      }
      const done = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
      if (done.length === 0) return applied;
      applied.push(...done);
    }
  });
}
