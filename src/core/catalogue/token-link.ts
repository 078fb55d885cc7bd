/**
 * Prefilled token-creation links (GitHub classic PATs, GitHub App registration, GitLab tokens):
 * the user follows the link and finds the name and the scopes already chosen.
 */
import type { TokenCreation } from './schema.ts';

/** Options for {@link tokenCreationUrl}. */
export interface TokenLinkOptions {
  /** The host (`github.example.com`); the provider's default host when absent. */
  readonly host: string;
  /** The name or description to prefill. */
  readonly name: string;
}

/** The template with host, name and scopes filled in and URL-encoded. */
export function tokenCreationUrl(
  template: TokenCreation,
  scopes: readonly string[],
  options: TokenLinkOptions,
): string {
  const host = options.host.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  let url = template.url.replaceAll('{host}', host).replaceAll('{name}', encodeQueryValue(options.name));
  if (template.scopeFormat === 'pairs') {
    const pairs = scopes.map((scope) => {
      const cut = scope.lastIndexOf(':');
      return `${encodeQueryValue(scope.slice(0, cut))}=${encodeQueryValue(scope.slice(cut + 1))}`;
    });
    url = url.replaceAll('{scopes}', pairs.join('&'));
  } else {
    const separator = template.scopeFormat === 'comma' ? ',' : '+';
    url = url.replaceAll('{scopes}', scopes.map(encodeQueryValue).join(separator));
  }
  return url.replace(/[?&]+$/, '').replace(/&&+/g, '&');
}

/** `encodeURIComponent`, but `:` stays readable (it is allowed in a query). */
function encodeQueryValue(value: string): string {
  return encodeURIComponent(value).replaceAll('%3A', ':');
}
