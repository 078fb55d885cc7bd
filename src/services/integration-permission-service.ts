/**
 * Use cases for an integration's permissions: replace them (If-Match) and allow one more
 * pipeline (grant-and-retry). The integration itself: `integration-service.ts`.
 */
import { KeyhouseError } from '../core/errors.ts';
import type { PolicyChange } from '../core/policy/changes.ts';
import type { Integration } from '../storage/types.ts';
import { auditEvent, authorizeIntegration, type Principal, type ServiceContext, write } from './context.ts';
import {
  checkSubjects,
  integrationOutFor,
  invalid,
  loadIntegration,
  policyOf,
  settled,
} from './integration-checks.ts';
import { permissionsIn, type WirePermissions } from './wire.ts';

/** Use cases for an integration's permissions: replace them (If-Match), allow one more pipeline. */
export function integrationPermissionService(ctx: ServiceContext) {
  const out = (p: Principal, i: Integration) => integrationOutFor(ctx, p, i);
  const load = (ws: string, id: string) => loadIntegration(ctx, ws, id);
  return {
    /** Replaces permissions and allowed pipelines; MANAGE, If-Match. */
    async setPermissions(p: Principal, ws: string, id: string, expected: number, body: WirePermissions) {
      await authorizeIntegration(ctx, p, ws, id, 'integration.manage-permissions');
      const before = await load(ws, id);
      const set = permissionsIn(body);
      const updated = await write(ctx, ws, async (tx) => {
        await checkSubjects(tx, ws, before.scope, set);
        const i = settled(await tx.updateIntegrationPermissions(ws, id, expected, set));
        const change: PolicyChange = { type: 'integration.upsert', integration: policyOf(i) };
        return {
          result: i,
          change,
          audit: [
            auditEvent(p, ws, 'integration.permissions.update', 'integration', id, {
              before: JSON.parse(
                JSON.stringify({
                  permissions: before.permissions,
                  allowedPipelines: before.allowedPipelines,
                }),
              ),
              after: JSON.parse(JSON.stringify(set)),
            }),
          ],
        };
      });
      return out(p, updated);
    },
    /** Adds a pipeline to the allowed list (grant-and-retry); USE or MANAGE. */
    async allowPipeline(
      p: Principal,
      ws: string,
      id: string,
      input: { pipelineId: string; expiresAt?: string },
    ) {
      await authorizeIntegration(ctx, p, ws, id, 'integration.grant-pipeline');
      const before = await load(ws, id);
      const expiresAt = input.expiresAt === undefined ? undefined : Date.parse(input.expiresAt);
      const updated = await write(ctx, ws, async (tx) => {
        const pl = await tx.getPipeline(ws, input.pipelineId);
        if (!pl) throw invalid('body.pipelineId', 'is not a pipeline of this workspace');
        if (before.scope.type === 'PROJECT' && pl.projectId !== before.scope.projectId) {
          throw invalid('body.pipelineId', 'belongs to another project than this PROJECT integration');
        }
        const i = await tx.allowPipeline(ws, id, input.pipelineId, expiresAt);
        if (!i) throw new KeyhouseError('not_found');
        return {
          result: i,
          change: { type: 'integration.upsert', integration: policyOf(i) },
          audit: [
            auditEvent(p, ws, 'integration.pipeline.allow', 'integration', id, {
              after: { pipelineId: input.pipelineId, expiresAt: input.expiresAt ?? null },
            }),
          ],
        };
      });
      return out(p, updated);
    },
  };
}
