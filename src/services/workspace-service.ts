/** Use cases for workspaces, projects and pipelines. */
import { KeyhouseError } from '../core/errors.ts';
import type { Pipeline, Project, Workspace } from '../storage/types.ts';
import {
  auditEvent,
  membershipOf,
  type Principal,
  requireRole,
  type ServiceContext,
  write,
} from './context.ts';
import { iso } from './wire.ts';

function projectOut(p: Project) {
  return {
    id: p.id,
    workspaceId: p.workspaceId,
    name: p.name,
    repository: p.repository ?? null,
    createdAt: iso(p.createdAt),
  };
}

function pipelineOut(p: Pipeline) {
  return {
    id: p.id,
    workspaceId: p.workspaceId,
    projectId: p.projectId,
    name: p.name,
    createdAt: iso(p.createdAt),
  };
}

/** Workspace, project and pipeline use cases. */
export function workspaceService(ctx: ServiceContext) {
  const wsOut = (w: Workspace, role: string | null) => ({
    id: w.id,
    name: w.name,
    yourRole: role as 'admin' | 'collaborator' | 'member' | null,
    createdAt: iso(w.createdAt),
  });
  return {
    /** The workspaces the caller is a member of. */
    async listWorkspaces(p: Principal) {
      const list = await ctx.store.listWorkspacesOfUser(p.userId);
      const roles = await Promise.all(list.map((w) => ctx.store.getMembership(w.id, p.userId)));
      return list.map((w, i) => wsOut(w, roles[i]?.role ?? null));
    },
    /** Creates a workspace; the caller becomes its admin. Its data key is created with it. */
    async createWorkspace(p: Principal, input: { id?: string; name: string }) {
      const id = input.id ?? slugOf(input.name);
      return write(ctx, id, async (tx) => {
        const w = await tx.createWorkspace({ id, name: input.name });
        const wrapped = ctx.keyring.createWorkspaceKey(w.id);
        await tx.createWorkspaceKey({
          workspaceId: w.id,
          keyId: wrapped.keyId,
          wrappedKey: wrapped.wrapped,
          masterKeyId: wrapped.masterKeyId,
        });
        const member = await tx.setMembership({
          workspaceId: w.id,
          userId: p.userId,
          role: 'admin',
          roleSource: { kind: 'manual' },
        });
        return {
          result: wsOut(w, 'admin'),
          change: {
            type: 'member.upsert',
            member: { userId: p.userId, workspaceId: w.id, role: member.role, roleSource: member.roleSource },
          },
          audit: [auditEvent(p, w.id, 'workspace.create', 'workspace', w.id, { after: { name: w.name } })],
        };
      });
    },
    /** One workspace; 404 for non-members. */
    async getWorkspace(p: Principal, ws: string) {
      const m = await membershipOf(ctx, p, ws);
      const w = await ctx.store.getWorkspace(ws);
      if (!w) throw new KeyhouseError('not_found');
      return wsOut(w, m.role);
    },
    /** Deletes a workspace and destroys its data key (crypto-shredding). Admins only. */
    async deleteWorkspace(p: Principal, ws: string) {
      await requireRole(ctx, p, ws, 'admin', 'workspace.delete');
      await ctx.sync.serialized(async () => {
        await ctx.store.transaction(async (tx) => {
          await tx.deleteWorkspace(ws);
          await tx.recordChange('workspace.delete', { workspaceId: ws });
        });
        ctx.keyring.destroyWorkspace(ws);
        await ctx.sync.rebuild();
      });
    },
    async listProjects(p: Principal, ws: string) {
      await membershipOf(ctx, p, ws);
      return (await ctx.store.listProjects(ws)).map(projectOut);
    },
    async getProject(p: Principal, ws: string, projectId: string) {
      await membershipOf(ctx, p, ws);
      const project = await ctx.store.getProject(ws, projectId);
      if (!project) throw new KeyhouseError('not_found');
      return projectOut(project);
    },
    /** Creates a project; collaborators and admins. */
    async createProject(
      p: Principal,
      ws: string,
      input: { id?: string; name: string; repository?: { host: string; fullName: string } },
    ) {
      await requireRole(ctx, p, ws, 'collaborator', 'project.create');
      return write(ctx, ws, async (tx) => {
        const project = await tx.createProject({
          workspaceId: ws,
          name: input.name,
          ...(input.id ? { id: input.id } : {}),
          ...(input.repository ? { repository: input.repository } : {}),
        });
        return {
          result: projectOut(project),
          audit: [
            auditEvent(p, ws, 'project.create', 'project', project.id, { after: { name: project.name } }),
          ],
        };
      });
    },
    /** Deletes a project with its pipelines and PROJECT integrations; admins only. */
    async deleteProject(p: Principal, ws: string, projectId: string) {
      await requireRole(ctx, p, ws, 'admin', 'project.delete');
      await ctx.sync.serialized(async () => {
        const found = await ctx.store.transaction(async (tx) => {
          const ok = await tx.deleteProject(ws, projectId);
          if (ok) {
            await tx.appendAudit(auditEvent(p, ws, 'project.delete', 'project', projectId));
            await tx.recordChange('project.delete', { workspaceId: ws, projectId });
          }
          return ok;
        });
        if (!found) throw new KeyhouseError('not_found');
        await ctx.sync.rebuild();
      });
    },
    async listPipelines(p: Principal, ws: string, projectId: string) {
      await membershipOf(ctx, p, ws);
      if (!(await ctx.store.getProject(ws, projectId))) throw new KeyhouseError('not_found');
      return (await ctx.store.listPipelines(ws, { projectId })).map(pipelineOut);
    },
    async createPipeline(p: Principal, ws: string, projectId: string, input: { id?: string; name: string }) {
      await requireRole(ctx, p, ws, 'collaborator', 'pipeline.create');
      if (!(await ctx.store.getProject(ws, projectId))) throw new KeyhouseError('not_found');
      return write(ctx, ws, async (tx) => {
        const pl = await tx.createPipeline({
          workspaceId: ws,
          projectId,
          name: input.name,
          ...(input.id ? { id: input.id } : {}),
        });
        return {
          result: pipelineOut(pl),
          change: {
            type: 'pipeline.upsert',
            pipeline: { id: pl.id, workspaceId: ws, projectId, name: pl.name },
          },
          audit: [
            auditEvent(p, ws, 'pipeline.create', 'pipeline', pl.id, { after: { name: pl.name, projectId } }),
          ],
        };
      });
    },
    async deletePipeline(p: Principal, ws: string, projectId: string, pipelineId: string) {
      await requireRole(ctx, p, ws, 'collaborator', 'pipeline.delete');
      const pl = await ctx.store.getPipeline(ws, pipelineId);
      if (!pl || pl.projectId !== projectId) throw new KeyhouseError('not_found');
      await write(ctx, ws, async (tx) => {
        await tx.deletePipeline(ws, pipelineId);
        return {
          result: undefined,
          change: { type: 'pipeline.remove', pipelineId },
          audit: [auditEvent(p, ws, 'pipeline.delete', 'pipeline', pipelineId)],
        };
      });
    },
  };
}

/** A workspace id from its name: lower-case letters, digits and dashes. */
export function slugOf(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug === '' ? crypto.randomUUID() : slug;
}
