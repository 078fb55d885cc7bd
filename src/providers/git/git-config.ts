/**
 * Parses a Git integration's configuration and judges its clone URL: HTTPS, no credential in the
 * URL, not the SSH form. A URL is never echoed with its user-info part.
 */
import { Compile } from 'typebox/compile';
import { KeyhouseError } from '../../core/errors.ts';
import type { CheckResult } from '../types.ts';
import { GitConfigSchema } from './git-schema.ts';

/** The configuration the adapter works with. */
export interface GitConfig {
  /** The URL as configured, user-info removed (safe to show). */
  readonly displayUrl: string;
  /** The URL git is given: HTTP(S), without user-info; absent when the form cannot be used. */
  readonly remoteUrl?: string;
  readonly branch?: string;
  readonly username?: string;
  /** The `clone-url-form` check. */
  readonly form: CheckResult;
}

const validator = Compile(GitConfigSchema);
const TITLE = 'Clone URL is an HTTPS URL without a credential';
const SCP_FORM = /^(?:[\w.-]+@)?([\w.-]+):(?!\/\/)(.+)$/;

function invalid(field: string, message: string): KeyhouseError {
  const path = `config.${field}`;
  return new KeyhouseError('validation_failed', `${path} ${message}`, {
    details: { fields: [{ path, message }] },
  });
}

function sshForm(raw: string): CheckResult | undefined {
  const scp = SCP_FORM.exec(raw);
  const ssh = /^ssh:\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/(.+)$/.exec(raw);
  const match = ssh ?? scp;
  if (match === null) return undefined;
  const https = `https://${match[1]}/${(match[2] ?? '').replace(/^\/+/, '')}`;
  return {
    id: 'clone-url-form',
    title: TITLE,
    outcome: 'fail',
    detail: 'This is an SSH URL; a token authenticates over HTTPS only.',
    fix: `Use the HTTPS clone URL, e.g. ${https}`,
  };
}

/** Judges the clone URL form; returns the check and the URL git may be given. */
export function judgeCloneUrl(
  raw: string,
  allowHttp: boolean,
): { form: CheckResult; remoteUrl?: string; displayUrl: string } {
  const ssh = sshForm(raw);
  if (ssh !== undefined) return { form: ssh, displayUrl: raw.replace(/^ssh:\/\/[^@/]+@/, 'ssh://') };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return {
      form: {
        id: 'clone-url-form',
        title: TITLE,
        outcome: 'fail',
        detail: 'Not a URL.',
        fix: 'Use https://host/owner/repository.git',
      },
      displayUrl: '(not a URL)',
    };
  }
  const hadCredential = url.username !== '' || url.password !== '';
  url.username = '';
  url.password = '';
  const displayUrl = url.toString();
  const fail = (detail: string, fix: string) => ({
    form: { id: 'clone-url-form', title: TITLE, outcome: 'fail' as const, detail, fix },
    displayUrl,
  });
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowHttp)) {
    return fail(
      `The URL uses ${url.protocol.replace(':', '')}, not HTTPS.`,
      `Use ${displayUrl.replace(/^[a-z+]+:/, 'https:')}`,
    );
  }
  if (hadCredential) {
    return {
      ...fail('The URL carries a user name or password.', `Remove the user-info part: ${displayUrl}`),
      remoteUrl: displayUrl,
    };
  }
  const detail = url.protocol === 'http:' ? 'Plain HTTP, accepted by configuration (allowHttp).' : 'HTTPS.';
  return {
    form: { id: 'clone-url-form', title: TITLE, outcome: 'pass', detail },
    remoteUrl: displayUrl,
    displayUrl,
  };
}

/** Checks and parses `config`; throws a `validation_failed` error naming the field at fault. */
export function parseGitConfig(config: Readonly<Record<string, unknown>>): GitConfig {
  for (const error of validator.Errors(config)) {
    const required = (error.params as { requiredProperties?: readonly string[] }).requiredProperties;
    const field = error.instancePath.split('/')[1] || required?.[0] || 'url';
    throw invalid(field, required === undefined ? 'is not valid' : 'is required');
  }
  const input = validator.Parse(config);
  if (input.branch !== undefined && !/^(?!-)[^\0\s~^:?*[\\]+$/.test(input.branch))
    throw invalid('branch', 'is not a valid branch name');
  const judged = judgeCloneUrl(input.url, input.allowHttp === true);
  return {
    ...judged,
    ...(input.branch === undefined ? {} : { branch: input.branch.replace(/^refs\/heads\//, '') }),
    ...(input.username === undefined ? {} : { username: input.username }),
  };
}
