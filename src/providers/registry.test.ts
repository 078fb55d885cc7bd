import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { readCatalogue } from '../services/catalogue-loader.ts';
import { ADAPTERS, adapterFor, overrideAdapter, PROBE_ADAPTER_IDS } from './registry.ts';
import type { ProviderAdapter } from './types.ts';

/** Shared support folders that are not providers. */
const NOT_PROVIDERS = new Set(['http']);

const folders = readdirSync(new URL('./', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory() && !NOT_PROVIDERS.has(d.name) && !d.name.startsWith('__'))
  .map((d) => d.name)
  .sort();

describe('provider registry', () => {
  test('every provider folder has an adapter in the registry, and every adapter a folder', () => {
    assert.deepEqual(Object.keys(ADAPTERS).sort(), folders);
  });

  test('each adapter is registered under its own id', () => {
    for (const [id, adapter] of Object.entries(ADAPTERS)) assert.equal(adapter.id, id);
  });

  test('every registry id is a catalogue provider, except the probe adapters', async () => {
    const catalogue = await readCatalogue();
    for (const id of Object.keys(ADAPTERS)) {
      if (PROBE_ADAPTER_IDS.includes(id)) continue;
      assert.ok(Object.hasOwn(catalogue.providers, id), `${id} is not a catalogue provider`);
    }
  });

  test('an override replaces an adapter until it is restored', () => {
    const fake: ProviderAdapter = {
      id: 'github',
      verify: async () => ({ reach: 'ok', checks: [], findings: [], requests: 0 }),
    };
    const restore = overrideAdapter(fake);
    assert.equal(adapterFor('github'), fake);
    restore();
    assert.equal(adapterFor('github'), ADAPTERS['github']);
    assert.equal(adapterFor('no-such-provider'), undefined);
    assert.equal(adapterFor('__proto__'), undefined);
  });
});
