/**
 * The layout of the policy index's arrays: the value flags and record offsets every index module
 * reads, the limits on the ids one index holds (and the error beyond them), and the small array
 * helpers. Internal to the policy index.
 */

import { KeyhouseError } from '../errors.ts';
import type { Entry, Level } from './types.ts';
import { LEVELS } from './types.ts';

/** Value flag in an entry table: the entry has an expiry, kept in a side map. */
export const HAS_EXPIRY = 4;
/** The entry of a stored cell value (rank | HAS_EXPIRY) and its expiry. */
export function entryOf(value: number, expiresAt: number): Entry {
  const level = LEVELS[value & 3] as Level;
  return (value & HAS_EXPIRY) === 0 ? { level } : { level, expiresAt };
}

/**
 * An integration's record in {@link IndexStore.records}: `RECORD` int32 at `i * RECORD`, so what
 * a decision reads of one integration shares one cache line. Offsets: workspace (-1 when
 * deleted), project (-1 for WORKSPACE scope), group mask, cells (`admins | others << 3`, each a
 * rank | HAS_EXPIRY).
 */
export const RECORD = 4;
/**
 * Integrations one index can hold: entry items keep the integration in their upper 29 bits, and
 * an expiry key `integration * SUBJECT_LIMIT + subject` stays a safe integer below 2^53.
 */
export const INTEGRATION_LIMIT = 2 ** 27;
/** Users, and groups, one index can hold (the subject part of an expiry key). */
export const SUBJECT_LIMIT = 2 ** 26;
export const AT_WORKSPACE = 0;
export const AT_PROJECT = 1;
export const AT_MASK = 2;
export const AT_CELLS = 3;
/**
 * Projects one index can hold: a packed id's slot keeps the project (+ 1) in the low
 * {@link PROJECT_BITS} bits of one int and the cells above it.
 */
export const PROJECT_BITS = 26;
export const PROJECT_LIMIT = 2 ** PROJECT_BITS - 1;
/** How many ids of each kind one index holds at most. */
export interface IndexLimits {
  readonly users: number;
  readonly groups: number;
  readonly projects: number;
  readonly integrations: number;
}

/** The limits the index's layout allows (ADR 0003); an index may be given lower ones. */
export const INDEX_LIMITS: IndexLimits = {
  users: SUBJECT_LIMIT,
  groups: SUBJECT_LIMIT,
  projects: PROJECT_LIMIT,
  integrations: INTEGRATION_LIMIT,
};

/** `limits` over {@link INDEX_LIMITS}; a RangeError for a limit the layout cannot hold. */
export function limitsOf(limits: Partial<IndexLimits> = {}): IndexLimits {
  const out = { ...INDEX_LIMITS, ...limits };
  for (const kind of ['users', 'groups', 'projects', 'integrations'] as const) {
    const limit = out[kind];
    if (!Number.isInteger(limit) || limit < 0 || limit > INDEX_LIMITS[kind])
      throw new RangeError(`the ${kind} limit must be an integer from 0 to ${INDEX_LIMITS[kind]}`);
  }
  return out;
}

/** The payload of a packed integration id's slot: workspace, project + 1 | cells << 26, group mask. */
export const SLOT_WORKSPACE = 0;
export const SLOT_PROJECT_CELLS = 1;
export const SLOT_MASK = 2;

/**
 * The payload of a packed user id's slot: the user's newest member slot + 1 (0 for none) and that
 * member's workspace, so finding a user's member in a workspace usually reads no line but the id's.
 */
export const SLOT_HEAD = 0;
export const SLOT_HEAD_WORKSPACE = 1;

/** The error of an index that holds as many ids of `kind` as it may (nothing was changed). */
export function capacityError(kind: keyof IndexLimits): KeyhouseError {
  return new KeyhouseError('capacity_exceeded', undefined, { details: { kind } });
}

/** `array` with room for `needed` items, doubled (new items `fill`) when it has less. */
export function grow<T extends Int32Array | Int8Array | Float64Array>(
  array: T,
  needed: number,
  fill: number,
): T {
  if (needed <= array.length) return array;
  let length = Math.max(16, array.length);
  while (length < needed) length *= 2;
  const next = new (array.constructor as new (n: number) => T)(length);
  next.fill(fill);
  next.set(array);
  return next;
}

/** Removes `value` from a plain list, the last item taking its place. */
export function removeValue(list: number[] | undefined, value: number): void {
  if (list === undefined) return;
  const at = list.indexOf(value);
  if (at < 0) return;
  list[at] = list[list.length - 1]!;
  list.pop();
}

/** Bit of group `g` in an integration's group mask: a quick "may have an entry of this group" test. */
export function groupBit(g: number): number {
  return 1 << (g & 31);
}
