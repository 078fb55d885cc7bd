/**
 * Fallback rules for a bare HTTP status: they fire only when the status (and, where listed, the
 * provider) matches, and they weigh less than any text rule.
 */
import { AWS, REGISTRY, SCM, STORAGE } from './provider-groups.ts';
import type { DiagnoseRule } from './types.ts';

const VERIFY = 'Run `keyhouse verify` and `keyhouse doctor` on {integration} for the precise finding.';

/** Status-only rules, provider-specific ones before the generic ones. */
export const STATUS_RULES: readonly DiagnoseRule[] = [
  {
    id: 'status-401-registry',
    layer: 'registry-credential',
    title: 'Registry answered 401',
    explanation: 'The registry did not accept the credential (or none was sent).',
    steps: ['Check the username and token of {integration}.', VERIFY],
    status: [401],
    providers: REGISTRY,
    weight: 0.55,
  },
  {
    id: 'status-403-registry',
    layer: 'registry-credential',
    title: 'Registry answered 403',
    explanation: 'The registry credential is valid but may not perform this action on the repository.',
    steps: ['Give the account of {integration} the needed pull or push right.', VERIFY],
    status: [403],
    providers: REGISTRY,
    weight: 0.5,
  },
  {
    id: 'status-storage-denied',
    layer: 'backup-storage',
    title: 'Object storage refused the request',
    explanation: 'The storage endpoint refused the key or the action.',
    steps: ['Check the key, bucket, region and policy of {integration}.', VERIFY],
    status: [401, 403],
    providers: STORAGE,
    weight: 0.55,
  },
  {
    id: 'status-aws-denied',
    layer: 'aws-iam',
    title: 'AWS refused the request',
    explanation: 'AWS refused the credential or the action for this principal.',
    steps: ['Check the key and the IAM policies of {integration}.', VERIFY],
    status: [401, 403],
    providers: AWS,
    weight: 0.55,
  },
  {
    id: 'status-401-scm',
    layer: 'git-credential',
    title: 'The host answered 401',
    explanation:
      'The host did not accept the credential: wrong, revoked or expired token (on Azure DevOps, or a missing scope).',
    steps: [VERIFY],
    status: [401],
    providers: SCM,
    weight: 0.5,
  },
  {
    id: 'status-403-scm',
    layer: 'scope-missing',
    title: 'The host answered 403',
    explanation: 'The credential is valid but lacks a scope or permission for this call.',
    steps: [VERIFY],
    status: [403],
    providers: SCM,
    weight: 0.45,
  },
  {
    id: 'status-404-scm',
    layer: 'git-credential',
    title: 'The host answered 404',
    explanation:
      'Hosts answer 404 for private resources the credential cannot see: a wrong name or missing access.',
    steps: ['Check the repository or resource name.', VERIFY],
    status: [404],
    providers: SCM,
    weight: 0.4,
  },
  {
    id: 'status-429',
    layer: 'rate-limit',
    title: 'Too many requests (429)',
    explanation: 'The host rate limit was reached.',
    steps: ['Wait for `retry-after` or the rate-limit reset before retrying; spread requests over time.'],
    status: [429],
    weight: 0.8,
  },
  {
    id: 'status-407',
    layer: 'network-dns',
    title: 'Proxy authentication required (407)',
    explanation: 'A proxy between the runner and the host wants credentials.',
    steps: ['Configure the proxy credentials of the runner, or exempt the host from the proxy.'],
    status: [407],
    weight: 0.7,
  },
  {
    id: 'status-gateway',
    layer: 'network-dns',
    title: 'The host or a gateway is unavailable',
    explanation: 'A 502/503/504 comes from the host or a proxy in between, not from the credential.',
    steps: ['Retry later; check the host status page and the proxy.'],
    status: [502, 503, 504],
    weight: 0.45,
  },
  {
    id: 'status-401',
    layer: 'git-credential',
    title: 'Unauthorised (401)',
    explanation: 'The credential was not accepted.',
    steps: [VERIFY],
    status: [401],
    weight: 0.35,
  },
  {
    id: 'status-403',
    layer: 'scope-missing',
    title: 'Forbidden (403)',
    explanation: 'The credential was accepted but may not perform this call.',
    steps: [VERIFY],
    status: [403],
    weight: 0.3,
  },
];
