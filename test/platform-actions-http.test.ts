/** Platform-action checks over HTTP: the seed table's roles, the project role, and a plain explanation. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type HttpFixture, startHttpFixture } from './support/http-fixture.ts';

describe('platform actions over HTTP', () => {
  let f: HttpFixture;
  before(async () => {
    f = await startHttpFixture();
  });
  after(() => f.close());

  const check = async (role: 'member' | 'collaborator' | 'admin', action: string) => {
    const res = await f.call(role, 'POST', '/api/v1/workspaces/default/actions/check', {
      action,
      projectId: 'web',
    });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { allowed: boolean; explanation: string[] };
  };

  test('a member views builds but does not cancel them; a collaborator cancels; only an admin resets', async () => {
    assert.equal((await check('member', 'build.view')).allowed, true);
    assert.equal((await check('member', 'build.cancel')).allowed, false);
    assert.equal((await check('collaborator', 'build.cancel')).allowed, true);
    assert.equal((await check('collaborator', 'project.reset')).allowed, false);
    assert.equal((await check('admin', 'project.reset')).allowed, true);
  });

  test('the explanation names the rule and no integration level', async () => {
    const d = await check('member', 'build.cancel');
    assert.equal(d.explanation.at(-1), 'Decided by the platform-action rule: refused.');
    assert.equal(
      d.explanation.some((s) => /DENY|MANAGE|USE\b/.test(s)),
      false,
    );
  });

  test('an unknown action is a 400 naming the field', async () => {
    const res = await f.call('admin', 'POST', '/api/v1/workspaces/default/actions/check', {
      action: 'rocket.launch',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /body\.action/);
  });
});
