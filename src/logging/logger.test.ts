import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { createLogger } from './create-logger.ts';
import { SecretRegistry } from './secret-registry.ts';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/** A canary: random, with characters that JSON, URLs and shells treat specially. */
function makeCanary(special = false): string {
  const core = randomBytes(24).toString('base64url');
  return special ? `cnry"${core.slice(0, 12)}\\é/+ &${core.slice(12)}\n` : `cnry${core}`;
}

function capture(registry: SecretRegistry) {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'trace',
    registry,
    destination: { write: (chunk) => lines.push(chunk) },
  });
  return { logger, output: () => lines.join('') };
}

/** Fails if the output holds the canary, any 12-character piece of it, or a common encoding of it. */
function assertNoCanary(output: string, canary: string): void {
  const decodedOutput = output + JSON.stringify(output);
  for (let index = 0; index + 12 <= canary.length; index += 1) {
    const piece = canary.slice(index, index + 12);
    assert.ok(!output.includes(piece), `piece ${JSON.stringify(piece)} leaked`);
    assert.ok(!decodedOutput.includes(JSON.stringify(piece).slice(1, -1)), 'escaped piece leaked');
  }
  const bytes = Buffer.from(canary);
  for (const form of [
    bytes.toString('base64'),
    bytes.toString('base64url'),
    bytes.toString('hex'),
    encodeURIComponent(canary),
  ]) {
    assert.ok(!output.includes(form.slice(0, 16)), `encoded form leaked: ${form.slice(0, 6)}…`);
  }
  for (const run of output.match(/[A-Za-z0-9+/_-]{16,}/g) ?? []) {
    for (const shift of [0, 1, 2, 3]) {
      const decoded = Buffer.from(run.slice(shift).replaceAll('-', '+').replaceAll('_', '/'), 'base64');
      for (let index = 0; index + 12 <= bytes.length; index += 4) {
        assert.ok(!decoded.includes(bytes.subarray(index, index + 12)), 'canary found inside base64');
      }
    }
  }
}

function assertJsonLines(output: string, expectedLines: number): void {
  const lines = output.split('\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, expectedLines);
  for (const line of lines) {
    const parsed: unknown = JSON.parse(line);
    assert.equal(typeof parsed, 'object');
    for (const raw of ['\r', '\u2028', '\u2029', String.fromCharCode(27)]) assert.ok(!line.includes(raw));
  }
}

function nest(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let level = 0; level < depth; level += 1) value = { [`level${level}`]: value, other: level };
  return value;
}

type Scenario = (canary: string) => [Record<string, unknown> | Error, string?];

const scenarios: Record<string, Scenario> = {
  'message argument': (c) => [{}, `connect failed for ${c}`],
  'top-level field': (c) => [{ note: c }],
  ...Object.fromEntries(
    Array.from({ length: 12 }, (_, depth) => [
      `depth ${depth}`,
      (c: string) => [{ data: nest(depth, { note: c }) }],
    ]),
  ),
  arrays: (c) => [{ list: [1, [2, [`x${c}y`]], { inner: [c] }] }],
  'Error as first argument': (c) => [new Error(`bad credential ${c}`)],
  'Error under err with cause': (c) => [{ err: new Error('outer', { cause: new Error(`inner ${c}`) }) }],
  'Error nested deep': (c) => [{ result: { errors: [new TypeError(`type ${c}`)] } }],
  AggregateError: (c) => [{ err: new AggregateError([new Error(c)], 'many') }],
  'Error property': (c) => [{ err: Object.assign(new Error('x'), { response: { body: c } }) }],
  'base64 and base64url': (c) => [
    { a: Buffer.from(c).toString('base64'), b: Buffer.from(c).toString('base64url') },
  ],
  'hex, both cases': (c) => [
    { a: Buffer.from(c).toString('hex'), b: Buffer.from(c).toString('hex').toUpperCase() },
  ],
  'URL-encoded': (c) => [{ url: `https://host/cb?state=${encodeURIComponent(c)}` }],
  'JSON inside a string': (c) => [{ body: JSON.stringify({ value: c }) }],
  'JSON inside JSON inside a string': (c) => [
    { body: JSON.stringify({ body: JSON.stringify({ value: c }) }) },
  ],
  'Basic header under an odd name': (c) => [{ hdr: `Basic ${Buffer.from(`user:${c}`).toString('base64')}` }],
  ...Object.fromEntries(
    [0, 1, 2, 3, 4, 5].map((pad) => [
      `base64 inside a longer value (offset ${pad})`,
      (c: string) => [{ blob: Buffer.from(`${'p'.repeat(pad)}${c}tail`).toString('base64') }],
    ]),
  ),
  'Map and Set': (c) => [{ map: new Map([['k', c]]), set: new Set([c]) }],
  'as a key': (c) => [{ index: { [c]: true } }],
};

describe('logger: registered canaries never reach the output', () => {
  for (const special of [false, true]) {
    for (const [name, build] of Object.entries(scenarios)) {
      test(`${name}${special ? ' (special characters)' : ''}, at every level`, () => {
        const registry = new SecretRegistry();
        const canary = makeCanary(special);
        registry.register(canary);
        const { logger, output } = capture(registry);
        for (const level of LEVELS) {
          const [object, message] = build(canary);
          logger[level](object, message);
          logger.child({ component: 'child' })[level](build(canary)[0], message);
        }
        assertJsonLines(output(), LEVELS.length * 2);
        assertNoCanary(output(), canary);
      });
    }
  }
});

describe('logger: credential fields are redacted even when never registered', () => {
  const headerNames = ['authorization', 'cookie', 'set-cookie', 'proxy-authorization', 'x-api-key'];
  const fieldNames = [
    'token',
    'password',
    'secret',
    'privateKey',
    'secretAccessKey',
    'credential',
    'credentials',
  ];
  const moreNames = [
    'apiToken',
    'appPassword',
    'private_key',
    'client-secret',
    'githubToken',
    'webhookSecret',
  ];

  test('headers in every letter case, request and response, any depth', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...headerNames).chain((name) => fc.mixedCase(fc.constant(name))),
        fc.nat(6),
        fc.constantFrom(...LEVELS),
        (header, depth, level) => {
          const canary = makeCanary();
          const { logger, output } = capture(new SecretRegistry());
          logger[level]({
            req: { headers: { [header]: canary } },
            res: { headers: { [header]: [canary] } },
            deep: nest(depth, { headers: { [header]: canary } }),
          });
          assertJsonLines(output(), 1);
          assertNoCanary(output(), canary);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('credential field names at every depth, in arrays, in any case', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...fieldNames, ...moreNames).chain((name) => fc.mixedCase(fc.constant(name))),
        fc.nat(11),
        (field, depth) => {
          const canary = makeCanary();
          const { logger, output } = capture(new SecretRegistry());
          logger.info({ data: nest(depth, { [field]: canary, list: [{ [field]: { nested: canary } }] }) });
          assertNoCanary(output(), canary);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('well-known token shapes and URL passwords are scrubbed without registration', () => {
    const { logger, output } = capture(new SecretRegistry());
    const kh = `kh_${randomBytes(8).toString('hex')}_${randomBytes(32).toString('base64url')}`;
    const gh = `ghp_${randomBytes(27).toString('base64url').replace(/[-_]/g, 'a')}`;
    const password = randomBytes(12).toString('hex');
    logger.info({
      note: `token ${kh} and ${gh}`,
      url: `postgres://keyhouse:${password}@127.0.0.1:5432/test`,
    });
    for (const value of [kh, gh, password]) assertNoCanary(output(), value);
  });
});

describe('logger: output shape', () => {
  test('one JSON object per line whatever the strings hold', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.jsonValue(), (text, value) => {
        const { logger, output } = capture(new SecretRegistry());
        const hostile = `${text}\r\n\u001b[31m\u2028\u2029{"level":60}\n`;
        logger.info({ [hostile]: value, text: hostile }, hostile);
        logger.error(new Error(hostile));
        assertJsonLines(output(), 2);
      }),
      { numRuns: 300 },
    );
  });

  test('random objects with a canary at a random path', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 8 }), { maxLength: 10 }),
        fc.jsonValue(),
        (path, noise) => {
          const registry = new SecretRegistry();
          const canary = makeCanary();
          registry.register(canary);
          const { logger, output } = capture(registry);
          const leaf = path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), [noise, canary]);
          logger.warn({ noise, leaf });
          assertJsonLines(output(), 1);
          assertNoCanary(output(), canary);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a canary registered after the logger was made is still scrubbed, and the input is not modified', () => {
    const registry = new SecretRegistry();
    const { logger, output } = capture(registry);
    const canary = makeCanary();
    registry.register(canary);
    const input = { headers: { Authorization: canary }, note: canary };
    logger.info(input);
    assert.equal(input.headers.Authorization, canary);
    assert.equal(input.note, canary);
    assertNoCanary(output(), canary);
  });

  test('the checks above can fail: an unregistered canary in a plain field does appear', () => {
    const { logger, output } = capture(new SecretRegistry());
    const canary = makeCanary();
    logger.info({ note: canary });
    assert.throws(() => assertNoCanary(output(), canary));
  });
});

describe('logger: process crash', () => {
  test('an uncaught exception holding a canary is logged scrubbed, exit code 1', () => {
    const canary = makeCanary();
    const script = `
      import { createLogger, installProcessHandlers, SecretRegistry } from ${JSON.stringify(new URL('./index.ts', import.meta.url).href)};
      const registry = new SecretRegistry();
      registry.register(process.argv[2]);
      installProcessHandlers(createLogger({ level: 'info', registry }), process);
      setTimeout(() => { throw new Error('boom ' + process.argv[2]); }, 1);`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script, canary], {
      encoding: 'utf8',
    });
    assert.equal(child.status, 1, child.stderr);
    assert.match(child.stdout, /"level":60/);
    assert.match(child.stdout, /uncaught exception/);
    assertNoCanary(child.stdout + child.stderr, canary);
  });
});
