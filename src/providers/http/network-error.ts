/**
 * Turns what `fetch` throws into a sentence for people. The sentence names the failure class
 * (DNS, refused, reset, TLS, timeout) and never the request's headers, so no credential leaks.
 */

const CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'the connection was refused (nothing listens on that host and port)',
  ENOTFOUND: 'the host name could not be resolved (DNS)',
  EAI_AGAIN: 'the host name could not be resolved (temporary DNS failure)',
  ECONNRESET: 'the connection was reset by the host or a proxy',
  EHOSTUNREACH: 'the host is unreachable from here (routing or firewall)',
  ENETUNREACH: 'the network is unreachable from here',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'the host did not answer in time',
  UND_ERR_SOCKET: 'the connection closed unexpectedly',
};

function codeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A description of a network failure, without URL credentials or headers. */
export function describeNetworkError(error: unknown, timeoutMs: number): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError') return `the host did not answer within ${timeoutMs} ms`;
  if (name === 'AbortError') return 'the request was aborted';
  const code = codeOf(error);
  if (code !== undefined) {
    if (Object.hasOwn(CODES, code)) return CODES[code]!;
    if (code.includes('CERT') || code.startsWith('ERR_TLS') || code.includes('SSL')) {
      return `the TLS handshake failed (${code}): check the host's certificate chain or the configured URL`;
    }
    return `the request failed (${code})`;
  }
  return 'the request failed before the host answered';
}
