/**
 * The scopes of the policy index: groups and projects interned per workspace, pipelines, and each
 * live integration's place in its scope's bucket (the WORKSPACE bucket or its project's). Internal
 * to the policy index; the state lives in {@link IndexStore}.
 */
import { AT_PROJECT, AT_WORKSPACE, capacityError, grow, RECORD, removeValue } from './index-layout.ts';
import type { IndexStore } from './index-store.ts';

/** Interns a group of a workspace. */
export function internGroup(s: IndexStore, w: number, id: string): number {
  const keys = s.workspaceGroupKeys[w]!;
  let g = keys.get(id);
  if (g === undefined) {
    if (s.groupIds.length >= s.limits.groups) throw capacityError('groups');
    g = s.groupIds.push(id) - 1;
    keys.set(id, g);
    s.groupWorkspace = grow(s.groupWorkspace, g + 1, 0);
    s.groupWorkspace[g] = w;
    s.groupMembers.ensureList(g);
    s.groupEntries.ensureList(g);
  }
  return g;
}

/** Interns a project of a workspace. */
export function internProject(s: IndexStore, w: number, id: string): number {
  const keys = s.workspaceProjectKeys[w]!;
  let p = keys.get(id);
  if (p === undefined) {
    if (s.projectIds.length >= s.limits.projects) throw capacityError('projects');
    p = s.projectIds.push(id) - 1;
    keys.set(id, p);
    s.projectBucket.push([]);
    s.workspaceProjects[w]!.push(p);
  }
  return p;
}

/** Interns a pipeline id (global). */
export function internPipeline(s: IndexStore, id: string): number {
  let q = s.pipelineKeys.get(id);
  if (q === undefined) {
    q = s.pipelineIds.push(id) - 1;
    s.pipelineKeys.set(id, q);
    s.pipelineNames.push(undefined);
    s.pipelineWorkspace = grow(s.pipelineWorkspace, q + 1, -1);
    s.pipelineProject = grow(s.pipelineProject, q + 1, -1);
  }
  return q;
}

/** Puts a live integration into its scope bucket (WORKSPACE bucket or its project's). */
export function placeIntegration(s: IndexStore, i: number, w: number, p: number): void {
  s.workspaceListing[w] = undefined;
  s.records[i * RECORD + AT_WORKSPACE] = w;
  s.records[i * RECORD + AT_PROJECT] = p;
  s.mirror(i);
  (p < 0 ? s.workspaceBucket[w]! : s.projectBucket[p]!).push(i);
}

/** Takes an integration out of its scope bucket. */
export function unplaceIntegration(s: IndexStore, i: number): void {
  const w = s.workspaceOf(i);
  if (w < 0) return;
  const p = s.projectOf(i);
  s.workspaceListing[w] = undefined;
  removeValue(p < 0 ? s.workspaceBucket[w] : s.projectBucket[p], i);
  s.records[i * RECORD + AT_WORKSPACE] = -1;
  s.records[i * RECORD + AT_PROJECT] = -1;
  s.mirror(i);
}

/** The group of a workspace by id, or -1 (without interning). */
export function findGroup(s: IndexStore, w: number, id: string): number {
  return s.workspaceGroupKeys[w]?.get(id) ?? -1;
}

/** The project of a workspace by id, or -1 (without interning). */
export function findProject(s: IndexStore, w: number, id: string): number {
  return s.workspaceProjectKeys[w]?.get(id) ?? -1;
}
