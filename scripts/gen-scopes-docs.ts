/**
 * Writes docs/scopes/<provider>.md from the catalogue, one page per provider.
 * `node scripts/gen-scopes-docs.ts` writes; `--check` only reports pages that differ (exit code 1).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { renderScopesMarkdown } from '../src/core/catalogue/index.ts';
import { readCatalogue } from '../src/services/catalogue-loader.ts';

/** Where the generated pages live. */
export const SCOPES_DOCS_DIR = new URL('../docs/scopes/', import.meta.url);

/** Renders every provider page; returns the pages whose file differs from the rendering. */
export async function generateScopesDocs(options: { check: boolean }): Promise<string[]> {
  const catalogue = await readCatalogue();
  const stale: string[] = [];
  for (const providerId of Object.keys(catalogue.providers).sort()) {
    const file = new URL(`${providerId}.md`, SCOPES_DOCS_DIR);
    const text = renderScopesMarkdown(catalogue, providerId);
    const current = await readFile(file, 'utf8').catch(() => '');
    if (current === text) continue;
    stale.push(`${providerId}.md`);
    if (!options.check) await writeFile(file, text);
  }
  return stale;
}

if (import.meta.main) {
  const check = process.argv.includes('--check');
  const stale = await generateScopesDocs({ check });
  for (const name of stale) console.log(`${check ? 'stale' : 'wrote'} docs/scopes/${name}`);
  if (check && stale.length > 0) process.exitCode = 1;
}
