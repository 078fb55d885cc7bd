/**
 * The bounded, normalised view of an error text that the rules read.
 */

/** At most this many characters are scanned: the head and the tail of longer texts. */
export const SCAN_LIMIT = 64 * 1024;

/** The scanned window of a text, as written and lower-cased. */
export interface ScanWindow {
  /** The window with typographic apostrophes made plain (for reading names in their case). */
  readonly raw: string;
  /** `raw` lower-cased, each run of white space one space (wrapped lines): what phrases are looked up in. */
  readonly lower: string;
}

/**
 * Builds the window: any value becomes a string (never throws), texts over {@link SCAN_LIMIT} keep
 * their first and last halves (errors are usually at the end of a log, causes at its start).
 */
export function scanWindow(text: unknown): ScanWindow {
  let value = asString(text);
  if (value.length > SCAN_LIMIT) {
    const half = SCAN_LIMIT / 2;
    value = `${value.slice(0, half)}\n${value.slice(value.length - half)}`;
  }
  // Hosts print ’ in some messages ("We couldn’t deliver this payload"); rules are written with '.
  const raw = value.replace(/[\u2018\u2019\u02bc]/g, "'");
  return { raw, lower: raw.toLowerCase().replace(/\s+/g, ' ') };
}

function asString(text: unknown): string {
  if (typeof text === 'string') return text;
  if (text === null || text === undefined) return '';
  try {
    return String(text);
  } catch {
    return '';
  }
}

/** Characters that continue a host or bucket name: a match must not be glued to one of them. */
function isNameChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 45 || code === 95 // a-z 0-9 - _
  );
}

/**
 * True when `token` occurs in `lower` as a whole name (not inside a longer name: `github.com` is
 * found in `api.github.com` but not in `mygithub.com`). Linear in the text length.
 */
export function containsName(lower: string, token: string): boolean {
  if (token.length === 0) return false;
  let from = 0;
  for (;;) {
    const at = lower.indexOf(token, from);
    if (at < 0) return false;
    const before = at === 0 ? -1 : lower.charCodeAt(at - 1);
    const after = at + token.length >= lower.length ? -1 : lower.charCodeAt(at + token.length);
    if (!isNameChar(before) && !isNameChar(after)) return true;
    from = at + 1;
  }
}
