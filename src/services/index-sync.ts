/**
 * Keeps the in-memory policy index in step with the database. Writes of this process are
 * serialised and applied to the index before the write returns (a revoke is in force when its
 * response arrives). Changes made by other processes (PostgreSQL) are seen through the change
 * log's revision: when the database is ahead, the index is rebuilt from a consistent snapshot.
 */
import type { PolicyChange } from '../core/policy/changes.ts';
import { type IndexLimits, PolicyIndex, type PolicyIndexOptions } from '../core/policy/policy-index.ts';
import type { PolicyData } from '../core/policy/types.ts';
import type { PolicySnapshot } from '../storage/snapshot.ts';
import type { Store } from '../storage/store.ts';

/** Storage snapshot → the engine's plain data. */
export function policyDataOf(snapshot: PolicySnapshot): PolicyData {
  return {
    members: snapshot.members,
    groups: snapshot.groups.map((g) => ({ id: g.id, workspaceId: g.workspaceId, userIds: g.memberIds })),
    integrations: snapshot.integrations,
    pipelines: snapshot.pipelines,
  };
}

/** Options of {@link IndexSync}. */
export interface IndexSyncOptions {
  /**
   * Check the database revision before each decision (several processes share the database).
   * Off for SQLite, where the data-directory lock guarantees one process.
   */
  readonly shared: boolean;
  /** Lower limits on the ids the index holds than its layout's (tests; a smaller ceiling). */
  readonly limits?: Partial<IndexLimits>;
}

/** The index and the database revision it reflects. */
export class IndexSync {
  readonly #store: Store;
  readonly #shared: boolean;
  /** The index's options (its limits), for every rebuild. */
  readonly #options: PolicyIndexOptions;
  #index: PolicyIndex;
  #revision: number;
  #queue: Promise<unknown> = Promise.resolve();
  #rebuilding: Promise<void> | undefined;

  private constructor(store: Store, index: PolicyIndex, revision: number, options: IndexSyncOptions) {
    this.#store = store;
    this.#index = index;
    this.#revision = revision;
    this.#shared = options.shared;
    this.#options = options;
  }

  /** Loads the whole policy from the store (`capacity_exceeded` when it holds more than the limits). */
  static async load(store: Store, options: IndexSyncOptions): Promise<IndexSync> {
    const snapshot = await store.loadPolicySnapshot();
    const index = PolicyIndex.build(policyDataOf(snapshot), 0, options);
    return new IndexSync(store, index, snapshot.revision, options);
  }

  /** The database revision the index reflects. */
  get revision(): number {
    return this.#revision;
  }

  /** The index as it is now, without catching up. */
  get index(): PolicyIndex {
    return this.#index;
  }

  /** Runs writes one at a time in this process, so their revisions apply in order. */
  serialized<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(fn, fn);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** A write of this process committed `change` at `revision`: apply it, or rebuild if another process wrote in between. */
  async applied(revision: number, change: PolicyChange): Promise<void> {
    if (revision === this.#revision + 1) {
      this.#index.apply(change);
      this.#revision = revision;
      return;
    }
    await this.rebuild();
  }

  /**
   * The index, caught up with the database: always when `minRevision` is above what it reflects,
   * and on every call when the database is shared between processes.
   */
  async fresh(minRevision?: number): Promise<PolicyIndex> {
    if (this.#shared || (minRevision !== undefined && minRevision > this.#revision)) {
      const current = await this.#store.currentRevision();
      if (current > this.#revision) await this.rebuild();
    }
    return this.#index;
  }

  /** Rebuilds the index from a consistent snapshot (one rebuild at a time). */
  async rebuild(): Promise<void> {
    this.#rebuilding ??= (async () => {
      try {
        const snapshot = await this.#store.loadPolicySnapshot();
        if (snapshot.revision >= this.#revision) {
          this.#index = PolicyIndex.build(policyDataOf(snapshot), 0, this.#options);
          this.#revision = snapshot.revision;
        }
      } finally {
        this.#rebuilding = undefined;
      }
    })();
    await this.#rebuilding;
  }
}
