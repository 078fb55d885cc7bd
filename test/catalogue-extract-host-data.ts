/**
 * Re-creates the test-data extracts from the upstream files: only the entries for the endpoints
 * the catalogue names, so that the tests can check the catalogue against the hosts' own data.
 * Usage: node test/catalogue-extract-host-data.ts <github-data-dir> <azure-devops-data-dir>
 * (the folders holding the upstream JSON files named in test/data/<provider>/README.md).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isUnsupported, type Provider } from '../src/core/catalogue/index.ts';
import { readCatalogue } from '../src/services/catalogue-loader.ts';

interface PermissionEntry {
  readonly verb: string;
  readonly requestPath: string;
}
type PermissionMap = Record<string, { title: string; displayTitle: string; permissions: PermissionEntry[] }>;

/** Every `METHOD path` the provider's requirements name, sorted. */
export function catalogueEndpoints(provider: Provider): string[] {
  const endpoints = new Set<string>();
  for (const feature of Object.values(provider.features)) {
    for (const requirement of Object.values(feature.credentials)) {
      if (isUnsupported(requirement)) continue;
      for (const endpoint of requirement.endpoints ?? [])
        endpoints.add(`${endpoint.method} ${endpoint.path}`);
    }
  }
  return [...endpoints].sort();
}

function filterPermissionMap(map: PermissionMap, wanted: ReadonlySet<string>): PermissionMap {
  const result: PermissionMap = {};
  for (const [permission, value] of Object.entries(map)) {
    const entries = value.permissions.filter((e) => wanted.has(`${e.verb.toUpperCase()} ${e.requestPath}`));
    if (entries.length > 0) result[permission] = { ...value, permissions: entries };
  }
  return result;
}

async function main(githubDir: string, azureDir: string): Promise<void> {
  const catalogue = await readCatalogue();
  const github = [catalogue.providers['github'], catalogue.providers['github-enterprise']].flatMap((p) =>
    p === undefined ? [] : catalogueEndpoints(p),
  );
  const githubWanted = new Set(github);
  for (const name of ['fine-grained-pat-permissions', 'server-to-server-permissions']) {
    const upstream = JSON.parse(
      await readFile(join(githubDir, `${name}.fpt-2026-03-10.json`), 'utf8'),
    ) as PermissionMap;
    const extract = filterPermissionMap(upstream, githubWanted);
    await writeFile(
      new URL(`data/github/${name}.extract.json`, import.meta.url),
      `${JSON.stringify(extract, null, 2)}\n`,
    );
  }
  await writeFile(
    new URL('data/github/extracted-endpoints.json', import.meta.url),
    `${JSON.stringify([...githubWanted].sort(), null, 2)}\n`,
  );
  const azureProvider = catalogue.providers['azure-devops'];
  const azureWanted = new Set(azureProvider === undefined ? [] : catalogueEndpoints(azureProvider));
  const azure = JSON.parse(await readFile(join(azureDir, 'vso-scopes-by-operation.json'), 'utf8')) as {
    source: unknown;
    scopeDescriptions: unknown;
    operations: { method: string; path: string }[];
  };
  const extract = {
    source: azure.source,
    extractedFor: [...azureWanted].sort(),
    operations: azure.operations.filter((op) => azureWanted.has(`${op.method} ${op.path}`)),
  };
  await writeFile(
    new URL('data/azure-devops/vso-scopes.extract.json', import.meta.url),
    `${JSON.stringify(extract, null, 2)}\n`,
  );
}

if (import.meta.main) {
  const [githubDir, azureDir] = process.argv.slice(2);
  if (githubDir === undefined || azureDir === undefined) {
    console.error(
      'usage: node test/catalogue-extract-host-data.ts <github-data-dir> <azure-devops-data-dir>',
    );
    process.exitCode = 2;
  } else {
    await main(githubDir, azureDir);
  }
}
