/**
 * Turns the text of the catalogue files into a validated {@link Catalogue}. Pure: the caller reads
 * the files. Every problem is collected and raised at once, naming the file and the key path.
 */
import { Compile } from 'typebox/compile';
import { parseDocument } from 'yaml';
import type { Catalogue } from './catalogue.ts';
import { CatalogueError, type CatalogueIssue } from './catalogue-error.ts';
import { crossReferenceIssues } from './cross-references.ts';
import { type Provider, ProviderSchema } from './schema.ts';

/** One catalogue file: its name (`github.yaml`) and its text. */
export interface CatalogueFile {
  readonly name: string;
  readonly text: string;
}

/** Parses and validates every file; throws a `catalogue_invalid` {@link CatalogueError} on any issue. */
export function loadCatalogue(files: readonly CatalogueFile[]): Catalogue {
  const issues: CatalogueIssue[] = [];
  const providers: Record<string, Provider> = {};
  for (const file of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
    const provider = parseProviderFile(file, issues);
    if (provider === undefined) continue;
    if (Object.hasOwn(providers, provider.id)) {
      issues.push({
        file: file.name,
        path: 'id',
        message: `Provider id "${provider.id}" is used by another file.`,
      });
      continue;
    }
    providers[provider.id] = provider;
  }
  if (files.length === 0) issues.push({ file: '', path: '', message: 'No catalogue files were given.' });
  if (issues.length > 0) throw new CatalogueError('catalogue_invalid', issues);
  return { providers };
}

/** Parses one file and checks it; pushes issues and returns undefined when it is not usable. */
export function parseProviderFile(file: CatalogueFile, issues: CatalogueIssue[]): Provider | undefined {
  const document = parseDocument(file.text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      const first = (error.message.split('\n')[0] ?? '').replace(/:\s*$/, '');
      const line = error.linePos?.[0];
      const at =
        line === undefined || first.includes(' at line ') ? '' : ` at line ${line.line}, column ${line.col}`;
      issues.push({ file: file.name, path: '', message: `YAML syntax: ${first}${at}` });
    }
    return undefined;
  }
  const data: unknown = document.toJS({ maxAliasCount: 1000 });
  const schemaIssues = schemaIssuesOf(file.name, data);
  if (schemaIssues.length > 0) {
    issues.push(...schemaIssues);
    return undefined;
  }
  const provider = data as Provider;
  const expectedName = `${provider.id}.yaml`;
  if (file.name !== expectedName) {
    issues.push({
      file: file.name,
      path: 'id',
      message: `The file of provider "${provider.id}" must be named ${expectedName}.`,
    });
  }
  const crossIssues = crossReferenceIssues(provider).map((issue) => ({ file: file.name, ...issue }));
  issues.push(...crossIssues);
  return crossIssues.length > 0 ? undefined : provider;
}

/** Compiled once: checking a valid file is then a fraction of a millisecond. */
const validator = Compile(ProviderSchema);

function schemaIssuesOf(fileName: string, data: unknown): CatalogueIssue[] {
  if (validator.Check(data)) return [];
  const seen = new Set<string>();
  const issues: CatalogueIssue[] = [];
  for (const error of validator.Errors(data)) {
    if (error.keyword === 'boolean') continue; // repeated by the `additionalProperties` error
    const path = pointerToKeyPath(error.instancePath);
    const message = describeSchemaError(error.keyword, error.message, error.params);
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ file: fileName, path, message });
  }
  return issues;
}

function describeSchemaError(keyword: string, message: string, params: unknown): string {
  if (keyword === 'additionalProperties' && typeof params === 'object' && params !== null) {
    const extra = (params as { additionalProperties?: unknown }).additionalProperties;
    if (Array.isArray(extra)) return `unknown key(s): ${extra.join(', ')}`;
  }
  if (keyword === 'required' && typeof params === 'object' && params !== null) {
    const missing = (params as { requiredProperties?: unknown }).requiredProperties;
    if (Array.isArray(missing)) return `missing key(s): ${missing.join(', ')}`;
  }
  return message;
}

/** `/features/clone/credentials/0` → `features.clone.credentials[0]`. */
export function pointerToKeyPath(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, segment) => {
      if (/^\d+$/.test(segment)) return `${path}[${segment}]`;
      return path === '' ? segment : `${path}.${segment}`;
    }, '');
}
