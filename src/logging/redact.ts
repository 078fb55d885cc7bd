import type { SecretRegistry } from './secret-registry.ts';

/** What a value under a credential-named key is replaced with. */
export const REDACTED = '[Redacted]';

/**
 * Key names whose value is a credential, compared case-insensitively with `-` and `_` removed,
 * so `Authorization`, `set-cookie`, `private_key` and `PRIVATEKEY` all match.
 */
export const CREDENTIAL_KEYS: readonly string[] = Object.freeze([
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'token',
  'password',
  'passwd',
  'passphrase',
  'secret',
  'privatekey',
  'secretaccesskey',
  'sessiontoken',
  'credential',
  'credentials',
  'apitoken',
  'apikey',
  'xapikey',
  'apppassword',
  'masterkey',
  'clientsecret',
]);

/** Key endings that mark a credential too (`githubToken`, `registryPassword`, `webhookSecret`). */
const CREDENTIAL_SUFFIXES = ['token', 'password', 'secret', 'privatekey', 'apikey', 'secretaccesskey'];

const normalized = new Set(CREDENTIAL_KEYS);

/** Whether a property name holds a credential. */
export function isCredentialKey(name: string): boolean {
  const key = name.toLowerCase().replace(/[-_\s]/g, '');
  return normalized.has(key) || CREDENTIAL_SUFFIXES.some((suffix) => key.endsWith(suffix));
}

/**
 * pino `redact` paths: the headers named in the brief and every credential name at the top and
 * one level down. The deep, case-insensitive walk ({@link redactValue}) covers every other depth
 * and spelling; these paths stay as a second, independent layer.
 */
export const REDACT_PATHS: readonly string[] = Object.freeze([
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  // Each wildcard path costs about 4 µs a line in pino, so only the main names get one.
  ...['token', 'password', 'secret', 'privateKey', 'secretAccessKey', 'credential', 'credentials', 'apiToken']
    .concat(['appPassword'])
    .flatMap((name) => [name, `*.${name}`]),
]);

const MAX_DEPTH = 12;

/**
 * A deep copy of `value` that is safe to log or return in an error body: values under
 * credential-named keys (any depth, any letter case) become `[Redacted]`; with a registry, every
 * string (keys, values, Error messages and stacks) is scrubbed of registered secrets. Errors
 * become plain objects (type, message, stack, code, cause); Buffers show their length only;
 * cycles and excessive depth are cut. The input is never modified.
 */
export function redactValue(value: unknown, registry?: SecretRegistry): unknown {
  return walk(value, registry, new WeakSet(), 0);
}

function walk(
  value: unknown,
  registry: SecretRegistry | undefined,
  seen: WeakSet<object>,
  depth: number,
): unknown {
  if (typeof value === 'string') return registry === undefined ? value : registry.scrub(value);
  if (typeof value !== 'object' || value === null) return typeof value === 'function' ? '[Function]' : value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Depth]';
  seen.add(value);
  try {
    return walkObject(value, registry, seen, depth + 1);
  } finally {
    seen.delete(value);
  }
}

function walkObject(
  value: object,
  registry: SecretRegistry | undefined,
  seen: WeakSet<object>,
  depth: number,
): unknown {
  const next = (child: unknown) => walk(child, registry, seen, depth);
  if (ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength} bytes]`;
  if (Array.isArray(value)) return value.map(next);
  if (value instanceof Error) return walkError(value, next, registry);
  if (value instanceof Map)
    return walkEntries(
      [...value].map(([k, v]) => [String(k), v]),
      next,
      registry,
    );
  if (value instanceof Set) return [...value].map(next);
  if (value instanceof URL) return next(value.href);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return next(toJSON.call(value));
  return walkEntries(Object.entries(value), next, registry);
}

function walkEntries(
  entries: Array<[string, unknown]>,
  next: (child: unknown) => unknown,
  registry: SecretRegistry | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, child] of entries) {
    const safeKey = registry === undefined ? key : registry.scrub(key);
    const safeValue = isCredentialKey(key) && child !== undefined && child !== null ? REDACTED : next(child);
    // defineProperty, not assignment: a `__proto__` key must stay data, not become a prototype.
    Object.defineProperty(out, safeKey, {
      value: safeValue,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function walkError(
  error: Error,
  next: (child: unknown) => unknown,
  registry: SecretRegistry | undefined,
): Record<string, unknown> {
  const own = walkEntries(Object.entries(error), next, registry);
  const out: Record<string, unknown> = { type: error.name, message: next(error.message), ...own };
  if (typeof error.stack === 'string') out['stack'] = next(error.stack);
  if (error.cause !== undefined) out['cause'] = next(error.cause);
  if (error instanceof AggregateError) out['errors'] = next(error.errors);
  return out;
}
