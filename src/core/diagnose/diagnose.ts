/**
 * Explain an error: from the text (and status, provider, integrations) of a failing step, the likely
 * layer, why, the steps to fix it, and the integration it is about. Pure and deterministic.
 */
import {
  integrationHits,
  keyhouseIntegrationNames,
  pickIntegration,
  wellFormedIntegrations,
} from './match-integration.ts';
import { DIAGNOSE_RULES } from './rules.ts';
import { type ScanWindow, scanWindow } from './scan-text.ts';
import type { DiagnoseInput, DiagnoseRule, Diagnosis, DiagnosisCandidate } from './types.ts';

/** A rule that fired, with its score. */
interface Fired {
  readonly rule: DiagnoseRule;
  readonly order: number;
  readonly confidence: number;
}

interface Context {
  readonly window: ScanWindow;
  readonly status: number | undefined;
  readonly provider: string | undefined;
  readonly found: Map<string, boolean>;
}

const MAX_ALTERNATIVES = 4;

const UNKNOWN_STEPS = [
  'Run `keyhouse doctor` on the integration the step uses: it checks each prerequisite and names the fix.',
  'Re-run the step with verbose output (git: `GIT_TRACE=1 GIT_CURL_VERBOSE=1`; ssh: `-vvv`; AWS CLI: `--debug`) and diagnose that output.',
];

/**
 * Diagnoses a failing step. Never throws: any text (huge, binary, empty) gives a diagnosis, `unknown`
 * when no rule fires. Only a bounded window of the text is scanned, with linear-time lookups.
 */
export function diagnose(input: DiagnoseInput): Diagnosis {
  const integrations = wellFormedIntegrations(input?.integrations);
  const window = scanWindow(input?.text);
  const hits = integrationHits(window.lower, integrations);
  const names = keyhouseIntegrationNames(window.raw);
  const context: Context = {
    window,
    status: validStatus(input?.status),
    provider: validProvider(input?.provider) ?? hits[0]?.integration.provider,
    found: new Map(),
  };
  const fired = rank(context);
  const best = fired[0];
  const layer = best?.rule.layer ?? 'unknown';
  const integration = pickIntegration(layer, names, hits, integrations);
  // With several names, the last candidate is the whole list as written.
  const label = integration?.name ?? names.at(-1) ?? 'the integration';
  const fill = (text: string) => text.replaceAll('{integration}', label);
  const base = best === undefined ? unknownDiagnosis() : describe(best, fired, fill);
  return integration === undefined
    ? base
    : { ...base, integration: { id: integration.id, name: integration.name } };
}

function describe(best: Fired, fired: readonly Fired[], fill: (text: string) => string): Diagnosis {
  return {
    layer: best.rule.layer,
    confidence: best.confidence,
    title: fill(best.rule.title),
    explanation: fill(best.rule.explanation),
    steps: best.rule.steps.map(fill),
    matched: fired.map((entry) => entry.rule.id),
    alternatives: alternatives(best, fired, fill),
  };
}

function unknownDiagnosis(): Diagnosis {
  return {
    layer: 'unknown',
    confidence: 0,
    title: 'No known failure pattern',
    explanation: 'None of the diagnosis rules recognises this text or status.',
    steps: UNKNOWN_STEPS,
    matched: [],
    alternatives: [],
  };
}

function alternatives(
  best: Fired,
  fired: readonly Fired[],
  fill: (text: string) => string,
): DiagnosisCandidate[] {
  const layers = new Set([best.rule.layer]);
  const list: DiagnosisCandidate[] = [];
  for (const entry of fired) {
    if (list.length >= MAX_ALTERNATIVES) break;
    if (layers.has(entry.rule.layer)) continue;
    layers.add(entry.rule.layer);
    list.push({
      layer: entry.rule.layer,
      confidence: entry.confidence,
      rule: entry.rule.id,
      title: fill(entry.rule.title),
    });
  }
  return list;
}

/**
 * Every rule that fires, best first; equal confidence keeps the table order. Status-only rules are
 * a fallback: they are considered only when no text rule fired.
 */
function rank(context: Context): Fired[] {
  const fired: Fired[] = [];
  for (const textRules of [true, false]) {
    DIAGNOSE_RULES.forEach((rule, order) => {
      if ((rule.when !== undefined) !== textRules) return;
      const confidence = score(rule, context);
      if (confidence !== undefined) fired.push({ rule, order, confidence });
    });
    if (fired.length > 0) break;
  }
  return fired.sort((a, b) => b.confidence - a.confidence || a.order - b.order);
}

/** The confidence of a rule, or undefined when it does not fire. */
function score(rule: DiagnoseRule, context: Context): number | undefined {
  const { status, provider } = context;
  const statusMatches = status !== undefined && (rule.status ?? []).includes(status);
  const providerListed = provider !== undefined && rule.providers !== undefined;
  const providerMatches = providerListed && rule.providers?.includes(provider) === true;
  if (rule.when === undefined) {
    if (!statusMatches) return undefined;
    if (rule.providers !== undefined && !providerMatches) return undefined;
    return round(rule.weight);
  }
  const phrases = phrasesFound(rule.when, context);
  if (phrases === undefined) return undefined;
  let confidence = rule.weight + Math.min(0.06, 0.02 * (phrases - rule.when.length));
  if (statusMatches) confidence += 0.04;
  if (providerListed) confidence += providerMatches ? 0.04 : -0.2;
  return round(confidence);
}

/** How many phrases of the groups occur, or undefined when some group has none. */
function phrasesFound(groups: readonly (readonly string[])[], context: Context): number | undefined {
  let count = 0;
  for (const group of groups) {
    let inGroup = 0;
    for (const phrase of group) if (occurs(phrase, context)) inGroup++;
    if (inGroup === 0) return undefined;
    count += inGroup;
  }
  return count;
}

function occurs(phrase: string, context: Context): boolean {
  const known = context.found.get(phrase);
  if (known !== undefined) return known;
  const present = context.window.lower.includes(phrase);
  context.found.set(phrase, present);
  return present;
}

function round(confidence: number): number {
  return Math.round(Math.min(0.99, Math.max(0.01, confidence)) * 100) / 100;
}

function validStatus(status: unknown): number | undefined {
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599
    ? status
    : undefined;
}

function validProvider(provider: unknown): string | undefined {
  return typeof provider === 'string' && provider.length > 0 && provider.length <= 64
    ? provider.trim().toLowerCase()
    : undefined;
}
