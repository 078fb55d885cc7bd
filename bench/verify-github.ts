/**
 * Verifies 1,000 GitHub integrations at once against the local GitHub limited to GitHub's 5,000
 * requests per hour scaled down (500 per 2-second window, one bucket shared by all, as when every
 * integration runs under one bot account), and prints the time, the requests per integration and
 * the limit violations (must be 0). Run with
 *
 *     npx node bench/verify-github.ts [integrations] [limit] [windowMs]
 */
import type { Catalogue } from '../src/core/catalogue/index.ts';
import { createGithubAdapter } from '../src/providers/github/github-adapter.ts';
import { RateGateRegistry } from '../src/providers/github/github-rate-gate.ts';
import type { Introspection, VerifyInput } from '../src/providers/types.ts';
import { readCatalogue } from '../src/services/catalogue-loader.ts';
import { startFakeGithub } from '../test/fakes/github/github-fake-server.ts';
import { FakeWorld } from '../test/fakes/github/github-fake-world.ts';

const integrations = Number(process.argv[2] ?? 1000);
const limit = Number(process.argv[3] ?? 500);
const windowMs = Number(process.argv[4] ?? 2000);

/** Builds the world and the integrations: 80 % classic PATs, 15 % fine-grained PATs, 5 % Apps. */
function workload(world: FakeWorld, apiBaseUrl: string, catalogue: Catalogue): VerifyInput[] {
  world.addUser('bot', 'Bot').addOrg('acme');
  for (let r = 0; r < 20; r += 1)
    world.addRepo(`acme/repo-${r}`, { branches: ['main'], collaborators: ['bot'] });
  const app = world.addApp('keyhouse-bench');
  const installationId = world.install(app.appId, 'acme', {
    permissions: { contents: 'write', pull_requests: 'write' },
  });
  return Array.from({ length: integrations }, (_, i) => {
    const config = {
      apiBaseUrl,
      repository: `acme/repo-${i % 20}`,
      branch: 'main',
      cloneUrl: `https://127.0.0.1/acme/repo-${i % 20}.git`,
    };
    const common = { integrationId: `int-${i}`, provider: 'github', config, now: Date.now(), catalogue };
    const kind = i % 20;
    if (kind === 0) {
      return {
        ...common,
        credentialType: 'github-app',
        features: ['clone', 'open-pull-requests'],
        credential: { appId: app.appId, installationId, privateKey: app.privateKey },
      };
    }
    if (kind <= 3) {
      const token = world.issueFineGrained('bot', 'acme', { contents: 'read', pull_requests: 'write' });
      return {
        ...common,
        credentialType: 'fine-grained-pat',
        features: ['read-repository-contents', 'open-pull-requests'],
        credential: { token },
      };
    }
    const token = world.issueClassic('bot', ['repo']);
    return {
      ...common,
      credentialType: 'classic-pat',
      features: ['clone', 'open-pull-requests'],
      credential: { token },
    };
  });
}

function tally(results: readonly Introspection[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) out[r.reach] = (out[r.reach] ?? 0) + 1;
  return out;
}

const world = new FakeWorld();
const fake = await startFakeGithub({ world, rateLimit: { limit, windowMs } });
try {
  const catalogue = await readCatalogue();
  const adapter = createGithubAdapter({
    gates: new RateGateRegistry({ resetMarginMs: 100 }),
  });
  const inputs = workload(world, fake.url, catalogue);
  const started = performance.now();
  const results = await Promise.all(inputs.map((input) => adapter.verify(input)));
  const seconds = (performance.now() - started) / 1000;
  const requests = results.reduce((n, r) => n + r.requests, 0);
  const floor = Math.max(0, Math.ceil(requests / limit) - 1) * (windowMs / 1000);
  console.log(`integrations            ${integrations}`);
  console.log(`limit                   ${limit} requests / ${windowMs} ms window (5,000/hour scaled down)`);
  console.log(
    `time                    ${seconds.toFixed(2)} s (lower bound from the limit ≈ ${floor.toFixed(1)} s)`,
  );
  console.log(
    `requests                ${requests} (${(requests / integrations).toFixed(2)} per integration)`,
  );
  console.log(`requests at the server  ${fake.stats.requests}`);
  console.log(`limit violations        ${fake.rateLimit?.violations ?? 0}`);
  console.log(`reach                   ${JSON.stringify(tally(results))}`);
  if ((fake.rateLimit?.violations ?? 0) > 0) process.exitCode = 1;
} finally {
  await fake.close();
}
