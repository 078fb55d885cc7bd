/**
 * Types of "explain an error": the layers a failing step can fail at, the rule shape (rules are data),
 * the input and the diagnosis.
 */

/** Every layer a diagnosis can name, in the order the docs present them. */
export const LAYERS = [
  'git-credential',
  'app-installation',
  'registry-credential',
  'backup-storage',
  'aws-iam',
  'webhook-delivery',
  'ssh-key',
  'network-dns',
  'tls',
  'rate-limit',
  'sso',
  'keyhouse-permission',
  'scope-missing',
  'expired-credential',
  'unknown',
] as const;

/** The layer of the stack a failure belongs to. */
export type Layer = (typeof LAYERS)[number];

/**
 * One diagnosis rule. A rule fires when every group of `when` has at least one phrase in the text
 * (case-insensitive substring) — or, for a rule without `when`, when the status (and provider) match.
 */
export interface DiagnoseRule {
  /** Stable kebab-case id; it is what `matched` reports. */
  readonly id: string;
  readonly layer: Layer;
  /** Short headline of the diagnosis. */
  readonly title: string;
  /** Why this happens; `{integration}` is replaced by the integration's name when known. */
  readonly explanation: string;
  /** What to do, in order; `{integration}` is replaced as in `explanation`. */
  readonly steps: readonly string[];
  /** AND of ORs: each inner list needs at least one phrase present. Phrases are plain text. */
  readonly when?: readonly (readonly string[])[];
  /** HTTP statuses this rule is about: a bonus with `when`, the trigger without it. */
  readonly status?: readonly number[];
  /** Provider ids this rule is about: a bonus (or malus) with `when`, a filter without it. */
  readonly providers?: readonly string[];
  /** Base confidence, 0..1, before bonuses. */
  readonly weight: number;
}

/** The non-secret part of an integration that diagnose can match against an error text. */
export interface DiagnoseIntegration {
  readonly id: string;
  readonly name: string;
  readonly provider: string;
  readonly config?: {
    readonly host?: string;
    readonly registry?: string;
    readonly bucket?: string;
    readonly endpoint?: string;
  };
}

/** What to diagnose: the text of a failing step and what else is known about it. */
export interface DiagnoseInput {
  /** The error message or log excerpt (any length; only a bounded window is scanned). */
  readonly text: string;
  /** HTTP status of the failing call, when known. */
  readonly status?: number;
  /** Provider id (`github`, `docker-registry`, `s3`, ...), when known. */
  readonly provider?: string;
  /** Integrations the step could have used; the one the error most likely refers to is named. */
  readonly integrations?: readonly DiagnoseIntegration[];
}

/** A ranked candidate layer, as listed in `alternatives`. */
export interface DiagnosisCandidate {
  readonly layer: Layer;
  readonly confidence: number;
  readonly rule: string;
  readonly title: string;
}

/** The answer: the likely layer, why, what to do, and which rules said so. */
export interface Diagnosis {
  readonly layer: Layer;
  /** 0..1; 0 for `unknown`. */
  readonly confidence: number;
  readonly title: string;
  readonly explanation: string;
  readonly steps: readonly string[];
  /** The integration the error most likely refers to, when one of `integrations` fits. */
  readonly integration?: { readonly id: string; readonly name: string };
  /** Ids of every rule that fired, best first. */
  readonly matched: readonly string[];
  /** Other layers that fired, best first, one per layer, without the chosen one. */
  readonly alternatives: readonly DiagnosisCandidate[];
}

/** True when `value` is one of {@link LAYERS}. */
export function isLayer(value: unknown): value is Layer {
  return typeof value === 'string' && (LAYERS as readonly string[]).includes(value);
}
