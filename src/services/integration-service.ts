/**
 * Use cases for integrations: create with an encrypted credential, list, read, edit, replace the
 * credential, delete. Their permissions: `integration-permission-service.ts`.
 */
import { KeyhouseError } from '../core/errors.ts';
import { defaultPermissions } from '../core/policy/levels.ts';
import type { IntegrationScope } from '../core/policy/types.ts';
import { fingerprint } from '../secrets/fingerprint.ts';
import type { EncryptedField, Integration, JsonObject } from '../storage/types.ts';
import {
  auditEvent,
  authorizeIntegration,
  freshIndex,
  type Principal,
  refuse,
  requireRole,
  type ServiceContext,
  write,
} from './context.ts';
import { checkCredentialFields, checkIntegrationShape, credentialTypeOf } from './credential-shape.ts';
import {
  checkSubjects,
  integrationOutFor,
  invalid,
  loadIntegration,
  policyOf,
  settled,
} from './integration-checks.ts';
import {
  CREDENTIAL_META_KEY,
  type CredentialMeta,
  integrationOut,
  permissionsIn,
  type WirePermissions,
} from './wire.ts';

/** Integration use cases. */
export function integrationService(ctx: ServiceContext) {
  const out = (p: Principal, i: Integration) => integrationOutFor(ctx, p, i);
  const load = (ws: string, id: string) => loadIntegration(ctx, ws, id);

  function encrypt(ws: string, integrationId: string, credential: Record<string, string>, version: number) {
    const fields: EncryptedField[] = [];
    const meta: CredentialMeta = { fields: [], fingerprints: {}, replacedAt: ctx.now() };
    for (const [field, value] of Object.entries(credential).sort(([a], [b]) => a.localeCompare(b))) {
      ctx.secrets.register(value);
      const e = ctx.keyring.encrypt({ workspaceId: ws, integrationId, field, version }, value);
      fields.push({ field, keyId: e.keyId, iv: e.iv, tag: e.tag, ciphertext: e.ciphertext, version });
      meta.fields.push(field);
      meta.fingerprints[field] = fingerprint(value);
    }
    return { fields, meta: { ...meta, version } };
  }

  return {
    /** The integrations the caller can see (DENY ones are absent), from the index. */
    async listIntegrations(p: Principal, ws: string, filter: { projectId?: string; provider?: string }) {
      const index = await freshIndex(ctx);
      const m = await ctx.store.getMembership(ws, p.userId);
      if (!m) throw new KeyhouseError('not_found');
      const now = ctx.now();
      const visible = index.listVisible(
        p.userId,
        ws,
        now,
        filter.projectId ? { projectId: filter.projectId } : {},
      );
      // Only the visible ones are read (by id): a member who sees a few of a large workspace's
      // integrations does not read all of them with every entry.
      const seen = await ctx.store.listIntegrations(ws, {
        ids: visible,
        ...(filter.provider ? { provider: filter.provider } : {}),
      });
      return seen.map((i) => integrationOut(i, index.level(p.userId, i.id, now)));
    },
    /** Creates an integration; needs role ≥ collaborator (and membership of the project for PROJECT scope). */
    async createIntegration(
      p: Principal,
      ws: string,
      input: {
        id?: string;
        name: string;
        provider: string;
        credentialType: string;
        scope: IntegrationScope;
        config?: Record<string, unknown>;
        credential: Record<string, string>;
        permissions?: Partial<WirePermissions>;
      },
    ) {
      const m = await requireRole(ctx, p, ws, 'collaborator', 'integration.create');
      checkIntegrationShape(ctx.catalogue, input);
      if (input.config && CREDENTIAL_META_KEY in input.config)
        throw invalid(`body.config.${CREDENTIAL_META_KEY}`, 'is reserved');
      if (input.scope.type === 'PROJECT') {
        if (!(await ctx.store.getProject(ws, input.scope.projectId)))
          throw invalid('body.scope.projectId', 'is not a project of this workspace');
        const projectRole = (
          await ctx.store.listProjectRoles(ws, { projectId: input.scope.projectId, userId: p.userId })
        )[0];
        if (m.role !== 'admin' && projectRole?.role === 'member') {
          await refuse(ctx, p, ws, 'integration.create', 'project', input.scope.projectId, {
            needs: 'collaborator',
            has: 'member',
          });
        }
      }
      const id = input.id ?? crypto.randomUUID();
      const defaults = defaultPermissions(p.userId);
      const wire = input.permissions;
      const set = wire
        ? permissionsIn({
            admins: wire.admins ?? { level: 'MANAGE' },
            others: wire.others ?? { level: 'USE' },
            users: wire.users ?? [{ id: p.userId, level: 'MANAGE' }],
            groups: wire.groups ?? [],
            allowedPipelines: wire.allowedPipelines ?? 'ALL',
          })
        : defaults;
      const { fields, meta } = encrypt(ws, id, input.credential, 1);
      const created = await write(ctx, ws, async (tx) => {
        await checkSubjects(tx, ws, input.scope, set);
        const i = await tx.createIntegration({
          id,
          workspaceId: ws,
          scope: input.scope,
          provider: input.provider,
          credentialType: input.credentialType,
          name: input.name,
          config: { ...(input.config ?? {}), [CREDENTIAL_META_KEY]: meta } as unknown as JsonObject,
          createdBy: p.userId,
          permissions: set.permissions,
          allowedPipelines: set.allowedPipelines,
          secrets: fields,
        });
        return {
          result: i,
          change: { type: 'integration.upsert', integration: policyOf(i) },
          audit: [
            auditEvent(p, ws, 'integration.create', 'integration', i.id, {
              after: {
                name: i.name,
                provider: i.provider,
                credentialType: i.credentialType,
                scope: i.scope,
                credential: 'set',
                credentialFields: meta.fields,
              },
            }),
          ],
        };
      });
      return out(p, created);
    },
    async getIntegration(p: Principal, ws: string, id: string) {
      await authorizeIntegration(ctx, p, ws, id, 'integration.view');
      return out(p, await load(ws, id));
    },
    /** Edits name and non-secret config; MANAGE, If-Match. */
    async updateIntegration(
      p: Principal,
      ws: string,
      id: string,
      expected: number,
      input: { name?: string; config?: Record<string, unknown> },
    ) {
      await authorizeIntegration(ctx, p, ws, id, 'integration.edit');
      if (input.config && CREDENTIAL_META_KEY in input.config)
        throw invalid(`body.config.${CREDENTIAL_META_KEY}`, 'is reserved');
      const before = await load(ws, id);
      const meta = (before.config as Record<string, unknown>)[CREDENTIAL_META_KEY];
      const updated = await write(ctx, ws, async (tx) => {
        const i = settled(
          await tx.updateIntegration(ws, id, expected, {
            ...(input.name === undefined ? {} : { name: input.name }),
            ...(input.config === undefined
              ? {}
              : { config: { ...input.config, [CREDENTIAL_META_KEY]: meta } as JsonObject }),
          }),
        );
        return {
          result: i,
          change: { type: 'integration.upsert', integration: policyOf(i) },
          audit: [
            auditEvent(p, ws, 'integration.update', 'integration', id, {
              before: { name: before.name },
              after: { name: i.name, configKeys: Object.keys(input.config ?? {}) },
            }),
          ],
        };
      });
      return out(p, updated);
    },
    /** Replaces the whole credential; MANAGE, If-Match. Audited as "replaced", never with a value. */
    async replaceCredential(
      p: Principal,
      ws: string,
      id: string,
      expected: number,
      credential: Record<string, string>,
    ) {
      await authorizeIntegration(ctx, p, ws, id, 'integration.edit');
      const before = await load(ws, id);
      checkCredentialFields(
        credentialTypeOf(ctx.catalogue, before.provider, before.credentialType),
        credential,
      );
      const oldMeta = (before.config as Record<string, unknown>)[CREDENTIAL_META_KEY] as
        | (CredentialMeta & { version?: number })
        | undefined;
      const version = (oldMeta?.version ?? 1) + 1;
      const { fields, meta } = encrypt(ws, id, credential, version);
      const updated = await write(ctx, ws, async (tx) => {
        const r = await tx.replaceIntegrationSecrets(ws, id, expected, fields);
        if (r.status === 'not_found') throw new KeyhouseError('not_found');
        if (r.status === 'conflict') throw new KeyhouseError('precondition_failed');
        const { [CREDENTIAL_META_KEY]: _old, ...config } = before.config as Record<string, unknown>;
        const i = settled(
          await tx.updateIntegration(ws, id, r.version, {
            config: { ...config, [CREDENTIAL_META_KEY]: meta } as JsonObject,
          }),
        );
        return {
          result: i,
          audit: [
            auditEvent(p, ws, 'integration.credential.replace', 'integration', id, {
              after: { credential: 'replaced', credentialFields: meta.fields },
            }),
          ],
        };
      });
      return out(p, updated);
    },
    /** Deletes; DELETE_ONLY or MANAGE. */
    async deleteIntegration(p: Principal, ws: string, id: string) {
      await authorizeIntegration(ctx, p, ws, id, 'integration.delete');
      await write(ctx, ws, async (tx) => {
        const r = await tx.deleteIntegration(ws, id);
        if (r !== 'deleted') throw new KeyhouseError('not_found');
        return {
          result: undefined,
          change: { type: 'integration.delete', integrationId: id },
          audit: [auditEvent(p, ws, 'integration.delete', 'integration', id)],
        };
      });
    },
  };
}
