import { randomBytes } from 'node:crypto';
import {
  decryptField,
  type EncryptedField,
  encryptField,
  type FieldBinding,
  IV_BYTES,
  open,
  SecretDecryptError,
  seal,
  TAG_BYTES,
} from './crypto.ts';
import { createSymmetricKey, KEY_BYTES, type SymmetricKey } from './key-material.ts';
import type { MasterKey } from './master-key.ts';

/** A workspace data key: encrypts that workspace's secret fields, and nothing else. */
export type DataKey = SymmetricKey;

/**
 * A data key as stored: wrapped (AES-256-GCM) by the master key `masterKeyId`, bound to its
 * workspace and ids. `wrapped` is IV (12) ‖ tag (16) ‖ ciphertext (32): 60 bytes.
 */
export interface WrappedDataKey {
  readonly workspaceId: string;
  /** Id of the data key inside (what each {@link EncryptedField} records). */
  readonly keyId: string;
  /** Id of the master key that wrapped it. */
  readonly masterKeyId: string;
  readonly wrapped: Buffer;
}

/** Generates a random data key for a workspace. */
export function generateDataKey(): DataKey {
  const bytes = randomBytes(KEY_BYTES);
  try {
    return createSymmetricKey(bytes, 'DataKey');
  } finally {
    bytes.fill(0);
  }
}

function wrapAad(workspaceId: string, keyId: string, masterKeyId: string): Buffer {
  return Buffer.from(JSON.stringify(['keyhouse-data-key-v1', workspaceId, keyId, masterKeyId]), 'utf8');
}

/** Wraps a data key under the master key, bound to the workspace and both key ids. */
export function wrapDataKey(master: MasterKey, workspaceId: string, dataKey: DataKey): WrappedDataKey {
  const sealed = seal(master.bytes, wrapAad(workspaceId, dataKey.id, master.id), dataKey.bytes);
  return {
    workspaceId,
    keyId: dataKey.id,
    masterKeyId: master.id,
    wrapped: Buffer.concat([sealed.iv, sealed.tag, sealed.ciphertext]),
  };
}

/**
 * Unwraps a data key. Throws {@link SecretDecryptError} if it was wrapped by another master
 * key, for another workspace, or altered, or if the key inside does not match its id.
 */
export function unwrapDataKey(master: MasterKey, wrapped: WrappedDataKey): DataKey {
  if (wrapped.masterKeyId !== master.id || wrapped.wrapped.length !== IV_BYTES + TAG_BYTES + KEY_BYTES) {
    throw new SecretDecryptError();
  }
  const bytes = open(master.bytes, wrapAad(wrapped.workspaceId, wrapped.keyId, wrapped.masterKeyId), {
    iv: wrapped.wrapped.subarray(0, IV_BYTES),
    tag: wrapped.wrapped.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
    ciphertext: wrapped.wrapped.subarray(IV_BYTES + TAG_BYTES),
  });
  try {
    const key = createSymmetricKey(bytes, 'DataKey');
    if (key.id !== wrapped.keyId) throw new SecretDecryptError();
    return key;
  } finally {
    bytes.fill(0);
  }
}

/**
 * Re-wraps every data key from `oldMaster` to `newMaster` (the `keyhouse keys rotate` step).
 * Pure over its inputs: data keys and every ciphertext stay as they are, so the service keeps
 * running. Keys already under `newMaster` pass through unchanged, so an interrupted rotation
 * resumes by running again. Throws {@link SecretDecryptError} if a key is under neither.
 */
export function rewrapAll(
  wrappedKeys: readonly WrappedDataKey[],
  oldMaster: MasterKey,
  newMaster: MasterKey,
): WrappedDataKey[] {
  return wrappedKeys.map((wrapped) => {
    if (wrapped.masterKeyId === newMaster.id) return wrapped;
    const dataKey = unwrapDataKey(oldMaster, wrapped);
    try {
      return wrapDataKey(newMaster, wrapped.workspaceId, dataKey);
    } finally {
      dataKey.bytes.fill(0);
    }
  });
}

/** Encryptions under one data key at which the keyring warns (NIST's random-IV limit is 2^32). */
export const ENCRYPTION_WARN_AT = 2 ** 31;
/** Encryptions under one data key after which the keyring refuses to encrypt with it. */
export const ENCRYPTION_LIMIT = 2 ** 32;

/** Options of {@link Keyring}. */
export interface KeyringOptions {
  /** Called once per key when its encryption count reaches `warnAt`. */
  readonly onWarning?: (message: string, keyId: string) => void;
  readonly warnAt?: number;
  readonly limit?: number;
}

interface Entry {
  readonly workspaceId: string;
  readonly key: DataKey;
  encryptions: number;
}

/**
 * The unwrapped data keys of a running process, by workspace. The newest key added for a
 * workspace encrypts; every key added decrypts. Counts encryptions per key, warns at 2^31 and
 * refuses past 2^32 (rotate the workspace's data key before then).
 */
export class Keyring {
  readonly #master: MasterKey;
  readonly #options: KeyringOptions;
  readonly #byKeyId = new Map<string, Entry>();
  readonly #current = new Map<string, Entry>();

  constructor(master: MasterKey, options: KeyringOptions = {}) {
    this.#master = master;
    this.#options = options;
  }

  /** Id of the master key this keyring unwraps with. */
  get masterKeyId(): string {
    return this.#master.id;
  }

  /**
   * Unwraps and holds a stored data key. It becomes its workspace's current (encrypting) key
   * unless `current` is false; `encryptions` resumes a persisted count.
   */
  add(
    wrapped: WrappedDataKey,
    options: { readonly encryptions?: number; readonly current?: boolean } = {},
  ): void {
    const key = unwrapDataKey(this.#master, wrapped);
    const entry = { workspaceId: wrapped.workspaceId, key, encryptions: options.encryptions ?? 0 };
    this.#byKeyId.set(key.id, entry);
    if (options.current ?? true) this.#current.set(entry.workspaceId, entry);
  }

  /** Creates a new data key for a workspace (first key, or a rotation); returns it wrapped, to store. */
  createWorkspaceKey(workspaceId: string): WrappedDataKey {
    const dataKey = generateDataKey();
    const wrapped = wrapDataKey(this.#master, workspaceId, dataKey);
    const entry = { workspaceId, key: dataKey, encryptions: 0 };
    this.#byKeyId.set(dataKey.id, entry);
    this.#current.set(workspaceId, entry);
    return wrapped;
  }

  /** Encrypts a field with its workspace's current data key. */
  encrypt(binding: FieldBinding, plaintext: string): EncryptedField {
    const entry = this.#current.get(binding.workspaceId);
    if (entry === undefined) throw new Error(`no data key for workspace ${binding.workspaceId}`);
    const limit = this.#options.limit ?? ENCRYPTION_LIMIT;
    if (entry.encryptions >= limit) {
      throw new Error(`data key ${entry.key.id} reached its encryption limit; rotate the workspace data key`);
    }
    entry.encryptions += 1;
    if (entry.encryptions === (this.#options.warnAt ?? ENCRYPTION_WARN_AT)) {
      this.#options.onWarning?.(
        `data key ${entry.key.id} has made ${entry.encryptions} encryptions; rotate it`,
        entry.key.id,
      );
    }
    return encryptField(entry.key, binding, plaintext);
  }

  /** Decrypts a field; a key of another workspace never applies. Throws {@link SecretDecryptError}. */
  decrypt(binding: FieldBinding, field: EncryptedField): string {
    const entry = this.#byKeyId.get(field.keyId);
    if (entry === undefined || entry.workspaceId !== binding.workspaceId) throw new SecretDecryptError();
    return decryptField(entry.key, binding, field);
  }

  /** Encryption count per data key id, for the store to persist. */
  counts(): Map<string, number> {
    return new Map([...this.#byKeyId].map(([id, entry]) => [id, entry.encryptions]));
  }

  /**
   * Forgets and zeroes every data key of a workspace. With the stored wrapped keys deleted too,
   * its ciphertexts are unreadable for good (crypto-shredding).
   */
  destroyWorkspace(workspaceId: string): void {
    for (const [id, entry] of this.#byKeyId) {
      if (entry.workspaceId !== workspaceId) continue;
      entry.key.bytes.fill(0);
      this.#byKeyId.delete(id);
    }
    this.#current.delete(workspaceId);
  }

  /** Switches to a new master key after the stored keys were re-wrapped ({@link rewrapAll}). */
  withMaster(newMaster: MasterKey, rewrapped: readonly WrappedDataKey[]): Keyring {
    const next = new Keyring(newMaster, this.#options);
    for (const wrapped of rewrapped) {
      const current = this.#current.get(wrapped.workspaceId)?.key.id === wrapped.keyId;
      next.add(wrapped, { encryptions: this.#byKeyId.get(wrapped.keyId)?.encryptions ?? 0, current });
    }
    return next;
  }
}
