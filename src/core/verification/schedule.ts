/**
 * When an integration is due for re-verification. Each integration gets a fixed phase inside the
 * interval, from a hash of its id, so verifications spread evenly over the day instead of all
 * running at once; it is due once per interval, at the first slot after its last check.
 */

/** The default re-verification interval: daily. */
export const DEFAULT_VERIFY_INTERVAL_MS = 86_400_000;

/** FNV-1a 32-bit hash of a string: stable across processes and versions. */
export function hashId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The integration's phase inside the interval, in ms from the interval's start. */
export function phaseOf(id: string, intervalMs: number): number {
  return hashId(id) % intervalMs;
}

/** The latest slot of the integration at or before `now` (epoch ms). */
export function lastSlot(id: string, now: number, intervalMs: number): number {
  const phase = phaseOf(id, intervalMs);
  return now - ((((now - phase) % intervalMs) + intervalMs) % intervalMs);
}

/**
 * True when the integration is due: its latest slot is after its last check (or, never checked,
 * after its creation, so a new integration waits for its slot instead of joining a burst).
 */
export function isDue(
  id: string,
  lastCheckedAt: number | undefined,
  createdAt: number,
  now: number,
  intervalMs: number = DEFAULT_VERIFY_INTERVAL_MS,
): boolean {
  return lastSlot(id, now, intervalMs) > (lastCheckedAt ?? createdAt);
}
