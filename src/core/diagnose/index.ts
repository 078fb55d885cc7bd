/**
 * Explain an error: the layer a failing step failed at, why, and how to fix it. Pure: no I/O.
 */
export { diagnose } from './diagnose.ts';
export {
  hostOf,
  type IntegrationHit,
  integrationHits,
  integrationTokens,
  keyhouseIntegrationNames,
  pickIntegration,
} from './match-integration.ts';
export { LAYER_PROVIDERS, providerFitsLayer } from './provider-groups.ts';
export { DIAGNOSE_RULES, MIN_PHRASE_LENGTH, ruleProblems } from './rules.ts';
export { containsName, SCAN_LIMIT, type ScanWindow, scanWindow } from './scan-text.ts';
export {
  type DiagnoseInput,
  type DiagnoseIntegration,
  type DiagnoseRule,
  type Diagnosis,
  type DiagnosisCandidate,
  isLayer,
  LAYERS,
  type Layer,
} from './types.ts';
