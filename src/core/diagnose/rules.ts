/**
 * The ordered rule table and its checks. Order breaks ties between rules of equal confidence.
 */
import { AWS_RULES, REGISTRY_RULES, STORAGE_RULES } from './rules-cloud.ts';
import { GIT_RULES } from './rules-git.ts';
import { PLATFORM_RULES } from './rules-platform.ts';
import { SCM_RULES } from './rules-scm.ts';
import { STATUS_RULES } from './rules-status.ts';
import { type DiagnoseRule, isLayer } from './types.ts';

/** Every rule, in the order that breaks ties: host-specific before generic, status-only last. */
export const DIAGNOSE_RULES: readonly DiagnoseRule[] = [
  ...SCM_RULES,
  ...GIT_RULES,
  ...REGISTRY_RULES,
  ...STORAGE_RULES,
  ...AWS_RULES,
  ...PLATFORM_RULES,
  ...STATUS_RULES,
];

/** Shortest phrase allowed: shorter ones would fire on noise. */
export const MIN_PHRASE_LENGTH = 5;

/** Problems in a rule table (empty when it is sound); the rule test runs this on {@link DIAGNOSE_RULES}. */
export function ruleProblems(rules: readonly DiagnoseRule[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    const at = `rule ${rule.id}`;
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(rule.id)) problems.push(`${at}: id is not kebab-case`);
    if (seen.has(rule.id)) problems.push(`${at}: duplicate id`);
    seen.add(rule.id);
    if (!isLayer(rule.layer) || rule.layer === 'unknown')
      problems.push(`${at}: layer ${rule.layer} is not diagnosable`);
    if (!(rule.weight > 0 && rule.weight < 1)) problems.push(`${at}: weight must be in (0, 1)`);
    if (rule.steps.length === 0) problems.push(`${at}: no steps`);
    if (rule.when === undefined && (rule.status ?? []).length === 0)
      problems.push(`${at}: neither text nor status`);
    for (const group of rule.when ?? []) {
      if (group.length === 0) problems.push(`${at}: empty phrase group`);
      for (const phrase of group) {
        if (phrase !== phrase.toLowerCase()) problems.push(`${at}: phrase "${phrase}" is not lower-case`);
        if (phrase.trim().length < MIN_PHRASE_LENGTH) problems.push(`${at}: phrase "${phrase}" is too short`);
      }
    }
    for (const status of rule.status ?? []) {
      if (!Number.isInteger(status) || status < 100 || status > 599)
        problems.push(`${at}: bad status ${status}`);
    }
  }
  return problems;
}
