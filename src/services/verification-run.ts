/**
 * One verification of one integration, without authorization (the callers check it): decrypt
 * the credential in memory only, ask the provider's adapter (unless the host's rate limit says
 * wait), compute the status in the pure core, and record it (status, history, audit).
 */

import { KeyhouseError } from '../core/errors.ts';
import { computeVerification, type VerificationOutcome } from '../core/verification/index.ts';
import { adapterFor } from '../providers/registry.ts';
import type { Identity, Introspection } from '../providers/types.ts';
import type { Integration, JsonObject, JsonValue } from '../storage/types.ts';
import { type ServiceContext, write } from './context.ts';
import { gateOf, hostKeyOf } from './verification-rate-gate.ts';
import { CREDENTIAL_META_KEY } from './wire.ts';

/** Options of a verification run. */
export interface VerifyRunOptions {
  /** Days before expiry from which a credential is `expiring` (default 14). */
  readonly expiryWindowDays?: number;
  /** Time limit of one adapter call in ms (default 60 s). */
  readonly timeoutMs?: number;
}

/** A verification as computed, before or after it is recorded. */
export interface VerificationRun extends VerificationOutcome {
  readonly integrationId: string;
  readonly provider: string;
  /** Epoch ms. */
  readonly checkedAt: number;
  readonly identity?: Identity;
  readonly grantedScopes?: readonly string[];
  readonly expiresAt?: number;
  readonly requests: number;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The non-secret part of the config the adapter gets (without the credential metadata). */
function plainConfig(i: Integration): Record<string, unknown> {
  const { [CREDENTIAL_META_KEY]: _meta, ...config } = i.config as Record<string, unknown>;
  return config;
}

/** Decrypts every credential field in memory; each value is registered with the redactor first. */
async function decryptCredential(ctx: ServiceContext, i: Integration): Promise<Record<string, string>> {
  const fields = await ctx.store.getIntegrationSecrets(i.workspaceId, i.id);
  const credential: Record<string, string> = {};
  for (const f of fields) {
    let value: string;
    try {
      value = ctx.keyring.decrypt(
        { workspaceId: i.workspaceId, integrationId: i.id, field: f.field, version: f.version },
        {
          keyId: f.keyId,
          iv: Buffer.from(f.iv),
          tag: Buffer.from(f.tag),
          ciphertext: Buffer.from(f.ciphertext),
        },
      );
    } catch (error) {
      throw new KeyhouseError('sealed', 'The credential of this integration cannot be decrypted.', {
        cause: error,
      });
    }
    ctx.secrets.register(value);
    credential[f.field] = value;
  }
  return credential;
}

/** What is reported when the host's rate limit forbids a request now. */
function heldBack(until: number): Introspection {
  return {
    reach: 'rate-limited',
    checks: [],
    findings: [
      {
        code: 'rate_limited',
        severity: 'warning',
        message: `The host's rate limit asks to wait until ${new Date(until).toISOString()}; no request was sent.`,
        fix: 'Verify again after that time; scheduled verifications wait for it by themselves.',
        check: 'token-valid',
      },
    ],
    rateLimit: { retryAfter: until },
    requests: 0,
  };
}

/** An adapter that threw (a bug, not a host answer): reported, never with the error text. */
function adapterFailed(error: unknown): Introspection {
  const timeout = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
  return {
    reach: 'unreachable',
    checks: [],
    findings: [
      {
        code: 'provider_unreachable',
        severity: 'error',
        message: timeout ? 'The host did not answer in time.' : 'The verification failed inside Keyhouse.',
        fix: timeout
          ? 'Check the network path to the host, then verify again.'
          : 'Verify again; report it if it persists.',
        check: 'token-valid',
      },
    ],
    requests: 0,
  };
}

async function introspect(
  ctx: ServiceContext,
  i: Integration,
  options: VerifyRunOptions,
): Promise<Introspection> {
  const adapter = adapterFor(i.provider);
  if (adapter === undefined) {
    throw new KeyhouseError('provider_unreachable', `No adapter verifies ${i.provider} integrations yet.`);
  }
  const gate = gateOf(ctx);
  const host = hostKeyOf(i);
  const until = gate.blockedUntil(host, ctx.now());
  if (until !== undefined) return heldBack(until);
  const config = plainConfig(i);
  const credential = await decryptCredential(ctx, i);
  let intro: Introspection;
  try {
    intro = await adapter.verify({
      integrationId: i.id,
      provider: i.provider,
      credentialType: i.credentialType,
      config,
      features: stringList(config['features']),
      credential,
      now: ctx.now(),
      signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
      catalogue: ctx.catalogue,
    });
  } catch (error) {
    intro = adapterFailed(error);
  }
  gate.record(host, intro.requests, intro.rateLimit, ctx.now());
  return intro;
}

/** Runs a verification of `i` and computes its status; records nothing. */
export async function runVerification(
  ctx: ServiceContext,
  i: Integration,
  options: VerifyRunOptions = {},
): Promise<VerificationRun> {
  const intro = await introspect(ctx, i, options);
  const config = plainConfig(i);
  const host = config['host'];
  const now = ctx.now();
  const outcome = computeVerification({
    catalogue: ctx.catalogue,
    provider: i.provider,
    credentialType: i.credentialType,
    features: stringList(config['features']),
    ...(typeof host === 'string' && host !== '' ? { host } : {}),
    introspection: intro,
    now,
    ...(options.expiryWindowDays === undefined ? {} : { expiryWindowDays: options.expiryWindowDays }),
  });
  return {
    integrationId: i.id,
    provider: i.provider,
    checkedAt: now,
    ...outcome,
    ...(intro.identity === undefined ? {} : { identity: intro.identity }),
    ...(intro.grantedScopes === undefined ? {} : { grantedScopes: intro.grantedScopes }),
    ...(intro.expiresAt === undefined ? {} : { expiresAt: intro.expiresAt }),
    requests: intro.requests,
  };
}

const json = (value: unknown): JsonValue => JSON.parse(JSON.stringify(value ?? null)) as JsonValue;

/** Stores the status on the integration, appends it to the history and audits it, in one transaction. */
export async function recordVerification(
  ctx: ServiceContext,
  i: Integration,
  run: VerificationRun,
  by: { readonly actor: string; readonly requestId?: string | null },
): Promise<void> {
  const latest = {
    status: run.status,
    checkedAt: run.checkedAt,
    findings: run.findings,
    ...(run.identity === undefined ? {} : { identity: run.identity }),
    ...(run.expiresAt === undefined ? {} : { expiresAt: run.expiresAt }),
    ...(run.grantedScopes === undefined ? {} : { grantedScopes: run.grantedScopes }),
  };
  await write(ctx, i.workspaceId, async (tx) => {
    if (!(await tx.setIntegrationVerification(i.workspaceId, i.id, json(latest)))) {
      throw new KeyhouseError('not_found');
    }
    await tx.appendVerificationHistory({
      workspaceId: i.workspaceId,
      integrationId: i.id,
      at: run.checkedAt,
      status: run.status,
      findings: json(run.findings) as JsonValue[],
      checks: json(run.checks) as JsonValue[],
      identity: run.identity === undefined ? null : (json(run.identity) as JsonObject),
      requests: run.requests,
      actor: by.actor,
    });
    return {
      result: undefined,
      audit: [
        {
          workspaceId: i.workspaceId,
          actor: by.actor,
          requestId: by.requestId ?? null,
          action: 'integration.verify',
          targetType: 'integration',
          targetId: i.id,
          after: {
            status: run.status,
            findings: run.findings.map((f) => f.code),
            requests: run.requests,
          },
        },
      ],
    };
  });
}
