/**
 * Keeps the in-memory policy index in step with the database. Writes of this process are
 * serialised and applied to the index before the write returns (a revoke is in force when its
 * response arrives). Changes made by other processes (PostgreSQL) are seen through the change
 * log: when the database is ahead, the index replays the policy changes the log carries, in
 * revision order; it is rebuilt from a consistent snapshot only when a change carries none (a
 * workspace or project deletion), is of a type this version does not know, or the index is more
 * than {@link REPLAY_LIMIT} changes behind.
 */
import type { PolicyChange } from '../core/policy/changes.ts';
import { type IndexLimits, PolicyIndex, type PolicyIndexOptions } from '../core/policy/policy-index.ts';
import type { PolicyData } from '../core/policy/types.ts';
import type { PolicySnapshot } from '../storage/snapshot.ts';
import type { Store } from '../storage/store.ts';
import type { Change } from '../storage/types.ts';

/** At most this many changes are replayed in one catch-up; an index further behind is rebuilt. */
export const REPLAY_LIMIT = 1000;

/**
 * Catch-ups one call may need: one that joins a catch-up already under way (which may have read
 * the log before the revision asked for was committed), then one of its own, which reaches it.
 */
const CATCH_UP_ATTEMPTS = 2;

/** Storage snapshot → the engine's plain data. */
export function policyDataOf(snapshot: PolicySnapshot): PolicyData {
  return {
    members: snapshot.members,
    groups: snapshot.groups.map((g) => ({
      id: g.id,
      workspaceId: g.workspaceId,
      userIds: g.memberIds,
      userSeqs: g.memberSeqs,
    })),
    integrations: snapshot.integrations,
    pipelines: snapshot.pipelines,
  };
}

/** The load at start: what the snapshot held, and the time to read it and to build the index. */
export interface IndexLoad {
  readonly revision: number;
  readonly workspaces: number;
  readonly members: number;
  readonly integrations: number;
  /** User and group entries of every integration. */
  readonly entries: number;
  readonly snapshotMs: number;
  readonly buildMs: number;
}

function entryCount(snapshot: PolicySnapshot): number {
  let entries = 0;
  for (const i of snapshot.integrations) entries += i.permissions.users.length + i.permissions.groups.length;
  return entries;
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
  #catchingUp: Promise<void> | undefined;
  #replayed = 0;
  #rebuilt = 0;
  /** What the load at start read and how long it took (for the start's log line). */
  readonly loaded: IndexLoad;

  private constructor(store: Store, index: PolicyIndex, loaded: IndexLoad, options: IndexSyncOptions) {
    this.#store = store;
    this.loaded = loaded;
    this.#index = index;
    this.#revision = loaded.revision;
    this.#shared = options.shared;
    this.#options = options;
  }

  /** Loads the whole policy from the store (`capacity_exceeded` when it holds more than the limits). */
  static async load(store: Store, options: IndexSyncOptions): Promise<IndexSync> {
    const started = performance.now();
    const snapshot = await store.loadPolicySnapshot();
    const read = performance.now();
    const index = PolicyIndex.build(policyDataOf(snapshot), 0, options);
    const loaded: IndexLoad = {
      revision: snapshot.revision,
      workspaces: snapshot.workspaceIds.length,
      members: snapshot.members.length,
      integrations: snapshot.integrations.length,
      entries: entryCount(snapshot),
      snapshotMs: Math.round(read - started),
      buildMs: Math.round(performance.now() - read),
    };
    return new IndexSync(store, index, loaded, options);
  }

  /** The database revision the index reflects. */
  get revision(): number {
    return this.#revision;
  }

  /** Changes replayed from the change log, and rebuilds from the database, since the load. */
  get counts(): { readonly replayed: number; readonly rebuilt: number } {
    return { replayed: this.#replayed, rebuilt: this.#rebuilt };
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

  /**
   * A write of this process committed `change` at `revision`: apply it, or, when other processes
   * wrote in between, catch up through the change log (which holds this change too).
   */
  async applied(revision: number, change: PolicyChange): Promise<void> {
    if (revision === this.#revision + 1) {
      this.#index.apply(change);
      this.#revision = revision;
      return;
    }
    await this.reach(revision);
  }

  /**
   * The index, caught up with the database: always when `minRevision` is above what it reflects,
   * and on every call when the database is shared between processes.
   */
  async fresh(minRevision?: number): Promise<PolicyIndex> {
    if (this.#shared || (minRevision !== undefined && minRevision > this.#revision)) {
      const current = await this.#store.currentRevision();
      if (current > this.#revision) await this.reach(current);
    }
    return this.#index;
  }

  /**
   * Catches up until the index reflects at least `revision` (committed before the call). Should
   * the log not lead there (rows missing from it), rebuilds: never an index older than asked for.
   */
  private async reach(revision: number): Promise<void> {
    for (let attempt = 0; attempt < CATCH_UP_ATTEMPTS && this.#revision < revision; attempt++)
      await this.catchUp();
    if (this.#revision < revision) await this.rebuild();
  }

  /**
   * Replays the change log since the index's revision (one catch-up at a time), or rebuilds when
   * the log cannot be replayed; either way the index then reflects every change committed before
   * the catch-up began.
   */
  private async catchUp(): Promise<void> {
    this.#catchingUp ??= (async () => {
      try {
        const changes = await this.#store.changesSince(this.#revision, REPLAY_LIMIT);
        if (!this.replay(changes)) await this.rebuild();
      } finally {
        this.#catchingUp = undefined;
      }
    })();
    await this.#catchingUp;
  }

  /**
   * Applies the changes above the index's revision in order; false, for a rebuild, when they are
   * a full page (more may follow) or one of them cannot be replayed. The changes are the log's
   * from some earlier revision of this index: commits take revisions in order, so those above its
   * revision now are exactly the next ones. A failed change leaves the index at the one before.
   */
  private replay(changes: readonly Change[]): boolean {
    if (changes.length >= REPLAY_LIMIT) return false;
    const pending = changes.filter((c) => c.revision > this.#revision);
    if (pending.some((c) => c.policyChange === null)) return false;
    for (const c of pending) {
      try {
        this.#index.apply(c.policyChange!);
      } catch {
        return false;
      }
      this.#revision = c.revision;
      this.#replayed++;
    }
    return true;
  }

  /** Rebuilds the index from a consistent snapshot (one rebuild at a time). */
  async rebuild(): Promise<void> {
    this.#rebuilding ??= (async () => {
      try {
        const snapshot = await this.#store.loadPolicySnapshot();
        if (snapshot.revision >= this.#revision) {
          this.#index = PolicyIndex.build(policyDataOf(snapshot), 0, this.#options);
          this.#revision = snapshot.revision;
          this.#rebuilt++;
        }
      } finally {
        this.#rebuilding = undefined;
      }
    })();
    await this.#rebuilding;
  }
}
