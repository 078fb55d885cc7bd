/**
 * The exclusive lock on a SQLite data directory: a lock file created with O_EXCL that holds the
 * owner's pid. A second process is refused with the directory and the holder's pid; a lock left
 * by a dead process is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StorageError } from '../errors.ts';

/** Name of the lock file inside the data directory. */
export const LOCK_FILE_NAME = 'keyhouse.lock';

/** A held data-directory lock. */
export interface DataDirLock {
  readonly path: string;
  /** Removes the lock file if it still holds this process's pid. Idempotent. */
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function tryCreate(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Removes a stale lock under a takeover mutex so two takers cannot both succeed. */
function takeOverStale(path: string, stalePid: number | undefined): boolean {
  const mutex = `${path}.takeover`;
  try {
    mkdirSync(mutex);
  } catch {
    return false;
  }
  try {
    if (readPid(path) !== stalePid) return false;
    unlinkSync(path);
    return tryCreate(path);
  } finally {
    rmdirSync(mutex);
  }
}

/**
 * Takes the exclusive lock on `dataDir` (which must exist).
 * @throws StorageError `data_dir_locked` when a live process holds it.
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  const path = join(dataDir, LOCK_FILE_NAME);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(path)) return heldLock(path);
    const holder = readPid(path);
    if (holder !== undefined && isAlive(holder)) {
      throw new StorageError(
        'data_dir_locked',
        `Data directory ${dataDir} is locked by process ${holder}; stop that process or use another directory`,
      );
    }
    // An empty file may be a lock being written this instant: give its writer a moment first.
    if (holder === undefined && attempt === 0) continue;
    if (takeOverStale(path, holder)) return heldLock(path);
  }
  throw new StorageError('data_dir_locked', `Data directory ${dataDir} is locked (lock file ${path})`);
}

function heldLock(path: string): DataDirLock {
  let held = true;
  return {
    path,
    release() {
      if (!held) return;
      held = false;
      if (readPid(path) === process.pid) unlinkSync(path);
    },
  };
}
