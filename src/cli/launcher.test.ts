import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const launcher = fileURLToPath(new URL('../../bin/keyhouse.js', import.meta.url));

test('bin/keyhouse.js runs the CLI and passes its exit code on', () => {
  const help = spawnSync(process.execPath, [launcher, '--help'], { encoding: 'utf8', env: {} });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^keyhouse: integrations and permissions control plane/);
  const usage = spawnSync(process.execPath, [launcher, 'projects', 'list', '--token', 'x'], {
    encoding: 'utf8',
    env: {},
  });
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /--token is refused/);
});
