/**
 * HTTP for the Docker registry adapter: a counting fetch wrapper that turns network failures into
 * values, the `WWW-Authenticate` challenge parser, and the decoder of a token's `access` claim.
 */

/** An answer from the registry or its token service, or a network failure. */
export type RegistryAnswer =
  | { readonly kind: 'http'; readonly status: number; readonly headers: Headers; readonly body: string }
  | { readonly kind: 'network'; readonly detail: string };

/** A parsed `WWW-Authenticate` challenge. */
export interface Challenge {
  readonly scheme: 'bearer' | 'basic' | 'other';
  readonly params: Readonly<Record<string, string>>;
}

/** One entry of a registry token's `access` claim. */
export interface AccessEntry {
  readonly type: string;
  readonly name: string;
  readonly actions: readonly string[];
}

/** A fetch wrapper that counts requests, never follows redirects and never throws for the network. */
export class RegistryHttp {
  #requests = 0;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #signal: AbortSignal | undefined;

  constructor(fetchImpl: typeof fetch, timeoutMs: number, signal?: AbortSignal) {
    this.#fetch = fetchImpl;
    this.#timeoutMs = timeoutMs;
    this.#signal = signal;
  }

  /** Requests sent so far. */
  get requests(): number {
    return this.#requests;
  }

  /** Sends one request; the body is read as text (registries answer small JSON bodies here). */
  async send(
    url: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<RegistryAnswer> {
    this.#requests += 1;
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = this.#signal === undefined ? timeout : AbortSignal.any([timeout, this.#signal]);
    try {
      const response = await this.#fetch(url, { ...init, redirect: 'manual', signal });
      const body = init.method === 'HEAD' ? '' : (await response.text()).slice(0, 64 * 1024);
      return { kind: 'http', status: response.status, headers: response.headers, body };
    } catch (error) {
      return { kind: 'network', detail: networkDetail(error) };
    }
  }
}

function networkDetail(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.name : 'network error';
}

/** Parses `Bearer realm="…",service="…",scope="…",error="…"` (or `Basic realm="…"`). */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (header === null) return undefined;
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (match === null) return undefined;
  const scheme = (match[1] ?? '').toLowerCase();
  const params: Record<string, string> = {};
  for (const part of (match[2] ?? '').matchAll(/([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    const key = (part[1] ?? '').toLowerCase();
    params[key] = (part[2] ?? part[3] ?? '').replace(/\\(.)/g, '$1');
  }
  return { scheme: scheme === 'bearer' || scheme === 'basic' ? scheme : 'other', params };
}

/** The `access` claim of a JWT, or `undefined` when the token is opaque or malformed. Not verified. */
export function decodeAccessClaim(token: string): readonly AccessEntry[] | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as {
      access?: unknown;
    };
    if (!Array.isArray(claims.access)) return [];
    return claims.access.flatMap((entry: unknown) => {
      const e = entry as { type?: unknown; name?: unknown; actions?: unknown };
      if (typeof e.type !== 'string' || typeof e.name !== 'string' || !Array.isArray(e.actions)) return [];
      return [
        { type: e.type, name: e.name, actions: e.actions.filter((a): a is string => typeof a === 'string') },
      ];
    });
  } catch {
    return undefined;
  }
}

/** The granted scopes spelled as the catalogue spells them (`repository:{name}:pull`) for `repository`. */
export function catalogueScopes(access: readonly AccessEntry[], repository: string | undefined): string[] {
  const scopes = new Set<string>();
  for (const entry of access) {
    if (entry.type === 'registry' && entry.name === 'catalog') scopes.add('registry:catalog:*');
    if (entry.type !== 'repository' || entry.name !== repository) continue;
    for (const action of entry.actions) scopes.add(`repository:{name}:${action}`);
  }
  return [...scopes].sort();
}
