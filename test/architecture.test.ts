/**
 * The layering the style asks for, checked on the source: the core is pure (no Node module, no
 * I/O, only its own files and two parsing libraries), provider adapters never reach into the
 * service, HTTP, CLI or storage layers, and the policy engine is importable on its own as
 * `keyhouse/policy`.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
/** Packages the core may use: parsing and validation only, no I/O. */
const CORE_PACKAGES = new Set(['yaml', 'typebox', 'typebox/compile']);

/** Source files (not tests, not test support) under a folder of `src/`. */
function sources(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ts$/.test(entry.name) && !/\.test(-support)?\.ts$|\.test\.ts$/.test(entry.name))
        out.push(path);
    }
  };
  walk(join(SRC, folder));
  return out;
}

/** The module specifiers a file imports or re-exports (static and dynamic). */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/g))
    found.push(match[1]!);
  for (const match of text.matchAll(/(?:^|\n)\s*import\s+'([^']+)'/g)) found.push(match[1]!);
  for (const match of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) found.push(match[1]!);
  return found;
}

/** The `src/` folder (first path segment) a relative specifier of `file` lands in. */
function layerOf(file: string, specifier: string): string {
  return relative(SRC, resolve(dirname(file), specifier)).split(/[\\/]/)[0]!;
}

/** The imports of the files of `layer` (more than 30 of them) that `allowed` refuses, as `file imports specifier`. */
function importsBreaking(layer: string, allowed: (file: string, specifier: string) => boolean): string[] {
  const files = sources(layer);
  assert.ok(files.length > 30, `${files.length} ${layer} files`);
  const offending: string[] = [];
  for (const file of files)
    for (const specifier of specifiers(file))
      if (!allowed(file, specifier)) offending.push(`${relative(SRC, file)} imports ${specifier}`);
  return offending;
}

describe('architecture', () => {
  test('the core imports nothing but its own files and the parsing libraries (no Node module, no I/O)', () => {
    const offending = importsBreaking('core', (file, specifier) =>
      specifier.startsWith('.') ? layerOf(file, specifier) === 'core' : CORE_PACKAGES.has(specifier),
    );
    assert.deepEqual(offending, []);
  });

  test('provider adapters do not reach into the service, HTTP, CLI or storage layers', () => {
    const offending = importsBreaking(
      'providers',
      (file, specifier) =>
        !specifier.startsWith('.') || ['providers', 'core'].includes(layerOf(file, specifier)),
    );
    assert.deepEqual(offending, []);
  });

  test('the checks see what they look for (a file that breaks the rule is caught)', () => {
    const file = join(SRC, 'core', 'policy', 'example.ts');
    assert.equal(layerOf(file, '../../services/runtime.ts'), 'services');
    assert.equal(layerOf(file, './levels.ts'), 'core');
    assert.deepEqual(
      specifiers(join(SRC, 'providers', 'types.ts')).filter((s) => s.includes('catalogue')),
      ['../core/catalogue/index.ts'],
    );
  });

  test('the policy engine is importable on its own as keyhouse/policy', async () => {
    const policy = (await import('keyhouse/policy')) as typeof import('../src/core/policy/index.ts');
    const index = policy.PolicyIndex.build({
      members: [{ userId: 'ann', workspaceId: 'w', role: 'member' }],
      groups: [],
      integrations: [
        {
          id: 'gh',
          workspaceId: 'w',
          name: 'GitHub',
          scope: { type: 'WORKSPACE' },
          permissions: { admins: { level: 'MANAGE' }, others: { level: 'USE' }, users: [], groups: [] },
          allowedPipelines: 'ALL',
        },
      ],
      pipelines: [],
    });
    assert.equal(index.allows('ann', 'gh', 'integration.use', 0), true);
    assert.equal(index.allows('ann', 'gh', 'integration.edit', 0), false);
  });
});
