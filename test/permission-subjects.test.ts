/**
 * Every user, group and pipeline a permission set names must be the workspace's (and a pipeline
 * must be of a PROJECT integration's project). The checks read each kind in one query; a refused
 * set names the first entry that fails, by its path in the body, and changes nothing. On SQLite
 * and on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { fixtureLocation, type HttpFixture, startHttpFixture } from './support/http-fixture.ts';

const WS = '/api/v1/workspaces/default';

for (const store of ['sqlite', 'postgres'] as const) {
  describe(`the subjects of a permission set (${store})`, async () => {
    const where = await fixtureLocation(store);
    if ('skip' in where) {
      test('skipped', { skip: where.skip }, () => undefined);
      return;
    }
    await where.cleanup();
    let f: HttpFixture;
    let otherPipeline: string;
    let apiPipeline: string;

    before(async () => {
      f = await startHttpFixture({ store });
      const created = async (url: string, body: unknown) => {
        const res = await f.call('admin', 'POST', url, body);
        assert.equal(res.statusCode, 201, res.body);
        return (res.json() as { id: string }).id;
      };
      await created('/api/v1/workspaces/other/projects', { id: 'elsewhere', name: 'Elsewhere' });
      otherPipeline = await created('/api/v1/workspaces/other/projects/elsewhere/pipelines', {
        id: 'elsewhere-build',
        name: 'Build',
      });
      await created(`${WS}/projects`, { id: 'api', name: 'API' });
      apiPipeline = await created(`${WS}/projects/api/pipelines`, { id: 'api-build', name: 'Build' });
      await created(`${WS}/integrations`, {
        id: 'web-bucket',
        name: 'Web bucket',
        provider: 'github',
        credentialType: 'classic-pat',
        scope: { type: 'PROJECT', projectId: 'web' },
        config: { apiBaseUrl: 'http://127.0.0.1:9', repository: 'acme/web', branch: 'main' },
        credential: { token: `ghp_${randomBytes(27).toString('base64url').slice(0, 36)}` },
      });
    });
    after(() => f?.close());

    /** PUTs `body` as the integration's permissions; the answer and the permissions after it. */
    async function put(integration: string, body: Record<string, unknown>) {
      const url = `${WS}/integrations/${integration}/permissions`;
      const before = await f.call('admin', 'GET', url);
      const res = await f.call(
        'admin',
        'PUT',
        url,
        {
          admins: { level: 'MANAGE' },
          others: { level: 'USE' },
          users: [],
          groups: [],
          allowedPipelines: 'ALL',
          ...body,
        },
        { 'if-match': before.headers.etag as string },
      );
      const after = await f.call('admin', 'GET', url);
      return { res, unchanged: after.body === before.body };
    }

    function refused(
      answer: Awaited<ReturnType<typeof put>>,
      field: { readonly path: string; readonly message: string },
    ): void {
      assert.equal(answer.res.statusCode, 400, answer.res.body);
      const { error } = answer.res.json() as { error: { code: string; details: { fields: unknown[] } } };
      assert.equal(error.code, 'validation_failed');
      assert.deepEqual(error.details.fields, [field]);
      assert.ok(answer.unchanged, 'nothing changed');
    }

    test("another workspace's member is refused at its place in the list", async () => {
      refused(
        await put('gh', {
          users: [
            { id: f.users.member, level: 'USE' },
            { id: f.users.otherAdmin, level: 'USE' },
            { id: 'never-a-user', level: 'USE' },
          ],
        }),
        { path: 'body.users.1.id', message: 'is not a member of this workspace' },
      );
    });

    test('an unknown group is refused; members are checked first', async () => {
      refused(
        await put('gh', {
          users: [{ id: f.users.member, level: 'USE' }],
          groups: [
            { id: f.ids.group, level: 'USE' },
            { id: 'no-such-group', level: 'MANAGE' },
          ],
        }),
        { path: 'body.groups.1.id', message: 'is not a group of this workspace' },
      );
      refused(
        await put('gh', {
          users: [{ id: 'never-a-user', level: 'USE' }],
          groups: [{ id: 'no-such-group', level: 'MANAGE' }],
        }),
        { path: 'body.users.0.id', message: 'is not a member of this workspace' },
      );
    });

    test("another workspace's pipeline, and another project's for a PROJECT integration, are refused", async () => {
      refused(await put('gh', { allowedPipelines: [{ id: f.ids.pipeline }, { id: otherPipeline }] }), {
        path: 'body.allowedPipelines.1.id',
        message: 'is not a pipeline of this workspace',
      });
      refused(await put('web-bucket', { allowedPipelines: [{ id: f.ids.pipeline2 }, { id: apiPipeline }] }), {
        path: 'body.allowedPipelines.1.id',
        message: 'belongs to another project than this PROJECT integration',
      });
      // The first failing entry is named, whichever way it fails.
      refused(await put('web-bucket', { allowedPipelines: [{ id: apiPipeline }, { id: otherPipeline }] }), {
        path: 'body.allowedPipelines.0.id',
        message: 'belongs to another project than this PROJECT integration',
      });
    });

    test("the workspace's own subjects are accepted", async () => {
      const { res } = await put('web-bucket', {
        users: [
          { id: f.users.member, level: 'USE' },
          { id: f.users.collaborator, level: 'MANAGE' },
        ],
        groups: [{ id: f.ids.group, level: 'USE' }],
        allowedPipelines: [{ id: f.ids.pipeline }, { id: f.ids.pipeline2 }],
      });
      assert.equal(res.statusCode, 200, res.body);
      const stored = res.json() as { users: unknown[]; allowedPipelines: unknown[] };
      assert.equal(stored.users.length, 2);
      assert.deepEqual(stored.allowedPipelines, [{ id: f.ids.pipeline }, { id: f.ids.pipeline2 }]);
    });
  });
}
