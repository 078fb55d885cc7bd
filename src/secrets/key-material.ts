import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Length in bytes of every key Keyhouse uses (AES-256). */
export const KEY_BYTES = 32;

const BASE64_TEXT = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Decodes a base64 (or base64url) text into a 32-byte key. Returns the reason as a string when
 * the text is not exactly that; the reason never repeats the text.
 */
export function decodeKeyText(text: string): Buffer | string {
  const compact = text.trim();
  if (!BASE64_TEXT.test(compact)) return 'must be base64 of exactly 32 bytes (not base64 text)';
  const bytes = Buffer.from(compact.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
  if (bytes.length !== KEY_BYTES) {
    return `must be base64 of exactly 32 bytes (it decodes to ${bytes.length} bytes)`;
  }
  // Buffer.from ignores stray characters; a round trip proves every character was key material.
  const canonical = bytes.toString('base64').replace(/=+$/, '');
  const given = compact.replaceAll('-', '+').replaceAll('_', '/').replace(/=+$/, '');
  if (canonical !== given) return 'must be base64 of exactly 32 bytes (malformed base64)';
  return bytes;
}

/** Identifier of a key: the first 16 hex digits of SHA-256("keyhouse-key-id" ‖ key). Safe to log. */
export function keyIdOf(key: Uint8Array): string {
  return createHash('sha256').update('keyhouse-key-id').update(key).digest('hex').slice(0, 16);
}

const KEY_CHECK_LABEL = 'keyhouse-key-check-v1';

/**
 * Key-check value of a master key: HMAC-SHA-256 of a fixed label, hex. The store records it at
 * first start so that a later start with a different key is refused before anything is written.
 */
export function keyCheckValue(key: Uint8Array): string {
  return createHmac('sha256', key).update(KEY_CHECK_LABEL).digest('hex');
}

/** Compares two strings in time independent of where they differ (and of their lengths). */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a, 'utf8').digest();
  const right = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(left, right) && a.length === b.length;
}

/**
 * A symmetric key with a public id. The bytes are a non-enumerable property, and `toJSON` and
 * `util.inspect` show the id alone, so logging or serialising the object never reveals the key.
 */
export interface SymmetricKey {
  /** Public identifier ({@link keyIdOf}); safe to log and store. */
  readonly id: string;
  /** The 32 key bytes. Never log, never serialise. */
  readonly bytes: Buffer;
}

/** Wraps 32 key bytes (copied) as a {@link SymmetricKey} labelled `label` in inspections. */
export function createSymmetricKey(
  bytes: Uint8Array,
  label: string,
  id: string = keyIdOf(bytes),
): SymmetricKey {
  if (bytes.length !== KEY_BYTES) throw new RangeError(`${label} must be ${KEY_BYTES} bytes`);
  const copy = Buffer.alloc(KEY_BYTES);
  copy.set(bytes);
  const key = { id };
  Object.defineProperties(key, {
    bytes: { value: copy, enumerable: false },
    toJSON: { value: () => ({ id }), enumerable: false },
    [Symbol.for('nodejs.util.inspect.custom')]: { value: () => `${label}(${id})`, enumerable: false },
  });
  return Object.freeze(key) as SymmetricKey;
}
