/**
 * The Azure DevOps adapter against a local Azure DevOps: a PAT with enough scopes, a missing
 * scope and a missing permission (both 401, reported as either), the 203 sign-in page and a 401
 * as invalid, a missing branch, throttling with `Retry-After`, and recorded examples.
 */

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createAzureDevopsAdapter } from '../src/providers/azure-devops/index.ts';
import {
  generateSecret,
  loadFixtures,
  shapeDifferences,
} from '../src/providers/http/test-support/fake-server.ts';
import type { Introspection, VerifyInput } from '../src/providers/types.ts';
import { catalogue } from './catalogue-fixtures.ts';
import { type FakeAzureDevops, startAzureDevopsFake } from './fakes/azure-devops/azure-devops-fake.ts';

const WORLD = {
  organization: 'acme',
  projects: [
    { name: 'web', readers: ['alice'], repositories: [{ name: 'widgets', branches: ['main'] }] },
    { name: 'ops', readers: ['bob'], repositories: [{ name: 'infra', branches: ['main'] }] },
  ],
};
let fake: FakeAzureDevops;
before(async () => {
  fake = await startAzureDevopsFake(WORLD);
});
after(() => fake.close());

function input(token: string, overrides: Partial<VerifyInput> = {}, server = fake): VerifyInput {
  return {
    catalogue,
    integrationId: 'int-1',
    provider: 'azure-devops',
    credentialType: 'pat',
    config: {
      organization: 'acme',
      project: 'web',
      repository: 'widgets',
      branch: 'main',
      apiBaseUrl: server.url,
      profileBaseUrl: server.url,
    },
    features: ['clone', 'list-organisations', 'read-user-identity'],
    credential: { token },
    now: Date.now(),
    ...overrides,
  };
}
function principalInput(principal: {
  tenantId?: string;
  clientId: string;
  clientSecret: string;
}): VerifyInput {
  const { clientSecret, ...ids } = principal;
  return input('', {
    credentialType: 'service-principal',
    credential: { clientSecret },
    config: { ...input('').config, ...ids, authorityUrl: fake.url },
  });
}
const codes = (result: Introspection) => result.findings.map((finding) => finding.code);
const check = (result: Introspection, id: string) => result.checks.find((entry) => entry.id === id)?.outcome;
const adapter = createAzureDevopsAdapter();

describe('Azure DevOps adapter', () => {
  test('a PAT with enough scopes passes every probe and reads the identity', async () => {
    const token = fake.addPat({ user: 'alice', scopes: ['vso.code', 'vso.project', 'vso.profile'] });
    const result = await adapter.verify(input(token));
    assert.equal(result.reach, 'ok');
    assert.equal(result.identity?.account, 'alice@example.test');
    assert.deepEqual(codes(result), []);
    for (const id of ['token-valid', 'scopes', 'repository-access', 'branch-exists', 'clone-url-form'])
      assert.equal(check(result, id), 'pass', id);
    assert.equal(result.requests, 5);
    assert.ok(!JSON.stringify(result).includes(token));
  });

  test('a missing scope is a 401 reported as a missing scope or a missing permission', async () => {
    const token = fake.addPat({ user: 'alice', scopes: ['vso.project', 'vso.profile'] });
    const result = await adapter.verify(input(token));
    assert.equal(result.reach, 'ok');
    assert.equal(check(result, 'scopes'), 'fail');
    const finding = result.findings.find((entry) => entry.code === 'scope_or_permission_missing');
    assert.match(
      finding?.message ?? '',
      /either the PAT lacks vso\.code .* or its user lacks Read on the repository/,
    );
    assert.match(finding?.message ?? '', /TF400813/);
  });

  test('a missing permission (not a reader of the project) gives the same ambiguous finding', async () => {
    const token = fake.addPat({ user: 'bob', scopes: 'full' });
    const result = await adapter.verify(input(token));
    assert.equal(check(result, 'repository-access'), 'fail');
    assert.ok(codes(result).includes('scope_or_permission_missing'));
  });

  test('the sign-in page (203) and a 401 on connectionData both mean invalid, and say so', async () => {
    const signIn = await adapter.verify(input('not-a-pat'));
    assert.equal(signIn.reach, 'invalid');
    assert.match(signIn.findings[0]!.message, /203 with a sign-in page/);
    const strict = await startAzureDevopsFake({ ...WORLD, invalidAnswer: 401 });
    try {
      const refused = await adapter.verify(input('not-a-pat', {}, strict));
      assert.equal(refused.reach, 'invalid');
      assert.match(refused.findings[0]!.message, /401 to GET _apis\/connectionData, which needs no scope/);
    } finally {
      await strict.close();
    }
  });

  test('a missing branch and a missing repository are reported', async () => {
    const token = fake.addPat({ user: 'alice', scopes: ['vso.code'] });
    const branch = await adapter.verify(
      input(token, {
        features: ['clone'],
        config: {
          organization: 'acme',
          project: 'web',
          repository: 'widgets',
          branch: 'gone',
          apiBaseUrl: fake.url,
          profileBaseUrl: fake.url,
        },
      }),
    );
    assert.equal(check(branch, 'branch-exists'), 'fail');
    const repo = await adapter.verify(
      input(token, {
        features: ['clone'],
        config: {
          organization: 'acme',
          project: 'web',
          repository: 'nope',
          apiBaseUrl: fake.url,
          profileBaseUrl: fake.url,
        },
      }),
    );
    assert.equal(check(repo, 'repository-access'), 'fail');
    assert.match(repo.checks.find((entry) => entry.id === 'repository-access')!.detail!, /TF401019/);
  });

  test('throttling is respected: Retry-After is waited and the X-RateLimit state kept', async () => {
    const busy = await startAzureDevopsFake({ ...WORLD, throttleFirst: 1 });
    const waits: number[] = [];
    try {
      const token = busy.addPat({ user: 'alice', scopes: 'full' });
      const result = await createAzureDevopsAdapter({
        http: { sleep: async (ms) => void waits.push(ms) },
      }).verify(input(token, {}, busy));
      assert.equal(result.reach, 'ok');
      assert.equal(waits.length, 1);
      assert.ok(waits[0]! > 1000 && waits[0]! <= 2000, `${waits}`);
    } finally {
      await busy.close();
    }
  });

  test('a service principal exchanges its secret with Entra and is verified with the Bearer token', async () => {
    const sp = fake.addServicePrincipal({ user: 'alice', scopes: 'full' });
    const result = await adapter.verify(principalInput(sp));
    assert.equal(result.reach, 'ok', JSON.stringify(result.findings));
    assert.equal(result.identity?.accountType, 'service-principal');
    assert.equal(check(result, 'repository-access'), 'pass');
    assert.equal(result.requests, 6);
    assert.equal(result.expiresAt, undefined);
    assert.ok(fake.log.some((entry) => entry.path === `/${sp.tenantId}/oauth2/v2.0/token`));
    assert.ok(!JSON.stringify(result).includes(sp.clientSecret));
  });

  test("a wrong secret, an unknown application and an unknown tenant are invalid with Entra's words", async () => {
    const sp = fake.addServicePrincipal({ user: 'alice', scopes: 'full' });
    const cases = [
      [{ ...sp, clientSecret: generateSecret() }, /AADSTS7000215: Invalid client secret provided/],
      [{ ...sp, clientId: randomUUID() }, /AADSTS700016: Application with identifier '[^']+' was not found/],
      [{ ...sp, tenantId: randomUUID() }, /AADSTS90002: Tenant '[^']+' not found/],
    ] as const;
    for (const [principal, message] of cases) {
      const result = await adapter.verify(principalInput(principal));
      assert.equal(result.reach, 'invalid');
      assert.deepEqual(codes(result), ['credential_invalid']);
      assert.match(result.findings[0]!.message, message);
      assert.doesNotMatch(result.findings[0]!.message, /Trace ID/);
      assert.equal(check(result, 'token-valid'), 'fail');
      const text = JSON.stringify(result);
      assert.ok(!text.includes(principal.clientSecret) && !text.includes(sp.clientSecret));
    }
  });

  test('a missing tenant id or secret is invalid without a request to Entra', async () => {
    const sp = fake.addServicePrincipal({ user: 'alice', scopes: 'full' });
    const { tenantId: _t, ...noTenant } = sp;
    const result = await adapter.verify(principalInput(noTenant));
    assert.equal(result.reach, 'invalid');
    assert.equal(result.requests, 0);
    assert.match(result.findings[0]!.message, /"tenantId"/);
  });

  test('an Entra access token is verified as Bearer and its exp claim read as the expiry', async () => {
    const now = Date.now();
    const exp = Math.floor(now / 1000) + 3 * 86_400;
    const token = fake.addEntraToken({ user: 'alice', scopes: 'full' }, exp);
    const result = await adapter.verify(
      input('', { credentialType: 'entra-oauth', credential: { accessToken: token }, now }),
    );
    assert.equal(result.reach, 'ok');
    assert.equal(result.expiresAt, exp * 1000);
    assert.ok(codes(result).includes('credential_expiring'));
    const unknown = await adapter.verify(
      input('', { credentialType: 'entra-oauth', credential: { accessToken: generateSecret() } }),
    );
    assert.equal(unknown.reach, 'invalid');
    assert.match(unknown.findings[0]!.message, /the Entra token was not accepted/);
  });

  test('the fake answers the recorded examples with the same status and shape', async () => {
    for (const fixture of loadFixtures(new URL('./fakes/azure-devops/__fixtures__/', import.meta.url))) {
      const token = fake.addPat({ user: 'alice', scopes: (fixture.setup as { scopes: string[] }).scopes });
      const response = await fetch(fake.url + fixture.request.path, {
        headers: { authorization: `Basic ${Buffer.from(`:${token}`).toString('base64')}` },
      });
      assert.equal(response.status, fixture.response.status, fixture.name);
      assert.deepEqual(shapeDifferences(fixture.response.body, await response.json()), [], fixture.name);
    }
  });
});
