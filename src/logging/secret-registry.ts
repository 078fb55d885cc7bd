/** What a scrubbed secret, or a scrubbed pattern's secret part, is replaced with. */
export const SCRUB_REPLACEMENT = '***';
/**
 * Registered secrets (and encoded forms) shorter than this are not scrubbed by value: they
 * would erase ordinary words. Path redaction still covers such fields.
 */
export const SCRUB_MIN_LENGTH = 8;

/** A shape that is secret wherever it appears, and what replaces it (keeping any label). */
export interface ScrubPattern {
  readonly pattern: RegExp;
  readonly replacement: string;
}

/**
 * Shapes that are secret whoever registered them: Keyhouse API tokens, well-known provider token
 * formats, the password of a URL, credential query parameters, Bearer and Basic credentials.
 * Written without look-behind, which costs several microseconds a line.
 */
export const SCRUB_PATTERNS: readonly ScrubPattern[] = Object.freeze([
  { pattern: /\bkh_[0-9a-f]{16}_[A-Za-z0-9_-]{20,}/g, replacement: SCRUB_REPLACEMENT },
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{30,}/g, replacement: SCRUB_REPLACEMENT },
  { pattern: /\bgithub_pat_[A-Za-z0-9_]{20,}/g, replacement: SCRUB_REPLACEMENT },
  { pattern: /\bglpat-[A-Za-z0-9_-]{20,}/g, replacement: SCRUB_REPLACEMENT },
  { pattern: /(:\/\/[^/\s:@]*:)[^@\s/]+@/g, replacement: `$1${SCRUB_REPLACEMENT}@` },
  {
    pattern:
      /([?&](?:access_token|private_token|token|password|secret|client_secret|api_key|apikey|sig)=)[^&#\s"]+/gi,
    replacement: `$1${SCRUB_REPLACEMENT}`,
  },
  { pattern: /\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/=-]{8,}/gi, replacement: `$1$2${SCRUB_REPLACEMENT}` },
]);

/** A cheap test that every {@link SCRUB_PATTERNS} match passes: most strings skip the patterns. */
const PATTERN_HINT = /kh_|gh[pousr]_|github_pat_|glpat-|:\/\/|[?&][a-z_]+=|bearer|basic/i;

/** Every form in which a secret may show up in a log line, longest first. */
export function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const base64 = [bytes.toString('base64'), ...alignedBase64Cores(bytes)];
  const encoded = encodeURIComponent(secret);
  const forms = [
    secret,
    JSON.stringify(secret).slice(1, -1),
    encoded,
    encoded.replace(/%[0-9A-F]{2}/g, (percent) => percent.toLowerCase()),
    encoded.replaceAll('%20', '+'),
    bytes.toString('hex'),
    bytes.toString('hex').toUpperCase(),
    ...base64,
    ...base64.map((text) => text.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')),
  ];
  // A form in JSON nested inside a JSON string shows up escaped once more per level; the final
  // line adds one more level, which the pre-check of a whole line has to see.
  const jsonEscape = (form: string) => JSON.stringify(form).slice(1, -1);
  const once = forms.map(jsonEscape);
  const all = [...forms, ...once, ...once.map(jsonEscape)];
  return [...new Set(all)]
    .filter((form) => form.length >= SCRUB_MIN_LENGTH)
    .sort((a, b) => b.length - a.length);
}

/**
 * The base64 characters fixed by the secret alone when it sits at byte offset 0, 1 or 2 of a
 * longer encoded text (a Basic header, say): the characters shared with neighbours are dropped.
 */
function alignedBase64Cores(bytes: Buffer): string[] {
  const cores: string[] = [];
  for (const offset of [0, 1, 2]) {
    const text = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const first = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    cores.push(text.slice(first, end));
  }
  return cores;
}

/**
 * The values that must never appear in a log line. Every secret loaded (credentials, the
 * master key text, the database password, a token printed once) is registered; {@link scrub}
 * replaces each, in every encoded form, with `***`. Lookup is by the first 8 characters, so
 * the cost of a scrub grows with the text, not with the number of secrets.
 */
export class SecretRegistry {
  readonly #byPrefix = new Map<string, string[]>();
  /** One bit per hash of a registered prefix: most positions are dismissed without a lookup. */
  readonly #prefixBits = new Uint32Array(PREFIX_BITS / 32);
  #secrets = 0;

  /** Number of secrets registered. */
  get size(): number {
    return this.#secrets;
  }

  /** Registers a secret; values shorter than {@link SCRUB_MIN_LENGTH} are ignored. */
  register(secret: string): void {
    if (typeof secret !== 'string' || secret.length < SCRUB_MIN_LENGTH) return;
    let added = false;
    for (const form of secretForms(secret)) {
      const prefix = form.slice(0, SCRUB_MIN_LENGTH);
      const bucket = this.#byPrefix.get(prefix) ?? [];
      if (bucket.includes(form)) continue;
      bucket.push(form);
      bucket.sort((a, b) => b.length - a.length);
      this.#byPrefix.set(prefix, bucket);
      const slot = bitSlot(windowHash(form, 0));
      this.#prefixBits[slot >>> 5] = (this.#prefixBits[slot >>> 5] ?? 0) | (1 << (slot & 31));
      added = true;
    }
    if (added) this.#secrets += 1;
  }

  /** Whether `text` holds a registered form or a secret pattern (a fast, conservative check). */
  mayContain(text: string): boolean {
    if (this.#findNeedle(text, 0) !== undefined) return true;
    return PATTERN_HINT.test(text) && SCRUB_PATTERNS.some(({ pattern }) => matches(pattern, text));
  }

  /** Replaces every registered form and every secret pattern in `text` with `***`. */
  scrub(text: string): string {
    if (text.length < SCRUB_MIN_LENGTH) return text;
    let result = this.#scrubValues(text);
    if (!PATTERN_HINT.test(result)) return result;
    for (const { pattern, replacement } of SCRUB_PATTERNS) result = result.replace(pattern, replacement);
    return result;
  }

  #scrubValues(text: string): string {
    if (this.#byPrefix.size === 0) return text;
    let output = '';
    let copied = 0;
    let found = this.#findNeedle(text, 0);
    while (found !== undefined) {
      output += text.slice(copied, found.index) + SCRUB_REPLACEMENT;
      copied = found.index + found.needle.length;
      found = this.#findNeedle(text, copied);
    }
    return copied === 0 ? text : output + text.slice(copied);
  }

  #findNeedle(text: string, from: number): { index: number; needle: string } | undefined {
    const last = text.length - SCRUB_MIN_LENGTH;
    if (this.#byPrefix.size === 0 || from > last) return undefined;
    const bits = this.#prefixBits;
    let hash = windowHash(text, from);
    for (let index = from; index <= last; index += 1) {
      if (index > from)
        hash = rollHash(hash, text.charCodeAt(index - 1), text.charCodeAt(index + SCRUB_MIN_LENGTH - 1));
      const slot = bitSlot(hash);
      if (((bits[slot >>> 5] ?? 0) & (1 << (slot & 31))) === 0) continue;
      const bucket = this.#byPrefix.get(text.slice(index, index + SCRUB_MIN_LENGTH));
      const needle = bucket?.find((candidate) => text.startsWith(candidate, index));
      if (needle !== undefined) return { index, needle };
    }
    return undefined;
  }
}

const PREFIX_BITS = 1 << 20;

const BASE = 0x01000193;
/** BASE to the power SCRUB_MIN_LENGTH - 1, modulo 2^32: the weight of the character leaving the window. */
const LEAVING_WEIGHT = Array.from({ length: SCRUB_MIN_LENGTH - 1 }).reduce<number>(
  (power) => Math.imul(power, BASE),
  1,
);

/** Polynomial hash (mod 2^32) of the {@link SCRUB_MIN_LENGTH} characters at `start`. */
function windowHash(text: string, start: number): number {
  let hash = 0;
  for (let offset = 0; offset < SCRUB_MIN_LENGTH; offset += 1) {
    hash = (Math.imul(hash, BASE) + text.charCodeAt(start + offset)) | 0;
  }
  return hash;
}

/** Slides the window one character: O(1), no allocation. */
function rollHash(hash: number, leaving: number, entering: number): number {
  return (Math.imul((hash - Math.imul(leaving, LEAVING_WEIGHT)) | 0, BASE) + entering) | 0;
}

function bitSlot(hash: number): number {
  const mixed = Math.imul(hash ^ (hash >>> 16), 0x45d9f3b);
  return (mixed ^ (mixed >>> 16)) & (PREFIX_BITS - 1);
}

function matches(pattern: RegExp, text: string): boolean {
  pattern.lastIndex = 0;
  const result = pattern.test(text);
  pattern.lastIndex = 0;
  return result;
}
