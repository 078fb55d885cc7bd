/**
 * Rules that cut across providers: Keyhouse's own permission error, webhook delivery, rate limits,
 * network and DNS, TLS, expired credentials.
 */
import type { DiagnoseRule } from './types.ts';

/** Cross-cutting rules, most specific first. */
export const PLATFORM_RULES: readonly DiagnoseRule[] = [
  {
    id: 'keyhouse-missing-integration-permission',
    layer: 'keyhouse-permission',
    title: 'The pipeline may not use {integration}',
    explanation:
      'Keyhouse refused to hand {integration} to this run: the pipeline is not in its allowed pipelines, or the user who started the run has no USE on it.',
    steps: [
      'Ask a user with USE or MANAGE on {integration} to add this pipeline to its allowed pipelines (grant and retry), then retry the run.',
      'Or ask a user with MANAGE on {integration} to grant the person who runs the pipeline USE.',
    ],
    when: [['missing permissions to the following integration']],
    status: [403],
    weight: 0.99,
  },
  {
    id: 'webhook-delivery-failed',
    layer: 'webhook-delivery',
    title: 'The webhook could not be delivered',
    explanation:
      'The host tried to deliver the event but could not reach the receiver in time, or it answered with an error.',
    steps: [
      'Check that the payload URL resolves publicly and that the receiver allows the host’s webhook IP ranges.',
      'Make the receiver answer 2xx within 10 seconds (queue the work); fix the TLS chain if the certificate is rejected.',
      'Redeliver the failed delivery from the webhook’s recent deliveries.',
    ],
    when: [
      ['webhook', 'payload', 'hook execution failed', 'delivery was not successful'],
      [
        'failed to connect to host',
        'failed to connect to network',
        'timed out',
        'service timeout',
        'invalid http response',
        'execution expired',
        'peer certificate cannot be authenticated',
        "couldn't deliver",
        'hook execution failed',
        'url host localhost is not supported',
      ],
    ],
    weight: 0.9,
  },
  {
    id: 'webhook-disabled',
    layer: 'webhook-delivery',
    title: 'The webhook was disabled after failures',
    explanation:
      'The host disabled the webhook after repeated failed deliveries, so events no longer arrive.',
    steps: ['Fix the receiver, then re-enable the webhook and send a test delivery.'],
    when: [
      ['webhook'],
      ['auto-disabled', 'automatically disabled', 'temporarily disabled', 'permanently disabled'],
    ],
    weight: 0.8,
  },
  {
    id: 'api-rate-limit',
    layer: 'rate-limit',
    title: 'The host rate limit was reached',
    explanation: 'Too many requests in the window; the host refuses more until the limit resets.',
    steps: [
      'Wait until `x-ratelimit-reset` (or `retry-after`) before retrying; back off exponentially on secondary limits.',
      'Authenticate requests (higher limits) and spread scheduled verification over time.',
    ],
    when: [['api rate limit exceeded', 'secondary rate limit', 'rate limit exceeded', 'too many requests']],
    status: [403, 429],
    weight: 0.9,
  },
  {
    id: 'dns-not-resolved',
    layer: 'network-dns',
    title: 'The host name does not resolve',
    explanation:
      'DNS lookup of the host failed: a typo in the host, no DNS on the runner, or a private name.',
    steps: [
      'Check the host configured in {integration} for typos.',
      'From the runner, resolve the name (`nslookup <host>`); fix DNS or proxy settings of the runner.',
    ],
    when: [
      [
        'could not resolve host',
        'could not resolve hostname',
        'getaddrinfo enotfound',
        'getaddrinfo eai_again',
        'no such host',
        'temporary failure in name resolution',
        'name or service not known',
      ],
    ],
    weight: 0.9,
  },
  {
    id: 'network-unreachable',
    layer: 'network-dns',
    title: 'The host could not be reached',
    explanation: 'The connection timed out, was refused or reset: firewall, proxy, VPN or an outage.',
    steps: [
      'From the runner, test the connection (`curl -v https://<host>`); check proxy and firewall rules.',
      'Check the host status page for an outage.',
    ],
    when: [
      [
        'etimedout',
        'connection timed out',
        'i/o timeout',
        'failed to connect to',
        'econnrefused',
        'connection refused',
        'network is unreachable',
        'econnreset',
        'connection reset by peer',
      ],
    ],
    weight: 0.8,
  },
  {
    id: 'tls-unknown-authority',
    layer: 'tls',
    title: 'The server certificate is not trusted',
    explanation:
      'The certificate chain does not lead to a trusted CA: a self-signed or private CA, a missing intermediate, or a TLS-intercepting proxy.',
    steps: [
      'Install the CA of the server (or of the proxy) in the runner trust store.',
      'If you run the server, serve the full certificate chain.',
    ],
    when: [
      [
        'certificate signed by unknown authority',
        'unable to get local issuer certificate',
        'self signed certificate',
        'self-signed certificate',
        'ssl certificate problem',
        'certificate verify failed',
        'unable_to_verify_leaf_signature',
      ],
    ],
    weight: 0.9,
  },
  {
    id: 'tls-certificate-expired',
    layer: 'tls',
    title: 'The server certificate has expired',
    explanation:
      'The certificate presented by the server is outside its validity period (or the runner clock is wrong).',
    steps: ['Renew the server certificate; check the runner clock.'],
    when: [['certificate has expired', 'cert_has_expired']],
    weight: 0.9,
  },
  {
    id: 'tls-hostname-mismatch',
    layer: 'tls',
    title: 'The certificate does not match the host name',
    explanation: 'The certificate is valid for other names than the host that was contacted.',
    steps: ['Use the host name the certificate was issued for, or reissue it with this name.'],
    when: [['certificate is valid for', 'err_tls_cert_altname_invalid', 'does not match target host name']],
    weight: 0.9,
  },
  {
    id: 'credential-expired',
    layer: 'expired-credential',
    title: 'The credential has expired',
    explanation: 'The token of {integration} passed its expiry date.',
    steps: [
      'Create a new token with the same scopes and store it in {integration}.',
      'Keyhouse warns before expiry: watch `expiring` on `keyhouse verify`.',
    ],
    when: [
      ['token has expired', 'token expired', 'token is expired', 'password has expired', 'expired_token'],
    ],
    status: [401],
    weight: 0.9,
  },
];
