/**
 * Progress display for long work (verifying many integrations): a spinner with a counter on
 * standard error when it is a terminal, silent otherwise so pipes and logs stay clean.
 */
import type { CliIO } from './io.ts';
import { sanitize, truncate } from './table.ts';

/** A running progress display. */
export interface Progress {
  /** Counts `n` more items done (default 1), optionally naming the current one. */
  tick(n?: number, current?: string): void;
  /** Clears the line and prints `summary` (if any) on standard error. */
  done(summary?: string): void;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  readonly label: string;
  /** Number of items, when known (shows `3/10`); otherwise a bare count. */
  readonly total?: number;
  /** Redraw interval of the spinner in ms (default 80). */
  readonly intervalMs?: number;
  /** Starts the redraw timer (default true); tests turn it off and redraw through `tick`. */
  readonly animate?: boolean;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\u001b[2K';

/** A progress display that does nothing (standard error is not a terminal). */
const SILENT: Progress = { tick: () => {}, done: () => {} };

/** Creates a progress display on `io.stderr`; silent unless standard error is a terminal. */
export function createProgress(io: CliIO, options: ProgressOptions): Progress {
  if (!io.isTTY.stderr) return SILENT;
  let count = 0;
  let frame = 0;
  let current = '';
  let finished = false;
  const width = Math.max(20, (io.stderr.columns ?? 80) - 1);
  const draw = () => {
    if (finished) return;
    frame = (frame + 1) % FRAMES.length;
    io.stderr.write(
      CLEAR_LINE +
        truncate(progressLine(FRAMES[frame]!, options.label, count, options.total, current), width),
    );
  };
  const timer = options.animate === false ? undefined : setInterval(draw, options.intervalMs ?? 80);
  timer?.unref();
  draw();
  return {
    tick(n = 1, name) {
      count += n;
      if (name !== undefined) current = sanitize(name);
      draw();
    },
    done(summary) {
      if (finished) return;
      finished = true;
      if (timer) clearInterval(timer);
      io.stderr.write(CLEAR_LINE + (summary === undefined ? '' : summary + '\n'));
    },
  };
}

/** One line of the display: `⠙ Verifying 3/10 (30%) github-main`. */
export function progressLine(
  spinner: string,
  label: string,
  count: number,
  total: number | undefined,
  current: string,
): string {
  const counter =
    total === undefined
      ? `${count}`
      : `${count}/${total} (${total === 0 ? 100 : Math.floor((count / total) * 100)}%)`;
  return [spinner, sanitize(label), counter, current].filter((s) => s !== '').join(' ');
}
