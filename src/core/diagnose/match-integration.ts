/**
 * Which of the given integrations an error text refers to: the name in a Keyhouse permission error,
 * else the host, registry, endpoint or bucket of an integration found in the text.
 */
import { providerFitsLayer } from './provider-groups.ts';
import { containsName } from './scan-text.ts';
import type { DiagnoseIntegration, Layer } from './types.ts';

/** An integration whose host, registry, endpoint or bucket occurs in the text. */
export interface IntegrationHit {
  readonly integration: DiagnoseIntegration;
  /** The longest of its names found: longer is more specific. */
  readonly token: string;
  /** Position in the caller's list, for a stable order. */
  readonly index: number;
}

// Keyhouse lists a handful of names; bound the work for a pathological list.
const MAX_LIST_LENGTH = 1000;
const MAX_NAMES = 20;
const KEYHOUSE_NAMES = /missing permissions to the following integrations?:[ \t]*([^\r\n]*)/i;

/** The integration names listed in a Keyhouse `Missing permissions to the following integration:` error. */
export function keyhouseIntegrationNames(raw: string): string[] {
  const found = KEYHOUSE_NAMES.exec(raw);
  const list = (found?.[1] ?? '').slice(0, MAX_LIST_LENGTH).trim().replace(/\.$/, '');
  if (list === '') return [];
  const names = list
    .split(', ', MAX_NAMES)
    .map((name) => name.trim())
    .filter((name) => name !== '');
  // A name may itself contain ", ": keep the whole list as a last candidate.
  return names.length > 1 ? [...names, list] : names;
}

/** The host of a URL or `host[:port][/path]` value, lower-cased; '' when there is none. */
export function hostOf(value: string): string {
  let rest = value.trim().toLowerCase();
  const scheme = rest.indexOf('://');
  if (scheme >= 0) rest = rest.slice(scheme + 3);
  const end = firstIndexOf(rest, ['/', '?', '#']);
  if (end >= 0) rest = rest.slice(0, end);
  const at = rest.lastIndexOf('@');
  if (at >= 0) rest = rest.slice(at + 1);
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    return close > 0 ? rest.slice(1, close) : '';
  }
  const colon = rest.indexOf(':');
  return colon >= 0 ? rest.slice(0, colon) : rest;
}

function firstIndexOf(text: string, chars: readonly string[]): number {
  let first = -1;
  for (const char of chars) {
    const at = text.indexOf(char);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  return first;
}

/** The names of an integration that can appear in an error text (hosts and bucket). */
export function integrationTokens(integration: DiagnoseIntegration): string[] {
  const config = integration.config ?? {};
  const tokens = [config.host, config.registry, config.endpoint]
    .filter((value): value is string => typeof value === 'string')
    .map(hostOf);
  if (typeof config.bucket === 'string') tokens.push(config.bucket.trim().toLowerCase());
  return [...new Set(tokens)].filter((token) => token.length >= 3 && token.length <= 255);
}

/** Integrations named (by host, registry, endpoint or bucket) in the lower-cased text, most specific first. */
export function integrationHits(
  lower: string,
  integrations: readonly DiagnoseIntegration[],
): IntegrationHit[] {
  const hits: IntegrationHit[] = [];
  integrations.forEach((integration, index) => {
    let best = '';
    for (const token of integrationTokens(integration)) {
      if (token.length > best.length && containsName(lower, token)) best = token;
    }
    if (best !== '') hits.push({ integration, token: best, index });
  });
  return hits.sort((a, b) => b.token.length - a.token.length || a.index - b.index);
}

/**
 * The integration the error most likely refers to: one named in a Keyhouse error; else, among the
 * hits, one whose provider fits the layer, the most specific name first, then the caller's order.
 */
export function pickIntegration(
  layer: Layer,
  names: readonly string[],
  hits: readonly IntegrationHit[],
  integrations: readonly DiagnoseIntegration[],
): DiagnoseIntegration | undefined {
  for (const name of names) {
    const wanted = name.toLowerCase();
    const named = integrations.find((integration) => integration.name.trim().toLowerCase() === wanted);
    if (named !== undefined) return named;
  }
  if (layer === 'keyhouse-permission' && names.length > 0) return undefined;
  const fitting = hits.find((hit) => providerFitsLayer(hit.integration.provider, layer));
  return (fitting ?? (layer === 'unknown' ? hits[0] : undefined))?.integration;
}

/** Keeps the well-formed integrations of an untrusted list. */
export function wellFormedIntegrations(list: unknown): DiagnoseIntegration[] {
  if (!Array.isArray(list)) return [];
  return list.filter(
    (item): item is DiagnoseIntegration =>
      typeof item === 'object' &&
      item !== null &&
      typeof item.id === 'string' &&
      typeof item.name === 'string' &&
      typeof item.provider === 'string' &&
      (item.config === undefined || (typeof item.config === 'object' && item.config !== null)),
  );
}
