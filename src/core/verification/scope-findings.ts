/**
 * The scope part of a verification: the catalogue's comparison of the granted scopes with what
 * the enabled features need, as findings (missing with what to add and the token-creation link,
 * unsupported features, excess or broader scopes, unknown scopes) and the `scopes` check.
 */
import {
  type Catalogue,
  CatalogueError,
  type CompareResult,
  compare,
  leastPrivilege,
} from '../catalogue/index.ts';
import type { VerificationCheck, VerificationFinding } from './types.ts';

/** Codes this module decides; an adapter's findings with these codes are replaced by ours. */
export const SCOPE_CODES: readonly string[] = [
  'scope_missing',
  'scope_excess',
  'scope_unknown',
  'feature_unsupported',
];

/** What the scope assessment needs. */
export interface ScopeQuestion {
  readonly catalogue: Catalogue;
  readonly provider: string;
  readonly credentialType: string;
  readonly features: readonly string[];
  readonly grantedScopes: readonly string[];
  /** Host for the token-creation link (`github.example.com`); the provider default when absent. */
  readonly host?: string;
}

/** The scope findings and the `scopes` check. */
export interface ScopeAssessment {
  readonly findings: readonly VerificationFinding[];
  readonly check: VerificationCheck;
}

const TITLE = 'Scopes';

/** Compares the granted scopes with the features' needs; a catalogue mismatch becomes a warning. */
export function assessScopes(q: ScopeQuestion): ScopeAssessment {
  let result: CompareResult;
  let link: string | undefined;
  let minimal: readonly string[];
  try {
    result = compare(q.catalogue, q);
    const lp = leastPrivilege(q.catalogue, { ...q, ...(q.host === undefined ? {} : { host: q.host }) });
    link = lp.tokenCreationUrl;
    minimal = lp.scopes.map((s) => s.scope);
  } catch (error) {
    if (!(error instanceof CatalogueError)) throw error;
    const message = `The catalogue cannot compare these scopes: ${error.message}`;
    return {
      findings: [{ code: 'catalogue_mismatch', severity: 'warning', message, check: 'scopes' }],
      check: { id: 'scopes', title: TITLE, outcome: 'skipped', detail: message },
    };
  }
  const findings = [
    ...missingFindings(result, link),
    ...excessFindings(result, minimal, link),
    ...unknownFindings(result),
  ];
  return { findings, check: scopesCheck(result, q.grantedScopes, link) };
}

function withLink(text: string, link: string | undefined): string {
  return link === undefined ? text : `${text} Create one with exactly what is needed: ${link}`;
}

function missingFindings(r: CompareResult, link: string | undefined): VerificationFinding[] {
  const add = r.toAdd.join(', ');
  return r.features.flatMap((v): VerificationFinding[] => {
    if (v.status === 'satisfied') return [];
    if (v.status === 'unsupported') {
      return [
        {
          code: 'feature_unsupported',
          severity: 'error',
          message: `A ${r.credentialType} credential cannot serve ${v.feature}: ${v.reason}`,
          fix: `Use another credential type for ${v.feature}, or disable the feature on this integration.`,
          check: 'scopes',
        },
      ];
    }
    const needed = v.missing.map((clause) => clause.anyOf.join(' or ')).join(', ');
    return [
      {
        code: 'scope_missing',
        severity: 'error',
        message: `Feature ${v.feature} needs ${needed}, which the credential does not carry. ${v.why}`,
        fix: withLink(`Add ${add === '' ? needed : add} to the credential.`, link),
        check: 'scopes',
      },
    ];
  });
}

function excessFindings(
  r: CompareResult,
  minimal: readonly string[],
  link: string | undefined,
): VerificationFinding[] {
  const parts = [
    ...(r.excess.length === 0 ? [] : [`no enabled feature needs ${r.excess.join(', ')}`]),
    ...r.broader.map((b) => `${b.scope} is broader than needed (${b.enough.join(' or ')} is enough)`),
  ];
  if (parts.length === 0) return [];
  const keep = minimal.length === 0 ? 'no scope' : minimal.join(', ');
  return [
    {
      code: 'scope_excess',
      severity: 'warning',
      message: `The credential grants more than its features need: ${parts.join('; ')}.`,
      fix: withLink(`Replace it with a credential limited to ${keep}.`, link),
      check: 'scopes',
    },
  ];
}

function unknownFindings(r: CompareResult): VerificationFinding[] {
  if (r.unknown.length === 0) return [];
  return [
    {
      code: 'scope_unknown',
      severity: 'info',
      message: `The catalogue does not know ${r.unknown.join(', ')} for ${r.provider} ${r.credentialType}.`,
      check: 'scopes',
    },
  ];
}

function scopesCheck(
  r: CompareResult,
  granted: readonly string[],
  link: string | undefined,
): VerificationCheck {
  const grantedText = granted.length === 0 ? 'none' : [...granted].sort().join(', ');
  if (r.ok) {
    return { id: 'scopes', title: TITLE, outcome: 'pass', detail: `Granted: ${grantedText}.` };
  }
  const unsupported = r.features.filter((v) => v.status === 'unsupported').map((v) => v.feature);
  const detail = [
    r.toAdd.length === 0 ? '' : `Missing: ${r.toAdd.join(', ')}.`,
    unsupported.length === 0 ? '' : `Not servable by this credential type: ${unsupported.join(', ')}.`,
    `Granted: ${grantedText}.`,
  ]
    .filter((s) => s !== '')
    .join(' ');
  const fix =
    r.toAdd.length === 0
      ? 'Use a credential type that serves every enabled feature.'
      : withLink(`Add ${r.toAdd.join(', ')}.`, link);
  return { id: 'scopes', title: TITLE, outcome: 'fail', detail, fix };
}
