/**
 * The seeded cast of the HTTP fixture, made through the API as a client would: workspace `default`
 * (admin, collaborator, member, project `web` with pipelines `build` and `deploy`, group `devs`,
 * integration `gh`) and workspace `other` whose admin is not a member of `default`.
 */
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { HttpFixture } from './http-fixture.ts';

async function ok(res: LightMyRequestResponse, what: string): Promise<Record<string, unknown>> {
  if (res.statusCode >= 300) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
  return res.body === '' ? {} : (res.json() as Record<string, unknown>);
}

/** Seeds the cast through the API, filling in `f`'s users, tokens and ids. */
export async function seed(f: HttpFixture): Promise<void> {
  const me = await ok(await f.call('admin', 'GET', '/api/v1/me'), 'me');
  (f.users as Record<string, string>)['admin'] = (me['user'] as { id: string }).id;
  for (const role of ['collaborator', 'member'] as const) {
    const m = await ok(
      await f.call('admin', 'POST', '/api/v1/workspaces/default/members', { login: role, role }),
      role,
    );
    f.users[role] = m['userId'] as string;
    const t = await ok(
      await f.call('admin', 'POST', `/api/v1/workspaces/default/members/${f.users[role]}/tokens`, {
        name: 'test',
      }),
      'token',
    );
    f.tokens[role] = t['token'] as string;
  }
  await ok(
    await f.call('admin', 'POST', '/api/v1/workspaces', { id: 'other', name: 'Other' }),
    'workspace other',
  );
  const o = await ok(
    await f.call('admin', 'POST', '/api/v1/workspaces/other/members', {
      login: 'other-admin',
      role: 'admin',
    }),
    'other admin',
  );
  f.users.otherAdmin = o['userId'] as string;
  const ot = await ok(
    await f.call('admin', 'POST', `/api/v1/workspaces/other/members/${f.users.otherAdmin}/tokens`, {
      name: 'test',
    }),
    'token',
  );
  f.tokens.otherAdmin = ot['token'] as string;
  const p = await ok(
    await f.call('admin', 'POST', '/api/v1/workspaces/default/projects', { id: 'web', name: 'Web' }),
    'project',
  );
  f.ids.project = p['id'] as string;
  f.ids.pipeline = (
    await ok(
      await f.call('admin', 'POST', '/api/v1/workspaces/default/projects/web/pipelines', {
        id: 'build',
        name: 'Build',
      }),
      'pipeline',
    )
  )['id'] as string;
  f.ids.pipeline2 = (
    await ok(
      await f.call('admin', 'POST', '/api/v1/workspaces/default/projects/web/pipelines', {
        id: 'deploy',
        name: 'Deploy',
      }),
      'pipeline',
    )
  )['id'] as string;
  f.ids.group = (
    await ok(
      await f.call('admin', 'POST', '/api/v1/workspaces/default/groups', { id: 'devs', name: 'Developers' }),
      'group',
    )
  )['id'] as string;
  await ok(
    await f.call('admin', 'PUT', `/api/v1/workspaces/default/groups/devs/members/${f.users.member}`),
    'group member',
  );
  const i = await ok(
    await f.call('admin', 'POST', '/api/v1/workspaces/default/integrations', {
      id: 'gh',
      name: 'GitHub',
      provider: 'github',
      credentialType: 'classic-pat',
      scope: { type: 'WORKSPACE' },
      // A closed loopback port: a verification of the seeded integration never leaves the machine.
      config: { apiBaseUrl: 'http://127.0.0.1:9', repository: 'acme/web', branch: 'main' },
      credential: { token: `ghp_${randomBytes(27).toString('base64url').slice(0, 36)}` },
    }),
    'integration',
  );
  f.ids.integration = i['id'] as string;
}
