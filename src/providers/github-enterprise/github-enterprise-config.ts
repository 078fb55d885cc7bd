/**
 * GitHub Enterprise Server configuration: the API base is `https://HOST/api/v3`, from
 * `config.apiBaseUrl` or built from `config.host`; everything else is GitHub's configuration.
 */
export { type GithubConfig, parseGithubConfig } from '../github/github-config.ts';

/** The API base of a GHES integration: `config.apiBaseUrl`, else `https://{config.host}/api/v3`. */
export function enterpriseApiBase(config: Readonly<Record<string, unknown>>): string {
  const base = config['apiBaseUrl'];
  if (typeof base === 'string' && base.trim() !== '') return base.trim();
  const host = config['host'];
  if (typeof host === 'string' && /^[A-Za-z0-9.-]+(:\d+)?$/.test(host.trim()))
    return `https://${host.trim()}/api/v3`;
  // No host: parseGithubConfig reports the missing API base.
  return '';
}
