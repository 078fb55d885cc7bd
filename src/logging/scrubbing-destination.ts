import type { SecretRegistry } from './secret-registry.ts';

/** Anything pino can write to: a stream, a SonicBoom, or a test's collector. */
export interface LogDestination {
  write(chunk: string): unknown;
}

/**
 * Wraps a destination so that every finished log line is scrubbed of registered secrets before
 * it is written: the last line of defence, which also sees the message string and what the
 * serializers produced. A line that may hold a secret is parsed, every string in it (keys too)
 * scrubbed, and serialised again, so the output stays one valid JSON object per line. A line
 * that is not JSON is scrubbed as text. Line separators U+2028/U+2029 are escaped, so no reader
 * splits a record.
 */
export function createScrubbingDestination(
  registry: SecretRegistry,
  destination: LogDestination,
): LogDestination {
  return {
    write(chunk: string): unknown {
      const lines = String(chunk).split('\n');
      if (lines.at(-1) === '') lines.pop();
      return destination.write(lines.map((line) => `${scrubLine(registry, line)}\n`).join(''));
    },
  };
}

/** Scrubs one serialised log line (see {@link createScrubbingDestination}). */
export function scrubLine(registry: SecretRegistry, line: string): string {
  const safe = registry.mayContain(line) ? rewrite(registry, line) : line;
  return safe.replaceAll('\u2028', '\\u2028').replaceAll('\u2029', '\\u2029');
}

function rewrite(registry: SecretRegistry, line: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return registry.scrub(line).replaceAll('\r', '\\r');
  }
  return JSON.stringify(scrubStrings(registry, parsed));
}

function scrubStrings(registry: SecretRegistry, value: unknown): unknown {
  if (typeof value === 'string') return registry.scrub(value);
  if (Array.isArray(value)) return value.map((item) => scrubStrings(registry, item));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const safe = scrubStrings(registry, child);
    Object.defineProperty(out, registry.scrub(key), {
      value: safe,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
