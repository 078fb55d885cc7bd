/**
 * Shared by the catalogue test suites: the repository's catalogue files and data extracts, read once.
 */
import { readFile } from 'node:fs/promises';
import { type Catalogue, type CatalogueFile, loadCatalogue } from '../src/core/catalogue/index.ts';
import { readCatalogueFiles } from '../src/services/catalogue-loader.ts';

/** The provider ids the catalogue must hold. */
export const EXPECTED_PROVIDERS = [
  'aws',
  'azure-devops',
  'bitbucket-cloud',
  'bitbucket-server',
  'docker-registry',
  'gitea',
  'github',
  'github-enterprise',
  'gitlab',
  's3',
] as const;

/** The catalogue files of the repository. */
export const catalogueFiles: readonly CatalogueFile[] = await readCatalogueFiles();

/** The catalogue of the repository, loaded through the real loader. */
export const catalogue: Catalogue = loadCatalogue(catalogueFiles);

/** Reads a JSON file under test/data. */
export async function readTestData<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(new URL(`data/${path}`, import.meta.url), 'utf8')) as T;
}
