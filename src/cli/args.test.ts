import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCommandLine, refuseSecretArguments, splitLeadingGlobals } from './args.ts';
import { UsageError } from './cli-error.ts';
import type { CommandSpec } from './command.ts';
import { COMMANDS, findCommand } from './command-table.ts';

const spec: CommandSpec = {
  name: 'things create',
  summary: 'Create a thing',
  args: [
    { name: 'name', description: 'name' },
    { name: 'extra', description: 'extra', optional: true },
  ],
  options: {
    project: { type: 'string', short: 'p', description: 'project', required: true },
    tag: { type: 'string', multiple: true, description: 'tag' },
  },
  run: async () => 0,
};

describe('parseCommandLine', () => {
  test('parses positionals, own options, repeated options and global options', () => {
    const parsed = parseCommandLine(spec, [
      'n1',
      '-p',
      'api',
      '--tag',
      'a',
      '--tag=b',
      '-w',
      'ws1',
      '--json',
    ]);
    assert.deepEqual(parsed.positionals, ['n1']);
    assert.equal(parsed.options['project'], 'api');
    assert.deepEqual(parsed.options['tag'], ['a', 'b']);
    assert.equal(parsed.options['workspace'], 'ws1');
    assert.equal(parsed.options['json'], true);
  });

  for (const [argv, message] of [
    [['-p', 'x'], /missing argument <name>/],
    [['n1'], /missing required option --project/],
    [['n1', 'n2', 'n3', '-p', 'x'], /unexpected argument 'n3'/],
    [['n1', '-p', 'x', '--nope'], /unknown option '--nope'/],
    [['n1', '--project'], /argument missing|requires/i],
  ] as const) {
    test(`refuses ${JSON.stringify(argv)} with a usage error`, () => {
      assert.throws(
        () => parseCommandLine(spec, argv),
        (e: unknown) => e instanceof UsageError && e.exitCode === 2 && message.test(e.message),
      );
    });
  }

  test('--help skips the required checks', () => {
    assert.equal(parseCommandLine(spec, ['--help']).options['help'], true);
  });
});

describe('refusal of secrets as arguments', () => {
  for (const flag of [
    '--token',
    '--token=abc',
    '--password',
    '--client-secret',
    '--api-key',
    '--private-key=x',
    '--credential',
    '--github-token',
  ]) {
    test(`refuses ${flag}`, () => {
      assert.throws(
        () => refuseSecretArguments(['x', flag, 'value'], new Set()),
        (e: unknown) =>
          e instanceof UsageError &&
          /never accepted as command-line arguments/.test(e.message) &&
          !e.message.includes('value'),
      );
    });
  }

  test('refuses a value that looks like an API token, without quoting it', () => {
    const value = `kh_${'A1b2C3'.repeat(4)}`;
    assert.throws(
      () => refuseSecretArguments(['--name', value], new Set()),
      (e: unknown) => e instanceof UsageError && !e.message.includes(value),
    );
    assert.throws(() => refuseSecretArguments([`--name=${value}`], new Set()), UsageError);
  });

  test('accepts file options and options the command declares (scopes --credential names a type)', () => {
    refuseSecretArguments(['--token-file', 'f', '--credential-file', 'g', '--key-file', 'h'], new Set());
    refuseSecretArguments(['--credential', 'classic-pat'], new Set(['credential']));
    assert.equal(
      parseCommandLine(findCommand(['scopes', 'github'])!.spec as CommandSpec, [
        'github',
        '--credential',
        'classic-pat',
        '--features',
        'clone',
      ]).options['credential'],
      'classic-pat',
    );
  });

  test('no command of the table declares an option named like a secret', () => {
    for (const command of COMMANDS) {
      if (!('options' in command) || !command.options) continue;
      for (const name of Object.keys(command.options)) {
        if (name === 'credential' && command.name.startsWith('scopes')) continue;
        assert.doesNotThrow(
          () => refuseSecretArguments([`--${name}`], new Set()),
          `${command.name} --${name}`,
        );
      }
    }
  });
});

describe('command lookup', () => {
  test('splits leading global options from the command words', () => {
    assert.deepEqual(splitLeadingGlobals(['-w', 'ws1', '--json', 'projects', 'list']), {
      globals: ['-w', 'ws1', '--json'],
      rest: ['projects', 'list'],
    });
    assert.deepEqual(splitLeadingGlobals(['--url=http://x', 'check', 'i']).globals, ['--url=http://x']);
  });

  test('finds two-word commands before one-word ones', () => {
    assert.equal(findCommand(['scopes', 'compare', 'github'])?.spec.name, 'scopes compare');
    assert.equal(findCommand(['scopes', 'github'])?.spec.name, 'scopes');
    assert.equal(findCommand(['runs', 'check'])?.consumed, 2);
    assert.equal(findCommand(['check', 'gh'])?.consumed, 1);
    assert.equal(findCommand(['nope']), undefined);
  });

  test('command names are unique and every file-backed command has a summary', () => {
    const names = COMMANDS.map((c) => c.name);
    assert.equal(new Set(names).size, names.length);
    for (const c of COMMANDS) assert.ok(c.summary.length > 5 && c.summary.length <= 80, c.name);
  });
});
