/**
 * Writes the generated API documents: `docs/openapi.json` (from the route schemas) and
 * `docs/errors.md` (from the error registry). `--check` only reports whether they are current;
 * the test suite runs the same comparison.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load-config.ts';
import { ERROR_CATEGORIES, ERRORS } from '../src/core/errors.ts';
import { buildApp } from '../src/http/app.ts';
import { SecretRegistry } from '../src/logging/secret-registry.ts';
import { startKeyhouse } from '../src/services/runtime.ts';

/** The OpenAPI document as committed: stable key order, two-space indent. */
export async function renderOpenApi(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'keyhouse-openapi-'));
  const config = loadConfig({
    KEYHOUSE_DATA_DIR: dir,
    KEYHOUSE_MASTER_KEY: randomBytes(32).toString('base64'),
  });
  const runtime = await startKeyhouse(config, { secrets: new SecretRegistry(), warn: () => undefined });
  try {
    const app = await buildApp({ keyhouse: runtime.keyhouse });
    await app.ready();
    const doc = app.swagger() as Record<string, unknown>;
    await app.close();
    return `${JSON.stringify(doc, null, 2)}\n`;
  } finally {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The error registry as a Markdown table. */
export function renderErrorsMarkdown(): string {
  const rows = Object.entries(ERRORS).map(
    ([code, e]) =>
      `| \`${code}\` | ${e.status} | ${e.category} | ${ERROR_CATEGORIES[e.category]} | ${e.message} |`,
  );
  return [
    '# Errors',
    '',
    'Generated from `src/core/errors.ts` by `node scripts/gen-api-docs.ts`; a test keeps it in step.',
    '',
    'Every error answers `{ "error": { "code", "message", "details" } }`. Anything the caller may not see',
    "(another workspace's object, an integration at `DENY`) answers `not_found`, byte-identical to a",
    'missing object; `forbidden` only for what the caller sees but may not do. Messages of 5xx errors',
    'are generic. The CLI exits with the category code.',
    '',
    '| code | HTTP status | category | CLI exit code | message |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

const OUTPUTS = [
  { path: 'docs/openapi.json', render: renderOpenApi },
  { path: 'docs/errors.md', render: async () => renderErrorsMarkdown() },
];

if (import.meta.main) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const out of OUTPUTS) {
    const text = await out.render();
    let current = '';
    try {
      current = readFileSync(out.path, 'utf8');
    } catch {}
    if (current === text) continue;
    stale += 1;
    if (check) console.error(`${out.path} is out of date: run node scripts/gen-api-docs.ts`);
    else writeFileSync(out.path, text);
  }
  process.exitCode = check && stale > 0 ? 1 : 0;
}
