/**
 * Expiry findings with a configurable window: `credential_expired` (error) once the expiry has
 * passed, `credential_expiring` (warning) within the window.
 */
import type { VerificationFinding } from './types.ts';

/** The product default of the expiry window, in days. */
export const DEFAULT_EXPIRY_WINDOW_DAYS = 14;

const DAY_MS = 86_400_000;

/** Codes this module decides; an adapter's findings with these codes are replaced by ours. */
export const EXPIRY_CODES: readonly string[] = ['credential_expired', 'credential_expiring'];

/** The expiry finding for `expiresAt` at `now`, or none when far enough away or unknown. */
export function expiryFindings(
  expiresAt: number | undefined,
  now: number,
  windowDays: number = DEFAULT_EXPIRY_WINDOW_DAYS,
): VerificationFinding[] {
  if (expiresAt === undefined || !Number.isFinite(expiresAt)) return [];
  const date = new Date(expiresAt).toISOString().slice(0, 10);
  if (expiresAt <= now) {
    return [
      {
        code: 'credential_expired',
        severity: 'error',
        message: `The credential expired on ${date}.`,
        fix: 'Create a new credential (or regenerate this one) and replace it on the integration.',
        check: 'token-valid',
      },
    ];
  }
  const days = Math.ceil((expiresAt - now) / DAY_MS);
  if (expiresAt - now > windowDays * DAY_MS) return [];
  return [
    {
      code: 'credential_expiring',
      severity: 'warning',
      message: `The credential expires on ${date}, in ${days} day${days === 1 ? '' : 's'}.`,
      fix: 'Rotate the credential before it expires and replace it on the integration.',
      check: 'token-valid',
    },
  ];
}
