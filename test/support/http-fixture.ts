/**
 * Test support: a real Keyhouse (store, keyring, policy index, HTTP app) on a fresh SQLite data
 * directory or PostgreSQL database, with every log line captured, and a seeded cast: workspace
 * `default` (admin, collaborator, member, a project with two pipelines, a group, an
 * integration) and workspace `other` whose admin is not a member of `default`.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../src/config/load-config.ts';
import type { IndexLimits } from '../../src/core/policy/policy-index.ts';
import { buildApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/logging/create-logger.ts';
import { SecretRegistry } from '../../src/logging/secret-registry.ts';
import { type Runtime, startKeyhouse } from '../../src/services/runtime.ts';
import {
  postgresTarget,
  sqliteTarget,
  type TestLocation,
} from '../../src/storage/test-support/test-targets.ts';
import { seed } from './http-fixture-seed.ts';

/** The roles of the seeded cast. */
export const CAST = ['anonymous', 'member', 'collaborator', 'admin', 'otherAdmin'] as const;
export type CastRole = (typeof CAST)[number];

/** Everything a test sees: the app, captured logs and responses, tokens and ids. */
export interface HttpFixture {
  readonly app: FastifyInstance;
  readonly runtime: Runtime;
  readonly logs: string[];
  readonly bodies: string[];
  readonly tokens: Record<Exclude<CastRole, 'anonymous'>, string>;
  readonly users: Record<Exclude<CastRole, 'anonymous'>, string>;
  readonly ids: { project: string; pipeline: string; pipeline2: string; group: string; integration: string };
  /** Sends a request as one of the cast; records the body for secret scans. */
  call(
    role: CastRole,
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  /**
   * Another process on the same PostgreSQL database: its own runtime, policy index and app, the
   * cast's tokens. Closed by {@link close} too. On SQLite (one process per data directory), refused.
   */
  anotherProcess(): Promise<OtherProcess>;
  close(): Promise<void>;
}

/** A second process of a {@link HttpFixture} (PostgreSQL). */
export interface OtherProcess {
  readonly runtime: Runtime;
  call: HttpFixture['call'];
}

/** Options of {@link startHttpFixture}. */
export interface HttpFixtureOptions {
  readonly store?: 'sqlite' | 'postgres';
  /** Seed the cast (default true). */
  readonly seed?: boolean;
  /** Start from a copy of a seeded SQLite image instead of seeding (fast, for per-case fixtures). */
  readonly image?: SeedImage;
  /** The catalogue folder the server starts with (default: the repository's). */
  readonly catalogueDir?: string;
  /** Lower limits on the ids the policy index holds (default: its layout's). */
  readonly indexLimits?: Partial<IndexLimits>;
}

/** A seeded SQLite data directory with its key, tokens and ids, to copy per test case. */
export interface SeedImage {
  readonly dataDir: string;
  readonly masterKey: string;
  readonly tokens: HttpFixture['tokens'];
  readonly users: HttpFixture['users'];
  readonly ids: HttpFixture['ids'];
  readonly adminTokenId: string;
  dispose(): void;
}

/** Seeds a SQLite fixture once and keeps its data directory as an image. */
export async function createSeedImage(): Promise<SeedImage> {
  const f = await startHttpFixture();
  const dataDir = mkdtempSync(join(tmpdir(), 'keyhouse-image-'));
  const adminTokenId = /^kh_([0-9a-f]{16})_/.exec(f.tokens.admin)![1]!;
  const source = (f.runtime as Runtime & { dataDir?: string }).dataDir!;
  const masterKey = (f as HttpFixture & { masterKey: string }).masterKey;
  await f.runtime.close();
  cpSync(source, dataDir, { recursive: true, filter: (path) => !path.endsWith('.lock') });
  await f.close();
  return {
    dataDir,
    masterKey,
    tokens: { ...f.tokens },
    users: { ...f.users },
    ids: { ...f.ids },
    adminTokenId,
    dispose: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** Where the fixture's store lives, or why it cannot run. */
export async function fixtureLocation(kind: 'sqlite' | 'postgres'): Promise<TestLocation | { skip: string }> {
  const target = kind === 'sqlite' ? sqliteTarget() : await postgresTarget();
  if (target.failReason) throw new Error(target.failReason);
  if (target.skipReason) return { skip: target.skipReason };
  return target.fresh();
}

/** Tests talk to loopback only: any other address is refused before a packet leaves. */
function guardNetwork(): void {
  const marker = Symbol.for('keyhouse.test.fetch-guard');
  const g = globalThis as unknown as Record<symbol, boolean>;
  if (g[marker]) return;
  g[marker] = true;
  const original = globalThis.fetch;
  globalThis.fetch = (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
      return Promise.reject(new TypeError(`test network guard: refused a request to ${url.hostname}`));
    }
    return original(input, init);
  };
}

/** Starts a fixture. */
export async function startHttpFixture(options: HttpFixtureOptions = {}): Promise<HttpFixture> {
  guardNetwork();
  const image = options.image;
  const location = image ? imageCopy(image) : await fixtureLocation(options.store ?? 'sqlite');
  if ('skip' in location) throw new Error(location.skip);
  const c = location.config;
  const masterKey = image?.masterKey ?? randomBytes(32).toString('base64');
  const dataDir = c.kind === 'sqlite' ? c.dataDir : mkdtempSync(join(tmpdir(), 'keyhouse-unused-'));
  const config = loadConfig({
    KEYHOUSE_DATA_DIR: dataDir,
    ...(c.kind === 'postgres' ? { DATABASE_URL: c.url } : {}),
    KEYHOUSE_MASTER_KEY: masterKey,
    KEYHOUSE_LOG_LEVEL: 'trace',
  });
  const registry = new SecretRegistry();
  const logs: string[] = [];
  const bodies: string[] = [];
  const logger = createLogger({
    level: 'trace',
    registry,
    destination: { write: (line: string) => logs.push(line) },
  });
  // The fixture's process and any other it starts (`anotherProcess`) start alike.
  const startOptions = {
    secrets: registry,
    warn: (m: string) => logger.warn(m),
    ...(options.catalogueDir === undefined ? {} : { catalogueDir: options.catalogueDir }),
    ...(options.indexLimits === undefined ? {} : { indexLimits: options.indexLimits }),
  };
  const runtime = await startKeyhouse(config, startOptions);
  const app = await buildApp({ keyhouse: runtime.keyhouse, logger });
  const tokens = (image ? { ...image.tokens } : { admin: runtime.bootstrapToken! }) as Record<
    Exclude<CastRole, 'anonymous'>,
    string
  >;
  const users = (image ? { ...image.users } : {}) as Record<Exclude<CastRole, 'anonymous'>, string>;
  const caller =
    (app: FastifyInstance): HttpFixture['call'] =>
    async (role, method, url, body, headers = {}) => {
      const auth: Record<string, string> =
        role === 'anonymous' ? {} : { authorization: `Bearer ${tokens[role]}` };
      const res = await app.inject({
        method: method as 'GET',
        url,
        headers: { ...auth, ...headers },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      bodies.push(JSON.stringify(res.headers), res.body);
      return res;
    };
  const call = caller(app);
  const others: { app: FastifyInstance; runtime: Runtime }[] = [];
  const anotherProcess = async (): Promise<OtherProcess> => {
    if (c.kind !== 'postgres') throw new Error('another process needs PostgreSQL');
    const other = await startKeyhouse(config, startOptions);
    const otherApp = await buildApp({ keyhouse: other.keyhouse, logger });
    others.push({ app: otherApp, runtime: other });
    return { runtime: other, call: caller(otherApp) };
  };
  const ids = image
    ? { ...image.ids }
    : { project: '', pipeline: '', pipeline2: '', group: '', integration: '' };
  const fixture: HttpFixture & { masterKey: string } = {
    masterKey,
    app,
    runtime: Object.assign(runtime, { dataDir }),
    logs,
    bodies,
    tokens,
    users,
    ids,
    call,
    anotherProcess,
    async close() {
      for (const other of others) {
        await other.app.close();
        await other.runtime.close();
      }
      await app.close();
      await runtime.close();
      await location.cleanup();
      if (c.kind === 'postgres') rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (options.seed !== false && !image) await seed(fixture);
  return fixture;
}

function imageCopy(image: SeedImage): TestLocation {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyhouse-case-'));
  cpSync(image.dataDir, dataDir, { recursive: true });
  return {
    config: { kind: 'sqlite', dataDir },
    cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}
