/**
 * Test support for the verification services: a real Keyhouse on a fresh SQLite directory with a
 * settable clock, the bootstrap admin as principal, GitHub integrations with generated tokens,
 * and a fake adapter that records what it was given and answers what the test says.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/load-config.ts';
import { SecretRegistry } from '../logging/secret-registry.ts';
import { overrideAdapter } from '../providers/registry.ts';
import type { Introspection, ProviderAdapter, VerifyInput } from '../providers/types.ts';
import type { Principal } from './context.ts';
import { type Runtime, startKeyhouse } from './runtime.ts';

/** A fake adapter: `answer` decides each introspection; `calls` records each input. */
export interface FakeAdapter extends ProviderAdapter {
  readonly calls: VerifyInput[];
  answer: (input: VerifyInput) => Introspection;
}

/** A fake adapter for `id` that answers "ok, scopes repo" unless told otherwise. */
export function fakeAdapter(id: string): FakeAdapter {
  const fake: FakeAdapter = {
    id,
    calls: [],
    answer: () => ({
      reach: 'ok',
      identity: { account: 'octocat', accountType: 'user' },
      grantedScopes: ['repo'],
      checks: [{ id: 'token-valid', title: 'Token valid', outcome: 'pass' }],
      findings: [],
      requests: 1,
    }),
    async verify(input) {
      fake.calls.push(input);
      return fake.answer(input);
    },
  };
  return fake;
}

/** A started service with its clock, principal and fake adapter. */
export interface VerificationFixture {
  readonly runtime: Runtime;
  readonly admin: Principal;
  readonly registry: SecretRegistry;
  readonly warnings: string[];
  readonly adapter: FakeAdapter;
  readonly tokens: Map<string, string>;
  clock: number;
  /** Creates a GitHub classic-PAT integration with a generated token. */
  integration(name: string, config?: Record<string, string | string[]>): Promise<string>;
  close(): Promise<void>;
}

/** Starts a fixture at `clock`; the fake adapter replaces GitHub's until `close()`. */
export async function startVerificationFixture(clock: number): Promise<VerificationFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyhouse-verify-'));
  const registry = new SecretRegistry();
  const warnings: string[] = [];
  const adapter = fakeAdapter('github');
  const restore = overrideAdapter(adapter);
  const config = loadConfig({
    KEYHOUSE_DATA_DIR: dataDir,
    KEYHOUSE_MASTER_KEY: randomBytes(32).toString('base64'),
  });
  const fixture: VerificationFixture = {
    clock,
    registry,
    warnings,
    adapter,
    tokens: new Map(),
    runtime: undefined as unknown as Runtime,
    admin: undefined as unknown as Principal,
    async integration(name, cfg = { features: ['clone'] }) {
      const token = `ghp_${randomBytes(27).toString('base64url').slice(0, 36)}`;
      const i = await fixture.runtime.keyhouse.createIntegration(fixture.admin, 'default', {
        name,
        provider: 'github',
        credentialType: 'classic-pat',
        scope: { type: 'WORKSPACE' },
        config: cfg,
        credential: { token },
      });
      fixture.tokens.set(i.id, token);
      return i.id;
    },
    async close() {
      restore();
      await fixture.runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const runtime = await startKeyhouse(config, {
    secrets: registry,
    warn: (m) => warnings.push(m),
    now: () => fixture.clock,
  });
  const user = await runtime.store.getUserByLogin('admin');
  Object.assign(fixture, { runtime, admin: { userId: user!.id, login: 'admin' } });
  return fixture;
}
