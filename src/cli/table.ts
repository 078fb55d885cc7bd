/**
 * A small table renderer for terminals: aligned columns, display width aware (wide CJK and emoji
 * count two cells, combining marks none), control characters neutralised, and the widest columns
 * shortened with an ellipsis when the table would overflow the terminal.
 */

/** A cell value as given; `null`/`undefined` print as `-`. */
export type Cell = string | number | boolean | null | undefined;

/** One column of a table. */
export interface Column<Row> {
  readonly header: string;
  readonly value: (row: Row) => Cell;
  readonly align?: 'left' | 'right';
  /** The column is never shortened below this width (default: its header's width, at most 12). */
  readonly minWidth?: number;
}

/** Options of {@link renderTable}. */
export interface RenderTableOptions {
  /** Total width available; no limit when absent (output to a pipe). */
  readonly maxWidth?: number;
  /** Spaces between columns (default 2). */
  readonly gap?: number;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]+$/u;
const WIDE =
  /[\u1100-\u115F\u231A\u231B\u2329\u232A\u23E9-\u23EC\u23F0\u23F3\u25FD\u25FE\u2614\u2615\u2648-\u2653\u267F\u2693\u26A1\u26AA\u26AB\u26BD\u26BE\u26C4\u26C5\u26CE\u26D4\u26EA\u26F2-\u26F5\u26FA\u26FD\u2705\u270A\u270B\u2728\u274C\u274E\u2753-\u2755\u2757\u2795-\u2797\u27B0\u27BF\u2B1B\u2B1C\u2B50\u2B55\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uA960-\uA97F\uAC00-\uD7A3\uF900-\uFAFF\uFE10-\uFE19\uFE30-\uFE6F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F004}\u{1F0CF}\u{1F18E}\u{1F191}-\u{1F19A}\u{1F200}-\u{1F251}\u{1F300}-\u{1F64F}\u{1F680}-\u{1F6FF}\u{1F7E0}-\u{1F7EB}\u{1F90C}-\u{1F9FF}\u{1FA70}-\u{1FAFF}\u{20000}-\u{3FFFD}]/u;
// C0/C1 controls and DEL: a name from the server must not move the cursor or recolour the terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;

/** Replaces control characters (escape sequences, newlines, tabs) with visible placeholders. */
export function sanitize(text: string): string {
  return text.replace(CONTROL, (c) => (c === '\t' || c === '\n' || c === '\r' ? ' ' : '\uFFFD'));
}

/** Terminal cells taken by one grapheme cluster. */
function graphemeWidth(grapheme: string): number {
  if (ZERO_WIDTH.test(grapheme)) return 0;
  if (grapheme.includes('\uFE0F') && grapheme.codePointAt(0)! > 0x2000) return 2;
  return WIDE.test(grapheme) ? 2 : 1;
}

/** Terminal cells taken by `text` (sanitized text: no control characters). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const { segment } of segmenter.segment(text)) width += graphemeWidth(segment);
  return width;
}

/** Shortens `text` to at most `width` cells, ending with `…` when anything was cut. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = graphemeWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return out + '…';
}

/** Pads `text` to `width` cells on the side `align` says. */
function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

/** The text of a cell. */
export function cellText(value: Cell): string {
  if (value === null || value === undefined || value === '') return '-';
  return sanitize(String(value));
}

/** Shrinks the widest columns, one cell at a time, until the row fits `budget` or none can shrink. */
export function fitWidths(natural: readonly number[], minimums: readonly number[], budget: number): number[] {
  const widths = [...natural];
  let total = widths.reduce((a, b) => a + b, 0);
  while (total > budget) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      if (widths[i]! > minimums[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    }
    if (widest < 0) break;
    widths[widest]! -= 1;
    total -= 1;
  }
  return widths;
}

/** Renders rows under upper-case headers; trailing spaces trimmed; ends with a newline. */
export function renderTable<Row>(
  columns: readonly Column<Row>[],
  rows: readonly Row[],
  options: RenderTableOptions = {},
): string {
  const gap = options.gap ?? 2;
  const headers = columns.map((c) => sanitize(c.header.toUpperCase()));
  const cells = rows.map((row) => columns.map((c) => cellText(c.value(row))));
  const natural = headers.map((h, i) => Math.max(displayWidth(h), ...cells.map((r) => displayWidth(r[i]!))));
  const minimums = columns.map((c, i) =>
    Math.min(natural[i]!, c.minWidth ?? Math.min(displayWidth(headers[i]!), 12)),
  );
  const budget =
    options.maxWidth === undefined ? Number.POSITIVE_INFINITY : options.maxWidth - gap * (columns.length - 1);
  const widths = fitWidths(natural, minimums, budget);
  const line = (texts: readonly string[]) =>
    texts
      .map((t, i) => pad(truncate(t, widths[i]!), widths[i]!, columns[i]!.align ?? 'left'))
      .join(' '.repeat(gap))
      .trimEnd();
  return [line(headers), ...cells.map(line)].join('\n') + '\n';
}
