/**
 * The non-secret configuration the GitHub adapter reads from an integration, parsed once per call
 * into a frozen value: API base URL, web host, repository, branch, clone URL, app ids and the
 * rate-limit wait budget. A bad value becomes a finding, never an exception.
 */

/** Default REST API base of github.com. */
export const GITHUB_API_BASE = 'https://api.github.com';

/** The longest the adapter waits for a rate-limit window to reset before reporting `rate-limited`. */
export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 60_000;

/** The parsed configuration of one GitHub verification. */
export interface GithubConfig {
  /** REST API base without a trailing slash (`https://api.github.com`, `https://HOST/api/v3`). */
  readonly apiBaseUrl: string;
  /** The web host that serves clone URLs (`github.com`, the GHES host). */
  readonly webHost: string;
  /** `owner/name`, when configured. */
  readonly repository?: { readonly owner: string; readonly name: string };
  readonly branch?: string;
  readonly cloneUrl?: string;
  readonly organisation?: string;
  readonly appId?: string;
  readonly installationId?: string;
  readonly maxRateLimitWaitMs: number;
  /** False when the API base is missing or not a URL: no request is sent. */
  readonly apiBaseUrlValid: boolean;
  /** Problems found in the configuration (key and sentence). */
  readonly problems: readonly string[];
}

const INVALID_BASE = 'https://invalid.invalid';

function text(config: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = config[key];
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The web host of an API base: `api.github.com` → `github.com`, `https://HOST/api/v3` → `HOST`. */
export function webHostOf(apiBaseUrl: string): string {
  const url = new URL(apiBaseUrl);
  if (url.hostname === 'api.github.com') return 'github.com';
  if (url.hostname.startsWith('api.') && url.hostname.endsWith('.ghe.com')) return url.hostname.slice(4);
  return url.host;
}

/** Splits `owner/name` (a trailing `.git` is dropped); undefined when it is not of that form. */
export function parseRepository(value: string): { owner: string; name: string } | undefined {
  const match = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100}?)(?:\.git)?$/.exec(value);
  return match?.[1] && match[2] ? { owner: match[1], name: match[2] } : undefined;
}

function parseApiBase(raw: string | undefined, fallback: string, problems: string[]): string {
  const value = raw ?? fallback;
  if (value === '') {
    problems.push('config.apiBaseUrl (or config.host for GitHub Enterprise) is required.');
    return INVALID_BASE;
  }
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
    return value.replace(/\/+$/, '');
  } catch {
    problems.push(`config.apiBaseUrl: "${value}" is not an http(s) URL.`);
    return INVALID_BASE;
  }
}

/** Parses the integration's config; `defaultApiBase` is github.com's or the GHES host's. */
export function parseGithubConfig(
  config: Readonly<Record<string, unknown>>,
  defaultApiBase: string = GITHUB_API_BASE,
): GithubConfig {
  const problems: string[] = [];
  const apiBaseUrl = parseApiBase(text(config, 'apiBaseUrl'), defaultApiBase, problems);
  const repoText = text(config, 'repository');
  const repository = repoText === undefined ? undefined : parseRepository(repoText);
  if (repoText !== undefined && repository === undefined) {
    problems.push(`config.repository: "${repoText}" is not of the form owner/name.`);
  }
  const wait = config['maxRateLimitWaitMs'];
  const optional = {
    repository,
    branch: text(config, 'branch'),
    cloneUrl: text(config, 'cloneUrl'),
    organisation: text(config, 'organisation') ?? text(config, 'organization'),
    appId: text(config, 'appId'),
    installationId: text(config, 'installationId'),
  };
  const defined = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined));
  return Object.freeze({
    apiBaseUrl,
    apiBaseUrlValid: apiBaseUrl !== INVALID_BASE,
    webHost: webHostOf(apiBaseUrl),
    maxRateLimitWaitMs:
      typeof wait === 'number' && wait >= 0 && Number.isFinite(wait) ? wait : DEFAULT_MAX_RATE_LIMIT_WAIT_MS,
    problems,
    ...defined,
  }) as GithubConfig;
}
