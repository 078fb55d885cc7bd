import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { renderScopesMarkdown } from '../src/core/catalogue/index.ts';
import { catalogue } from './catalogue-fixtures.ts';

const docsDir = new URL('../docs/scopes/', import.meta.url);

test('every committed scopes page equals a fresh rendering (run scripts/gen-scopes-docs.ts)', async () => {
  for (const providerId of Object.keys(catalogue.providers)) {
    const committed = await readFile(new URL(`${providerId}.md`, docsDir), 'utf8');
    assert.equal(
      committed,
      renderScopesMarkdown(catalogue, providerId),
      `docs/scopes/${providerId}.md is stale`,
    );
  }
});

test('there is no scopes page without a provider', async () => {
  const pages = (await readdir(docsDir)).filter((name) => name.endsWith('.md'));
  assert.deepEqual(
    pages.sort(),
    Object.keys(catalogue.providers)
      .map((id) => `${id}.md`)
      .sort(),
  );
});

test('a page names every feature of its provider, and every credential type with its reason or scopes', () => {
  const page = renderScopesMarkdown(catalogue, 'github');
  for (const feature of Object.keys(catalogue.providers['github']?.features ?? {}))
    assert.ok(page.includes(`(\`${feature}\`)`));
  assert.match(
    page,
    /\| `fine-grained-pat` +\| not possible +\| +\| Fine-grained PATs have no Checks permission/,
  );
  assert.match(page, /\| `classic-pat` +\| `repo:status` +\|/);
});
