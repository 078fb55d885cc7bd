/**
 * The doctor's prerequisites checklist: for each provider, the checks that apply to it in a fixed
 * order, each filled from the verification's checks (pass or fail with the fix) or reported as
 * skipped with the reason; checks the adapter ran beyond the list follow.
 */
import type { VerificationCheck, VerificationOutcome, VerificationStatus } from './types.ts';

/** One prerequisite of the checklist. */
export interface Prerequisite {
  readonly id: string;
  readonly title: string;
  /** Provider ids it applies to. */
  readonly providers: readonly string[];
  /** Why it would be skipped when the adapter did not run it. */
  readonly skipped: string;
}

const SCM = [
  'github',
  'github-enterprise',
  'gitlab',
  'bitbucket-cloud',
  'bitbucket-server',
  'azure-devops',
  'gitea',
  'git',
] as const;
const ALL = [...SCM, 'docker-registry', 's3', 'aws'] as const;

/** Every prerequisite, in the order the doctor lists them. */
export const PREREQUISITES: readonly Prerequisite[] = [
  { id: 'token-valid', title: 'Token valid', providers: ALL, skipped: 'The host was not asked.' },
  {
    id: 'scopes',
    title: 'Scopes',
    providers: ALL,
    skipped: 'The host does not list the granted scopes and no probe answered for them.',
  },
  {
    id: 'clone-url-form',
    title: 'Clone URL form (HTTPS)',
    providers: SCM,
    skipped: 'No repository or clone URL is configured.',
  },
  { id: 'branch-exists', title: 'Branch exists', providers: SCM, skipped: 'No branch is configured.' },
  {
    id: 'allow-list',
    title: 'Repository in the allow-list',
    providers: ['github', 'github-enterprise', 'git'],
    skipped: 'No repository allow-list applies (not a GitHub App, or no repository configured).',
  },
  {
    id: 'registry-host-matches',
    title: 'Registry host matches the image reference',
    providers: ['docker-registry'],
    skipped: 'No image reference is configured.',
  },
  {
    id: 'namespace-access',
    title: 'Namespace access (pull/push)',
    providers: ['docker-registry'],
    skipped: 'No repository or namespace is configured.',
  },
  { id: 'bucket-read', title: 'Bucket read', providers: ['s3'], skipped: 'No bucket is configured.' },
  { id: 'bucket-write', title: 'Bucket write', providers: ['s3'], skipped: 'No bucket is configured.' },
  { id: 'bucket-delete', title: 'Bucket delete', providers: ['s3'], skipped: 'No bucket is configured.' },
  {
    id: 'endpoint-region',
    title: 'Endpoint and region',
    providers: ['s3', 'aws'],
    skipped: 'No endpoint or region is configured.',
  },
  {
    id: 'iam-actions',
    title: 'IAM actions allowed',
    providers: ['aws'],
    skipped: 'IAM policy simulation was not run.',
  },
];

/** The doctor's answer. */
export interface DoctorReport {
  /** The verification status the checks were run with. */
  readonly status: VerificationStatus;
  /** True when no check failed. */
  readonly ok: boolean;
  readonly checks: readonly VerificationCheck[];
}

/** The prerequisites that apply to a provider, in order. */
export function prerequisitesOf(provider: string): Prerequisite[] {
  return PREREQUISITES.filter((p) => p.providers.includes(provider));
}

/** The checklist for `provider` from a computed verification. */
export function doctorChecklist(provider: string, outcome: VerificationOutcome): DoctorReport {
  const ran = new Map(outcome.checks.map((c) => [c.id, c]));
  const listed = prerequisitesOf(provider);
  const checks: VerificationCheck[] = listed.map(
    (p) => ran.get(p.id) ?? { id: p.id, title: p.title, outcome: 'skipped', detail: p.skipped },
  );
  const known = new Set(listed.map((p) => p.id));
  for (const c of outcome.checks) if (!known.has(c.id)) checks.push(c);
  withFixes(checks, outcome);
  return { status: outcome.status, ok: checks.every((c) => c.outcome !== 'fail'), checks };
}

/** A failed check without a fix borrows the fix of the first error finding of that check. */
function withFixes(checks: VerificationCheck[], outcome: VerificationOutcome): void {
  for (const [i, c] of checks.entries()) {
    if (c.outcome !== 'fail' || c.fix !== undefined) continue;
    const fix = outcome.findings.find((f) => f.check === c.id && f.fix !== undefined)?.fix;
    if (fix !== undefined) checks[i] = { ...c, fix };
  }
}
