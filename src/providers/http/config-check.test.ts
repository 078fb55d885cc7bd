import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type ConfigValidator, checkHostConfig } from './config-check.ts';

type Host = { apiBaseUrl?: string; hostUrl?: string; branch?: string };
const anyHost: ConfigValidator<Host> = {
  Check: (value): value is Host => typeof value === 'object' && value !== null,
  Errors: () => [{ instancePath: '', message: 'must be object' }],
};
const withApiBase = (value: unknown, apiPath: string, hostName: string) =>
  checkHostConfig(anyHost, value, apiPath, hostName);

describe('checkHostConfig', () => {
  test('an explicit API base wins, without its trailing slashes', () => {
    const read = withApiBase(
      { apiBaseUrl: 'http://127.0.0.1:3000/api//', hostUrl: 'http://127.0.0.1:9' },
      '/v1',
      'Host',
    );
    assert.deepEqual(read, {
      ok: true,
      value: { apiBaseUrl: 'http://127.0.0.1:3000/api', hostUrl: 'http://127.0.0.1:9' },
    });
  });

  test('else the host URL with the API path appended, keeping the other keys', () => {
    const read = withApiBase(
      { hostUrl: 'http://127.0.0.1:3000/', branch: 'main' },
      '/rest/api/latest',
      'Host',
    );
    assert.deepEqual(read, {
      ok: true,
      value: {
        hostUrl: 'http://127.0.0.1:3000/',
        branch: 'main',
        apiBaseUrl: 'http://127.0.0.1:3000/rest/api/latest',
      },
    });
  });

  test('neither is a config_invalid finding naming the host', () => {
    const read = withApiBase({}, '/api/v1', 'Gitea');
    assert.equal(read.ok, false);
    if (read.ok) return;
    assert.deepEqual(read.findings, [
      {
        code: 'config_invalid',
        severity: 'error',
        message: "The integration's configuration is not usable: hostUrl: Gitea has no default host.",
        fix: 'Set hostUrl (or apiBaseUrl).',
      },
    ]);
  });

  test("a config the schema refuses is the schema's config_invalid finding", () => {
    const read = withApiBase(null, '/api/v1', 'Gitea');
    assert.equal(read.ok, false);
    if (read.ok) return;
    assert.deepEqual(
      read.findings.map((finding) => finding.message),
      ["The integration's configuration is not usable: (config): must be object."],
    );
  });
});
