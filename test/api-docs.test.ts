/** The committed API documents are exactly what the code generates: the OpenAPI document and the error table. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderErrorsMarkdown, renderOpenApi } from '../scripts/gen-api-docs.ts';
import { ERRORS } from '../src/core/errors.ts';

test('docs/openapi.json is regenerated without a diff', async () => {
  const committed = readFileSync(new URL('../docs/openapi.json', import.meta.url), 'utf8');
  assert.equal(await renderOpenApi(), committed, 'run node scripts/gen-api-docs.ts and commit the result');
});

test('the OpenAPI document is 3.1 and documents every error status a route declares', async () => {
  const doc = JSON.parse(readFileSync(new URL('../docs/openapi.json', import.meta.url), 'utf8')) as {
    openapi: string;
    paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  };
  assert.equal(doc.openapi, '3.1.0');
  const statuses = new Set(Object.values(ERRORS).map((e) => String(e.status)));
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      for (const status of Object.keys(op.responses)) {
        if (Number(status) >= 400)
          assert.ok(statuses.has(status), `${method} ${path} declares ${status}, which no error code has`);
      }
    }
  }
});

test('docs/errors.md lists every code of the registry', () => {
  const committed = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
  assert.equal(renderErrorsMarkdown(), committed);
  for (const code of Object.keys(ERRORS)) assert.ok(committed.includes(`\`${code}\``), code);
});
