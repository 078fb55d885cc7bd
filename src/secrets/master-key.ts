import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../config/config-error.ts';
import type { MasterKeySource } from '../config/load-config.ts';
import {
  constantTimeEqual,
  createSymmetricKey,
  decodeKeyText,
  KEY_BYTES,
  keyCheckValue as keyCheckOfBytes,
  type SymmetricKey,
} from './key-material.ts';

/** The deployment's master key: it wraps every workspace data key, and nothing else. */
export type MasterKey = SymmetricKey;

/** Where a loaded master key came from. */
export type MasterKeyOrigin = 'inline' | 'file' | 'data-dir' | 'generated';

/** A master key ready for use, where it came from, and warnings to print at start. */
export interface LoadedMasterKey {
  readonly key: MasterKey;
  readonly origin: MasterKeyOrigin;
  readonly warnings: readonly string[];
}

/** Thrown when the configured master key is not the one the store recorded at first start. */
export class MasterKeyMismatchError extends Error {
  /** Stable code for the error registry. */
  readonly code = 'master_key_mismatch';
  constructor(keyId: string) {
    super(
      `the master key (id ${keyId}) is not the key this data was encrypted with; ` +
        'supply the original KEYHOUSE_MASTER_KEY or key file, or restore it from its backup',
    );
    this.name = 'MasterKeyMismatchError';
  }
}

/** Builds a master key from 32 bytes (copied). */
export function createMasterKey(bytes: Uint8Array): MasterKey {
  return createSymmetricKey(bytes, 'MasterKey');
}

/** Generates a fresh random master key (for `keyhouse keys rotate` and first start). */
export function generateMasterKey(): MasterKey {
  const bytes = randomBytes(KEY_BYTES);
  const key = createMasterKey(bytes);
  bytes.fill(0);
  return key;
}

/** The key-check value of a master key: the store records it at first start. */
export function keyCheckValue(key: MasterKey): string {
  return keyCheckOfBytes(key.bytes);
}

/**
 * Refuses a master key whose check value differs from the recorded one, so a start with the
 * wrong key stops before it writes anything. Compares in constant time.
 */
export function assertKeyCheck(key: MasterKey, recorded: string): void {
  if (!constantTimeEqual(keyCheckValue(key), recorded)) throw new MasterKeyMismatchError(key.id);
}

/**
 * Loads the master key from the configured source. With nothing configured, reads
 * `<dataDir>/master.key`, or creates it (owner-only, exclusively) on first start and returns a
 * warning that production must supply its own key and back it up. A key file readable or
 * writable by group or others is refused ({@link ConfigError}), as ssh refuses such a private key.
 */
export function loadMasterKey(source: MasterKeySource): LoadedMasterKey {
  if (source.kind === 'inline') {
    return { key: fromText(source.secret, 'KEYHOUSE_MASTER_KEY'), origin: 'inline', warnings: [] };
  }
  if (source.kind === 'file') {
    return { key: readKeyFile(source.path, 'KEYHOUSE_MASTER_KEY_FILE'), origin: 'file', warnings: [] };
  }
  if (fileExists(source.path)) {
    return {
      key: readKeyFile(source.path, 'KEYHOUSE_DATA_DIR'),
      origin: 'data-dir',
      warnings: [devKeyWarning(source.path)],
    };
  }
  const created = createKeyFile(source.path);
  const origin = created.createdHere ? 'generated' : 'data-dir';
  return { key: created.key, origin, warnings: [devKeyWarning(source.path)] };
}

function devKeyWarning(path: string): string {
  return (
    `No master key configured: using the generated key file ${path} (readable by its owner only). ` +
    'Production must supply KEYHOUSE_MASTER_KEY or KEYHOUSE_MASTER_KEY_FILE and keep a backup of the key: ' +
    'without it every stored credential is lost.'
  );
}

function fromText(text: string, configKey: string): MasterKey {
  const decoded = decodeKeyText(text);
  if (typeof decoded === 'string') throw ConfigError.forKey(configKey, decoded);
  const key = createMasterKey(decoded);
  decoded.fill(0);
  return key;
}

function fileExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Reads a key file: base64 text, or exactly 32 raw bytes. Checks its permissions first. */
export function readKeyFile(path: string, configKey: string): MasterKey {
  assertOwnerOnly(path, configKey);
  let content: Buffer;
  try {
    content = readFileSync(path);
  } catch (error) {
    throw ConfigError.forKey(
      configKey,
      `cannot read the key file ${path} (${(error as NodeJS.ErrnoException).code})`,
      {
        cause: error,
      },
    );
  }
  try {
    const decoded = decodeKeyText(content.toString('latin1'));
    if (typeof decoded !== 'string') {
      const key = createMasterKey(decoded);
      decoded.fill(0);
      return key;
    }
    if (content.length === KEY_BYTES) return createMasterKey(content);
    throw ConfigError.forKey(configKey, `the key file ${path} ${decoded.replace(/^must be/, 'must hold')}`);
  } finally {
    content.fill(0);
  }
}

/**
 * Refuses a key file that group or others may read or write (POSIX mode bits), and one that is
 * not a regular file. On Windows the mode bits mean nothing and the check is skipped.
 */
export function assertOwnerOnly(
  path: string,
  configKey: string,
  platform: NodeJS.Platform = process.platform,
): void {
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw ConfigError.forKey(configKey, `cannot read the key file ${path} (${code})`, { cause: error });
  }
  if (!stats.isFile()) throw ConfigError.forKey(configKey, `the key file ${path} is not a regular file`);
  if (platform === 'win32') return;
  const mode = Number(stats.mode) & 0o777;
  if ((mode & 0o077) !== 0) {
    const octal = mode.toString(8).padStart(4, '0');
    throw ConfigError.forKey(
      configKey,
      `the key file ${path} is accessible by group or others (mode ${octal}); run chmod 600 on it`,
    );
  }
}

/**
 * Creates the key file atomically: the key is written and synced under a temporary name, then
 * hard-linked to its final name, which fails if another process got there first. The loser
 * reads the winner's key, so processes starting together agree on one key.
 */
function createKeyFile(path: string): { key: MasterKey; createdHere: boolean } {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const bytes = randomBytes(KEY_BYTES);
  const text = Buffer.from(`${bytes.toString('base64')}\n`, 'latin1');
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(temporary, path);
    syncDirectory(dirname(path));
    return { key: createMasterKey(bytes), createdHere: true };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') {
      throw ConfigError.forKey('KEYHOUSE_DATA_DIR', `cannot create the key file ${path} (${code})`, {
        cause: error,
      });
    }
    return { key: readKeyFile(path, 'KEYHOUSE_DATA_DIR'), createdHere: false };
  } finally {
    bytes.fill(0);
    text.fill(0);
    try {
      unlinkSync(temporary);
    } catch {
      // Already gone or never created: nothing to clean.
    }
  }
}

function syncDirectory(path: string): void {
  try {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the file itself is synced.
  }
}
