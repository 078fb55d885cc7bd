/**
 * The GitLab adapter's view of an integration: validated config with defaults, the URLs derived
 * from it, and the authentication header for the credential type.
 */
import { Compile } from 'typebox/compile';
import { type AuthHeaders, type ConfigRead, checkConfig, missingCredentialField } from '../http/index.ts';
import type { VerifyInput } from '../types.ts';
import { GitlabConfigSchema } from './gitlab-schema.ts';

/** gitlab.com's REST base (the catalogue's `apiBase`). */
export const GITLAB_DEFAULT_API = 'https://gitlab.com/api/v4';

/** Everything the adapter needs, secrets excepted. */
export interface GitlabConfig {
  readonly apiBaseUrl: string;
  /** The web root (clone URLs, `/oauth/token/info`). */
  readonly webUrl: string;
  readonly project?: string;
  readonly group?: string;
  readonly branch?: string;
  readonly cloneUrl?: string;
}

const validator = Compile(GitlabConfigSchema);

/** Validated config, or the findings that say which key is wrong. */
export function readGitlabConfig(config: unknown): ConfigRead<GitlabConfig> {
  const checked = checkConfig(validator, config);
  if (!checked.ok) return checked;
  const raw = checked.value;
  const apiBaseUrl = (
    raw.apiBaseUrl ??
    (raw.hostUrl === undefined ? GITLAB_DEFAULT_API : `${raw.hostUrl.replace(/\/+$/, '')}/api/v4`)
  ).replace(/\/+$/, '');
  const webUrl = apiBaseUrl.replace(/\/api\/v4$/, '');
  return {
    ok: true,
    value: {
      apiBaseUrl,
      webUrl,
      ...(raw.project === undefined ? {} : { project: String(raw.project) }),
      ...(raw.group === undefined ? {} : { group: String(raw.group) }),
      ...(raw.branch === undefined ? {} : { branch: raw.branch }),
      ...(raw.cloneUrl === undefined ? {} : { cloneUrl: raw.cloneUrl }),
    },
  };
}

/** The header that carries the credential: `PRIVATE-TOKEN` for tokens, Bearer for OAuth. */
export function gitlabAuthHeaders(input: VerifyInput): AuthHeaders {
  const field = input.credentialType === 'oauth' ? 'accessToken' : 'token';
  const secret = input.credential[field];
  if (secret === undefined || secret === '') return { ok: false, finding: missingCredentialField(field) };
  return {
    ok: true,
    headers: field === 'accessToken' ? { authorization: `Bearer ${secret}` } : { 'private-token': secret },
  };
}
