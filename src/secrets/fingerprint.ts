import { createHash } from 'node:crypto';

/** Secrets shorter than this show no trailing characters in their fingerprint. */
export const FINGERPRINT_MIN_LENGTH_FOR_TAIL = 16;

/**
 * The only trace of a secret that may be shown, logged or audited: its last 4 characters and
 * the first 12 hex digits of its SHA-256, e.g. `…x7Qa sha256:3f0c1b2a9e4d`. Enough to tell two
 * credentials apart or confirm which one is stored. A secret shorter than 16 characters shows
 * no tail, so that a short password does not lose a quarter of itself.
 */
export function fingerprint(secret: string): string {
  const digest = createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 12);
  const characters = Array.from(secret);
  const tail = characters.length >= FINGERPRINT_MIN_LENGTH_FOR_TAIL ? characters.slice(-4).join('') : '';
  return `…${tail} sha256:${digest}`;
}
