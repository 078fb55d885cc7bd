/**
 * Verification use cases: verify an integration now, read its verification history, run the
 * doctor's prerequisites checklist, and diagnose an error text against the caller's integrations.
 * Verifying and the doctor need `integration.verify` (USE or MANAGE); hidden integrations are 404.
 */
import { type DiagnoseIntegration, type Diagnosis, diagnose } from '../core/diagnose/index.ts';
import { KeyhouseError } from '../core/errors.ts';
import {
  doctorChecklist,
  type VerificationCheck,
  type VerificationFinding,
} from '../core/verification/index.ts';
import type { Identity } from '../providers/types.ts';
import type { Integration } from '../storage/types.ts';
import type { VerificationRecord } from '../storage/verification.ts';
import { authorizeIntegration, freshIndex, type Principal, type ServiceContext } from './context.ts';
import {
  recordVerification,
  runVerification,
  type VerificationRun,
  type VerifyRunOptions,
} from './verification-run.ts';
import { iso } from './wire.ts';

/** Options of {@link verificationService}. */
export type VerificationServiceOptions = VerifyRunOptions;

/** A verification on the wire (times as ISO 8601). */
export function verificationOut(run: VerificationRun) {
  return {
    integrationId: run.integrationId,
    provider: run.provider,
    status: run.status,
    checkedAt: iso(run.checkedAt),
    findings: [...run.findings],
    checks: [...run.checks],
    ...(run.identity === undefined ? {} : { identity: run.identity }),
    ...(run.grantedScopes === undefined ? {} : { grantedScopes: [...run.grantedScopes] }),
    ...(run.expiresAt === undefined ? {} : { expiresAt: iso(run.expiresAt) }),
    requests: run.requests,
  };
}

/** A history entry on the wire. */
export function historyEntryOut(r: VerificationRecord) {
  return {
    id: r.id,
    at: iso(r.at),
    status: r.status,
    // Written by recordVerification from these very types.
    findings: [...r.findings] as unknown as VerificationFinding[],
    checks: [...r.checks] as unknown as VerificationCheck[],
    identity: r.identity as Identity | null,
    requests: r.requests,
    actor: r.actor,
  };
}

const CONFIG_HINTS = ['host', 'registry', 'bucket', 'endpoint'] as const;

/** The non-secret part of an integration diagnose may match an error text against. */
export function diagnoseIntegrationOf(i: Integration): DiagnoseIntegration {
  const config = i.config as Record<string, unknown>;
  const hints: Record<string, string> = {};
  for (const key of CONFIG_HINTS) {
    const value = config[key];
    if (typeof value === 'string' && value !== '') hints[key] = value;
  }
  return {
    id: i.id,
    name: i.name,
    provider: i.provider,
    ...(Object.keys(hints).length === 0 ? {} : { config: hints }),
  };
}

/** Verification use cases over a context. */
export function verificationService(ctx: ServiceContext, options: VerificationServiceOptions = {}) {
  async function load(ws: string, id: string): Promise<Integration> {
    const i = await ctx.store.getIntegration(ws, id);
    if (!i) throw new KeyhouseError('not_found');
    return i;
  }

  return {
    /** Verifies an integration now: stores the status, appends the history, audits. */
    async verifyIntegration(p: Principal, ws: string, id: string) {
      await authorizeIntegration(ctx, p, ws, id, 'integration.verify');
      const i = await load(ws, id);
      const run = await runVerification(ctx, i, options);
      await recordVerification(ctx, i, run, { actor: p.userId, requestId: p.requestId ?? null });
      return verificationOut(run);
    },
    /** An integration's verifications, newest first; visible to whoever sees the integration. */
    async getVerificationHistory(
      p: Principal,
      ws: string,
      id: string,
      query: { limit?: number; before?: string } = {},
    ) {
      await authorizeIntegration(ctx, p, ws, id, 'integration.view');
      const before = query.before === undefined ? undefined : Date.parse(query.before);
      if (before !== undefined && !Number.isFinite(before)) {
        throw new KeyhouseError('validation_failed', undefined, {
          details: { fields: [{ path: 'querystring.before', message: 'is not a date-time' }] },
        });
      }
      const items = await ctx.store.listVerificationHistory(ws, id, {
        ...(query.limit === undefined ? {} : { limit: query.limit }),
        ...(before === undefined ? {} : { before }),
      });
      return { items: items.map(historyEntryOut) };
    },
    /** The prerequisites checklist, from a fresh verification (recorded nowhere: a doctor only looks). */
    async doctor(p: Principal, ws: string, id: string) {
      await authorizeIntegration(ctx, p, ws, id, 'integration.verify');
      const i = await load(ws, id);
      const run = await runVerification(ctx, i, options);
      const report = doctorChecklist(i.provider, run);
      return {
        integrationId: i.id,
        provider: i.provider,
        status: report.status,
        ok: report.ok,
        checkedAt: iso(run.checkedAt),
        checks: [...report.checks],
      };
    },
    /** Explains an error text, naming one of the caller's visible integrations when it fits. */
    async diagnose(p: Principal, ws: string, input: { text: string; status?: number; provider?: string }) {
      const m = await ctx.store.getMembership(ws, p.userId);
      if (!m) throw new KeyhouseError('not_found');
      const index = await freshIndex(ctx);
      const visible = index.listVisible(p.userId, ws, ctx.now());
      const integrations = (await ctx.store.listIntegrations(ws, { ids: visible })).map(
        diagnoseIntegrationOf,
      );
      const d: Diagnosis = diagnose({
        text: input.text,
        ...(input.status === undefined ? {} : { status: input.status }),
        ...(input.provider === undefined ? {} : { provider: input.provider }),
        integrations,
      });
      return { ...d, steps: [...d.steps], matched: [...d.matched], alternatives: [...d.alternatives] };
    },
  };
}
