import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError } from './config-error.ts';
import { configSecrets, describeConfig, type EnvRecord, findUnknownKeys, loadConfig } from './load-config.ts';

const goodKey = () => randomBytes(32).toString('base64');

describe('loadConfig defaults', () => {
  test('an empty environment gives the documented defaults', () => {
    const config = loadConfig({});
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 7070);
    assert.equal(config.dataDir, './.keyhouse');
    assert.deepEqual(config.database, { kind: 'sqlite', file: join('./.keyhouse', 'keyhouse.db') });
    assert.deepEqual(config.masterKey, { kind: 'default', path: join('./.keyhouse', 'master.key') });
    assert.equal(config.logLevel, 'info');
    assert.deepEqual(config.bootstrap, { admin: 'admin', workspace: 'default' });
    assert.equal(config.verifyExpiryWindowDays, 14);
    assert.equal(config.roleStalenessSeconds, 3600);
    assert.equal(config.trustProxy, false);
  });

  test('the result is frozen all the way down', () => {
    const config = loadConfig({});
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.database));
    assert.ok(Object.isFrozen(config.bootstrap));
    assert.throws(() => {
      (config as { port: number }).port = 1;
    }, TypeError);
  });
});

describe('loadConfig accepts good values', () => {
  const key = goodKey();
  const cases: Array<[string, EnvRecord, (c: ReturnType<typeof loadConfig>) => unknown, unknown]> = [
    ['port as a string', { KEYHOUSE_PORT: '8080' }, (c) => c.port, 8080],
    ['port with spaces', { KEYHOUSE_PORT: ' 9000 ' }, (c) => c.port, 9000],
    ['empty value counts as unset', { KEYHOUSE_PORT: '' }, (c) => c.port, 7070],
    ['host', { KEYHOUSE_HOST: '::1' }, (c) => c.host, '::1'],
    [
      'data dir moves the sqlite file',
      { KEYHOUSE_DATA_DIR: '/srv/kh' },
      (c) => c.database,
      { kind: 'sqlite', file: join('/srv/kh', 'keyhouse.db') },
    ],
    [
      'postgres url',
      { DATABASE_URL: 'postgres://u@127.0.0.1:5432/test' },
      (c) => c.database.kind,
      'postgres',
    ],
    ['postgresql url', { DATABASE_URL: 'postgresql://127.0.0.1/test' }, (c) => c.database.kind, 'postgres'],
    ['inline key', { KEYHOUSE_MASTER_KEY: key }, (c) => c.masterKey, { kind: 'inline', secret: key }],
    [
      'key file',
      { KEYHOUSE_MASTER_KEY_FILE: '/run/k' },
      (c) => c.masterKey,
      { kind: 'file', path: '/run/k' },
    ],
    ['log level', { KEYHOUSE_LOG_LEVEL: 'debug' }, (c) => c.logLevel, 'debug'],
    ['bootstrap admin', { KEYHOUSE_BOOTSTRAP_ADMIN: 'ops.lead' }, (c) => c.bootstrap.admin, 'ops.lead'],
    [
      'bootstrap workspace',
      { KEYHOUSE_BOOTSTRAP_WORKSPACE: 'acme-1' },
      (c) => c.bootstrap.workspace,
      'acme-1',
    ],
    ['expiry window', { KEYHOUSE_VERIFY_EXPIRY_WINDOW_DAYS: '30' }, (c) => c.verifyExpiryWindowDays, 30],
    ['trust proxy', { KEYHOUSE_TRUST_PROXY: 'true' }, (c) => c.trustProxy, true],
    ['unrelated keys are ignored', { PATH: '/bin', HOME: '/root' }, (c) => c.port, 7070],
  ];
  for (const [name, env, pick, expected] of cases) {
    test(name, () => assert.deepEqual(pick(loadConfig(env)), expected));
  }
});

describe('loadConfig refuses bad values, naming the key and why', () => {
  const cases: Array<[EnvRecord, string, string]> = [
    [{ KEYHOUSE_PORT: 'http' }, 'KEYHOUSE_PORT', 'must be an integer from 1 to 65535'],
    [{ KEYHOUSE_PORT: '0' }, 'KEYHOUSE_PORT', 'must be an integer from 1 to 65535'],
    [{ KEYHOUSE_PORT: '65536' }, 'KEYHOUSE_PORT', 'must be an integer from 1 to 65535'],
    [{ KEYHOUSE_PORT: '70.5' }, 'KEYHOUSE_PORT', 'must be an integer from 1 to 65535'],
    [{ KEYHOUSE_HOST: 'a b' }, 'KEYHOUSE_HOST', 'must be a host name or an IP address'],
    [{ DATABASE_URL: 'mysql://127.0.0.1/x' }, 'DATABASE_URL', 'must be a postgres:// or postgresql:// URL'],
    [{ DATABASE_URL: 'postgres://[bad' }, 'DATABASE_URL', 'must be a well-formed postgres:// URL'],
    [{ KEYHOUSE_MASTER_KEY: 'not base64!' }, 'KEYHOUSE_MASTER_KEY', 'must be base64 of exactly 32 bytes'],
    [
      { KEYHOUSE_MASTER_KEY: randomBytes(16).toString('base64') },
      'KEYHOUSE_MASTER_KEY',
      'decodes to 16 bytes',
    ],
    [
      { KEYHOUSE_MASTER_KEY: randomBytes(33).toString('base64') },
      'KEYHOUSE_MASTER_KEY',
      'decodes to 33 bytes',
    ],
    [
      { KEYHOUSE_MASTER_KEY: goodKey(), KEYHOUSE_MASTER_KEY_FILE: '/run/k' },
      'KEYHOUSE_MASTER_KEY',
      'not both',
    ],
    [{ KEYHOUSE_LOG_LEVEL: 'verbose' }, 'KEYHOUSE_LOG_LEVEL', 'must be one of trace, debug, info'],
    [{ KEYHOUSE_BOOTSTRAP_ADMIN: '-admin' }, 'KEYHOUSE_BOOTSTRAP_ADMIN', 'must be a login'],
    [{ KEYHOUSE_BOOTSTRAP_WORKSPACE: 'Acme' }, 'KEYHOUSE_BOOTSTRAP_WORKSPACE', 'must be a slug'],
    [{ KEYHOUSE_VERIFY_EXPIRY_WINDOW_DAYS: '0' }, 'KEYHOUSE_VERIFY_EXPIRY_WINDOW_DAYS', 'from 1 to 365'],
    [{ KEYHOUSE_TRUST_PROXY: 'maybe' }, 'KEYHOUSE_TRUST_PROXY', 'must be true or false'],
    [{ KEYHOUSE_PG_POOL_MAX: '-1' }, 'KEYHOUSE_PG_POOL_MAX', 'from 1 to 200'],
  ];
  for (const [env, key, reason] of cases) {
    test(`${key}=${JSON.stringify(Object.values(env)[0]).slice(0, 20)}`, () => {
      assert.throws(
        () => loadConfig(env),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.equal(error.key, key);
          assert.ok(error.message.startsWith(`${key}: `), error.message);
          assert.ok(error.message.includes(reason), error.message);
          return true;
        },
      );
    });
  }

  test('the message never repeats the refused value', () => {
    const tooShort = randomBytes(20).toString('base64');
    const error = captureConfigError({
      KEYHOUSE_MASTER_KEY: tooShort,
      DATABASE_URL: 'mysql://u:pw-canary@h/d',
    });
    assert.ok(!error.message.includes(tooShort));
    assert.ok(!error.message.includes('pw-canary'));
  });

  test('every bad key is listed, in schema order', () => {
    const error = captureConfigError({ KEYHOUSE_LOG_LEVEL: 'loud', KEYHOUSE_PORT: 'x', KEYHOUSE_HOST: '' });
    assert.deepEqual(
      error.issues.map((issue) => issue.key),
      ['KEYHOUSE_PORT', 'KEYHOUSE_LOG_LEVEL'],
    );
    assert.equal(error.key, 'KEYHOUSE_PORT');
  });
});

describe('helpers', () => {
  test('findUnknownKeys reports likely typos but not client keys', () => {
    const env = { KEYHOUSE_PROT: '1', KEYHOUSE_URL: 'http://127.0.0.1:7070', KEYHOUSE_PORT: '1', OTHER: 'x' };
    assert.deepEqual(findUnknownKeys(env), ['KEYHOUSE_PROT']);
  });

  test('configSecrets lists the inline key and the database password; describeConfig hides both', () => {
    const key = goodKey();
    const password = `pw${randomBytes(8).toString('hex')}`;
    const config = loadConfig({
      KEYHOUSE_MASTER_KEY: key,
      DATABASE_URL: `postgres://u:${password}@127.0.0.1/test`,
    });
    assert.deepEqual(new Set(configSecrets(config)), new Set([key, password]));
    const shown = JSON.stringify(describeConfig(config));
    assert.ok(!shown.includes(key));
    assert.ok(!shown.includes(password));
    assert.ok(shown.includes('127.0.0.1'));
  });
});

function captureConfigError(env: EnvRecord): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  assert.fail('expected a ConfigError');
}
