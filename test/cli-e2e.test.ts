/**
 * The CLI against a real Keyhouse server on loopback: an administrator's day, end to end —
 * members, a project, an integration whose credential comes from standard input, permissions,
 * decisions, the audit chain, and the catalogue. Exit codes and output as a person sees them.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { main } from '../src/cli/main.ts';
import { createTestIO } from '../src/cli/test-io.ts';
import { type HttpFixture, startHttpFixture } from './support/http-fixture.ts';

describe('keyhouse CLI against a real server', () => {
  let f: HttpFixture;
  let url: string;
  before(async () => {
    f = await startHttpFixture();
    url = await f.app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(() => f.close());

  async function cli(argv: string[], options: { token?: string; stdin?: string } = {}) {
    const t = createTestIO({
      env: {
        KEYHOUSE_URL: url,
        KEYHOUSE_TOKEN: options.token ?? f.tokens.admin,
        KEYHOUSE_WORKSPACE: 'default',
      },
      ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
    });
    const code = await main(argv, t.io);
    return { code, out: t.stdout(), err: t.stderr() };
  }

  test('members, projects and pipelines', async () => {
    const added = await cli(['members', 'add', 'carol', '--role', 'collaborator']);
    assert.equal(added.code, 0, added.err + added.out);
    const list = await cli(['members', 'list']);
    assert.equal(list.code, 0);
    assert.match(list.out, /carol\s+collaborator\s+manual/);
    const project = await cli(['projects', 'create', 'API', '--id', 'api']);
    assert.equal(project.code, 0, project.err);
    const pipelines = await cli(['pipelines', 'list', '-p', 'web', '--json']);
    assert.equal(pipelines.code, 0, pipelines.err);
    assert.deepEqual((JSON.parse(pipelines.out) as { id: string }[]).map((p) => p.id).sort(), [
      'build',
      'deploy',
    ]);
  });

  test('groups add-member and remove-member', async () => {
    const user = f.users.collaborator;
    const added = await cli(['groups', 'add-member', 'devs', user]);
    assert.equal(added.code, 0, added.err + added.out);
    assert.equal(added.out, `Added ${user} to group devs.\n`);
    const shown = await f.call('admin', 'GET', '/api/v1/workspaces/default/groups/devs');
    assert.ok((shown.json() as { members: string[] }).members.includes(user), shown.body);
    const removed = await cli(['groups', 'remove-member', 'devs', user]);
    assert.equal(removed.code, 0, removed.err + removed.out);
    assert.equal(removed.out, `Removed ${user} from group devs.\n`);
    const after = await f.call('admin', 'GET', '/api/v1/workspaces/default/groups/devs');
    assert.equal((after.json() as { members: string[] }).members.includes(user), false);
  });

  test('an integration from standard input; the secret never printed', async () => {
    const secret = `glpat-${randomBytes(15).toString('base64url').slice(0, 20)}`;
    const created = await cli(
      [
        'integrations',
        'create',
        '--id',
        'gl',
        '--name',
        'GitLab',
        '--provider',
        'gitlab',
        '--credential-type',
        'personal-access-token',
      ],
      { stdin: secret },
    );
    assert.equal(created.code, 0, created.err);
    const show = await cli(['integrations', 'show', 'gl']);
    assert.equal(show.code, 0);
    assert.match(show.out, /token/);
    for (const text of [created.out, created.err, show.out, show.err])
      assert.equal(text.includes(secret.slice(6)), false);
    const refused = await cli([
      'integrations',
      'create',
      '--name',
      'x',
      '--provider',
      'gitlab',
      '--credential-type',
      'personal-access-token',
      '--token',
      secret,
    ]);
    assert.equal(refused.code, 2, 'a secret as an argument is refused');
    assert.equal(refused.err.includes(secret), false);
  });

  test('permissions, check, explain and runs with exit codes', async () => {
    const set = await cli([
      'permissions',
      'set',
      'gh',
      '--user',
      `${f.users.member}=DENY`,
      '--pipelines',
      'build',
    ]);
    assert.equal(set.code, 0, set.err);
    const denied = await cli(['check', 'gh', '--action', 'integration.use'], { token: f.tokens.member });
    assert.equal(denied.code, 4, 'a hidden integration is a denial');
    const explained = await cli(['explain', 'gh', '--action', 'integration.use', '--user', f.users.member]);
    assert.equal(explained.code, 0, explained.err);
    assert.match(explained.out, /DENY/);
    const run = await cli(['runs', 'check', '--pipeline', 'deploy', '--integrations', 'gh']);
    assert.equal(run.code, 4);
    assert.match(run.out + run.err, /Missing permissions to the following integration: GitHub/);
    assert.equal((await cli(['runs', 'check', '--pipeline', 'build', '--integrations', 'gh'])).code, 0);
  });

  test('audit list and verify; catalogue scopes', async () => {
    const audit = await cli(['audit', 'list', '--limit', '5']);
    assert.equal(audit.code, 0, audit.err);
    assert.match(audit.out, /integration\.permissions\.update/);
    const verify = await cli(['audit', 'verify']);
    assert.equal(verify.code, 0, verify.out + verify.err);
    const scopes = await cli([
      'scopes',
      'github',
      '--credential',
      'classic-pat',
      '--features',
      'manage-webhooks',
    ]);
    assert.equal(scopes.code, 0, scopes.err);
    assert.match(scopes.out, /admin:repo_hook/);
    const compare = await cli([
      'scopes',
      'compare',
      'github',
      '--credential',
      'classic-pat',
      '--features',
      'manage-webhooks',
      '--granted',
      'read:org',
    ]);
    assert.equal(compare.code, 7, compare.out + compare.err);
  });

  test('errors: a bad token exits 3, an unknown integration 5', async () => {
    assert.equal(
      (await cli(['integrations', 'list'], { token: `kh_${'0'.repeat(16)}_${'A'.repeat(43)}` })).code,
      3,
    );
    assert.equal((await cli(['integrations', 'show', 'nope'])).code, 5);
  });
});
