import { createHash, randomBytes } from 'node:crypto';
import { constantTimeEqual } from './key-material.ts';

/** Prefix of every Keyhouse API token, so secret scanners and people recognise one. */
export const API_TOKEN_PREFIX = 'kh_';
/** Random bytes in the secret part of a token (256 bits). */
export const API_TOKEN_SECRET_BYTES = 32;

const TOKEN_PATTERN = /^kh_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** A freshly generated token: show `token` once, store `id` and `hash` only. */
export interface GeneratedApiToken {
  /** `kh_<id>_<secret>`; shown to its owner once, never stored, never logged. */
  readonly token: string;
  /** Public id (16 hex digits): the lookup key, safe to show and log. */
  readonly id: string;
  /** SHA-256 hex of the whole token: what the store keeps. */
  readonly hash: string;
}

/** The parts of a well-formed token. */
export interface ParsedApiToken {
  readonly id: string;
  readonly secret: string;
}

/** Generates a token: `kh_` + 16-hex id + `_` + 32 random bytes in base64url. */
export function generateApiToken(): GeneratedApiToken {
  const id = randomBytes(8).toString('hex');
  const token = `${API_TOKEN_PREFIX}${id}_${randomBytes(API_TOKEN_SECRET_BYTES).toString('base64url')}`;
  return { token, id, hash: hashApiToken(token) };
}

/** SHA-256 hex of the whole token. A plain hash suffices: the token carries 256 random bits. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Checks the format and splits the token; `undefined` for anything malformed. Never throws. */
export function parseApiToken(token: unknown): ParsedApiToken | undefined {
  if (typeof token !== 'string' || token.length > 100) return undefined;
  const match = TOKEN_PATTERN.exec(token);
  if (match === null || match[1] === undefined || match[2] === undefined) return undefined;
  return { id: match[1], secret: match[2] };
}

/** Whether a presented token matches a stored hash, compared in constant time. */
export function verifyApiToken(token: string, storedHash: string): boolean {
  return constantTimeEqual(hashApiToken(token), storedHash);
}

export { constantTimeEqual };
