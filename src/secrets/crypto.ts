import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SymmetricKey } from './key-material.ts';

/** Bytes of the random IV of every AES-256-GCM encryption (the GCM standard size). */
export const IV_BYTES = 12;
/** Bytes of every GCM authentication tag; passed as `authTagLength` to cipher and decipher. */
export const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';

/**
 * The one error for any failure to decrypt or unwrap: wrong key, tampered bytes, moved
 * ciphertext, short tag, malformed input. Its message carries no detail of the data.
 */
export class SecretDecryptError extends Error {
  /** Stable code for the error registry. */
  readonly code = 'secret_decrypt_failed';
  constructor(options?: ErrorOptions) {
    super('secret could not be decrypted', options);
    this.name = 'SecretDecryptError';
  }
}

/** The output of one AES-256-GCM encryption. */
export interface Sealed {
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly ciphertext: Buffer;
}

/** Encrypts with AES-256-GCM under a fresh random 12-byte IV, binding `aad`. */
export function seal(key: Buffer, aad: Buffer, plaintext: Buffer): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
}

/**
 * Decrypts and authenticates. `authTagLength: 16` makes the decipher refuse a shortened tag
 * (older Node accepted as few as 4 bytes without it). Throws {@link SecretDecryptError}.
 */
export function open(key: Buffer, aad: Buffer, sealed: Sealed): Buffer {
  try {
    if (sealed.iv.length !== IV_BYTES) throw new RangeError('IV length');
    const decipher = createDecipheriv(ALGORITHM, key, sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch (error) {
    throw new SecretDecryptError({ cause: error });
  }
}

/** What a secret field is bound to: moving its ciphertext anywhere else makes it undecryptable. */
export interface FieldBinding {
  readonly workspaceId: string;
  readonly integrationId: string;
  /** Name of the secret field, e.g. `token` or `privateKey`. */
  readonly field: string;
  /** Version of the row the value belongs to; a non-negative integer. */
  readonly version: number;
}

/** An encrypted secret field. Buffers; {@link encodeEncryptedField} gives a text form. */
export interface EncryptedField {
  /** Id of the workspace data key it was encrypted under. */
  readonly keyId: string;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly ciphertext: Buffer;
}

/** The associated data of a field: a canonical JSON array of a label, the key id and the binding. */
export function fieldAad(keyId: string, binding: FieldBinding): Buffer {
  if (!Number.isSafeInteger(binding.version) || binding.version < 0) {
    throw new RangeError('version must be a non-negative integer');
  }
  const parts = [
    'keyhouse-field-v1',
    keyId,
    binding.workspaceId,
    binding.integrationId,
    binding.field,
    binding.version,
  ];
  return Buffer.from(JSON.stringify(parts), 'utf8');
}

/** Encrypts one secret field value under a workspace data key, bound to its place. */
export function encryptField(
  dataKey: SymmetricKey,
  binding: FieldBinding,
  plaintext: string,
): EncryptedField {
  const clear = Buffer.from(plaintext, 'utf8');
  try {
    return { keyId: dataKey.id, ...seal(dataKey.bytes, fieldAad(dataKey.id, binding), clear) };
  } finally {
    clear.fill(0);
  }
}

/**
 * Decrypts one secret field. Any failure — another key, another place, altered bytes — throws
 * {@link SecretDecryptError} and returns nothing partial.
 */
export function decryptField(dataKey: SymmetricKey, binding: FieldBinding, field: EncryptedField): string {
  if (field.keyId !== dataKey.id) throw new SecretDecryptError();
  let aad: Buffer;
  try {
    aad = fieldAad(field.keyId, binding);
  } catch (error) {
    throw new SecretDecryptError({ cause: error });
  }
  const clear = open(dataKey.bytes, aad, field);
  try {
    return clear.toString('utf8');
  } finally {
    clear.fill(0);
  }
}

const TEXT_PREFIX = 'kh1';
const KEY_ID = /^[0-9a-f]{16}$/;
const B64URL = /^[A-Za-z0-9_-]*$/;

/** Text form of an encrypted field for text columns: `kh1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url). */
export function encodeEncryptedField(field: EncryptedField): string {
  const parts = [field.iv, field.tag, field.ciphertext].map((part) => part.toString('base64url'));
  return [TEXT_PREFIX, field.keyId, ...parts].join('.');
}

/** Parses {@link encodeEncryptedField}'s text. Throws {@link SecretDecryptError} on any malformation. */
export function decodeEncryptedField(text: string): EncryptedField {
  const parts = text.split('.');
  const [prefix, keyId, iv, tag, ciphertext] = parts;
  if (
    parts.length !== 5 ||
    prefix !== TEXT_PREFIX ||
    keyId === undefined ||
    !KEY_ID.test(keyId) ||
    [iv, tag, ciphertext].some((part) => part === undefined || !B64URL.test(part))
  ) {
    throw new SecretDecryptError();
  }
  return {
    keyId,
    iv: strictBase64url(iv),
    tag: strictBase64url(tag),
    ciphertext: strictBase64url(ciphertext),
  };
}

/** Decodes base64url, refusing non-canonical text (stray trailing bits), so one text means one value. */
function strictBase64url(text: string | undefined): Buffer {
  const bytes = Buffer.from(text ?? '', 'base64url');
  if (bytes.toString('base64url') !== text) throw new SecretDecryptError();
  return bytes;
}
