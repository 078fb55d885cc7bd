import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkCloneUrl } from './clone-url.ts';
import { createHttpClient } from './http-client.ts';
import { blockedUntil, readRateLimit } from './rate-limit.ts';
import { expiryFindings } from './verification-report.ts';

const NOW = Date.parse('2026-05-01T12:00:00Z');

describe('rate-limit headers', () => {
  test('reads the IETF names (GitLab) with an epoch reset', () => {
    const headers = new Headers({
      'RateLimit-Limit': '2000',
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': String(NOW / 1000 + 30),
    });
    assert.deepEqual(readRateLimit(headers, NOW), { limit: 2000, remaining: 0, resetAt: NOW + 30_000 });
    assert.equal(blockedUntil(readRateLimit(headers, NOW), NOW), NOW + 30_000);
  });

  test('reads X-RateLimit-* with a delta reset and Retry-After as seconds or a date', () => {
    const seconds = new Headers({
      'X-RateLimit-Remaining': '5',
      'X-RateLimit-Reset': '10',
      'Retry-After': '3',
    });
    assert.deepEqual(readRateLimit(seconds, NOW), {
      remaining: 5,
      resetAt: NOW + 10_000,
      retryAfter: NOW + 3000,
    });
    const date = new Headers({ 'Retry-After': new Date(NOW + 60_000).toUTCString() });
    assert.equal(readRateLimit(date, NOW)?.retryAfter, NOW + 60_000);
    assert.equal(readRateLimit(new Headers(), NOW), undefined);
  });
});

describe('HTTP client', () => {
  test('counts requests, retries a 429 within bounds and ends as rate-limited past them', async () => {
    let calls = 0;
    const fetch429 = (async () => {
      calls += 1;
      return new Response('slow down', { status: 429, headers: { 'retry-after': '1' } });
    }) as typeof fetch;
    const waits: number[] = [];
    const client = createHttpClient({
      baseUrl: 'http://127.0.0.1:1',
      fetch: fetch429,
      maxRetries: 2,
      sleep: async (ms) => void waits.push(ms),
      now: () => NOW,
    });
    const outcome = await client.request('/x');
    assert.equal(outcome.kind, 'rate-limited');
    assert.equal(calls, 3);
    assert.equal(client.requests, 3);
    assert.deepEqual(waits, [1000, 1000]);
  });

  test('refuses to wait longer than maxWaitMs and sends nothing while blocked', async () => {
    let calls = 0;
    const fetchBlocked = (async () => {
      calls += 1;
      return new Response('{}', {
        status: 200,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 3600) },
      });
    }) as typeof fetch;
    const client = createHttpClient({
      baseUrl: 'http://127.0.0.1:1',
      fetch: fetchBlocked,
      now: () => NOW,
      maxWaitMs: 1000,
    });
    assert.equal((await client.request('/a')).kind, 'response');
    assert.equal((await client.request('/b')).kind, 'rate-limited');
    assert.equal(calls, 1);
  });

  test('maps a refused connection to unreachable without the headers', async () => {
    const client = createHttpClient({
      baseUrl: 'http://127.0.0.1:9',
      headers: { authorization: 'Bearer secret-value' },
      timeoutMs: 2000,
    });
    const outcome = await client.request('/');
    assert.equal(outcome.kind, 'unreachable');
    assert.ok(outcome.kind === 'unreachable' && !outcome.reason.includes('secret-value'));
  });
});

describe('clone URL form and expiry', () => {
  test('accepts the expected HTTPS URL and refuses SSH, passwords, HTTP and other repositories', () => {
    const expected = 'https://git.example.test/acme/widgets.git';
    assert.equal(
      checkCloneUrl({ configured: 'https://git.example.test/acme/widgets', expected }).outcome,
      'pass',
    );
    for (const configured of [
      'git@git.example.test:acme/widgets.git',
      'https://u:p@git.example.test/acme/widgets.git',
      'http://git.example.test/acme/widgets.git',
      'https://git.example.test/acme/other.git',
    ]) {
      assert.equal(checkCloneUrl({ configured, expected }).outcome, 'fail', configured);
    }
  });

  test('reports expired and expiring credentials, and nothing far from expiry', () => {
    assert.equal(expiryFindings(NOW - 1, NOW)[0]?.code, 'credential_expired');
    assert.equal(expiryFindings(NOW + 3 * 86_400_000, NOW)[0]?.code, 'credential_expiring');
    assert.deepEqual(expiryFindings(NOW + 30 * 86_400_000, NOW), []);
    assert.deepEqual(
      expiryFindings(NOW + 30 * 86_400_000, NOW, 40).map((finding) => finding.code),
      ['credential_expiring'],
    );
  });
});
