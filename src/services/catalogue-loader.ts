/**
 * Reads the catalogue folder (one YAML file per provider) and loads it through the pure core
 * loader, which fails with every issue naming the file and the key path.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Catalogue, type CatalogueFile, loadCatalogue } from '../core/catalogue/index.ts';

/** The catalogue folder of this repository. */
export const DEFAULT_CATALOGUE_DIR = new URL('../../catalogue/', import.meta.url);

/** Reads every `*.yaml` file of the folder, sorted by name. */
export async function readCatalogueFiles(
  dir: string | URL = DEFAULT_CATALOGUE_DIR,
): Promise<CatalogueFile[]> {
  const path = dir instanceof URL ? fileURLToPath(dir) : dir;
  const names = (await readdir(path)).filter((name) => name.endsWith('.yaml')).sort();
  return Promise.all(names.map(async (name) => ({ name, text: await readFile(join(path, name), 'utf8') })));
}

/** Reads and loads the catalogue; rejects with a `CatalogueError` when a file is invalid. */
export async function readCatalogue(dir: string | URL = DEFAULT_CATALOGUE_DIR): Promise<Catalogue> {
  return loadCatalogue(await readCatalogueFiles(dir));
}
