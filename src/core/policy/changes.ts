/**
 * The vocabulary of incremental changes accepted by the policy index and by what-if: the types,
 * and the list of change types for checks at run time (a change read back from the change log).
 */
import type {
  AllowedPipelines,
  Entry,
  IntegrationScope,
  PipelineEntry,
  PolicyIntegration,
  PolicyMember,
  PolicyPipeline,
} from './types.ts';

/**
 * One change to the policy. Every change applied to the index bumps its revision by one (a
 * `batch` bumps it once). Changes are idempotent where they can be: setting what is already set,
 * or removing what is absent, still bumps the revision but changes nothing else.
 */
export type PolicyChange =
  /** Adds a workspace member or replaces their role, role source and project roles. */
  | { readonly type: 'member.upsert'; readonly member: PolicyMember }
  /** Ends a membership. Entries and group memberships stay, inert, until removed on their own. */
  | { readonly type: 'member.remove'; readonly workspaceId: string; readonly userId: string }
  | {
      readonly type: 'group.add-member';
      readonly workspaceId: string;
      readonly groupId: string;
      readonly userId: string;
    }
  | {
      readonly type: 'group.remove-member';
      readonly workspaceId: string;
      readonly groupId: string;
      readonly userId: string;
    }
  /** Deletes a group: its memberships and every integration entry naming it. */
  | { readonly type: 'group.delete'; readonly workspaceId: string; readonly groupId: string }
  | {
      readonly type: 'entry.set-user';
      readonly integrationId: string;
      readonly userId: string;
      readonly entry: Entry;
    }
  | { readonly type: 'entry.remove-user'; readonly integrationId: string; readonly userId: string }
  | {
      readonly type: 'entry.set-group';
      readonly integrationId: string;
      readonly groupId: string;
      readonly entry: Entry;
    }
  | { readonly type: 'entry.remove-group'; readonly integrationId: string; readonly groupId: string }
  | { readonly type: 'admins.set'; readonly integrationId: string; readonly entry: Entry }
  | { readonly type: 'others.set'; readonly integrationId: string; readonly entry: Entry }
  /** Creates an integration or replaces everything the engine knows of it (name, scope, entries, pipelines). */
  | { readonly type: 'integration.upsert'; readonly integration: PolicyIntegration }
  /** Moves an integration to another scope of its workspace; entries and allowed pipelines stay. */
  | { readonly type: 'integration.move'; readonly integrationId: string; readonly scope: IntegrationScope }
  | { readonly type: 'integration.delete'; readonly integrationId: string }
  | {
      readonly type: 'pipelines.set';
      readonly integrationId: string;
      readonly allowedPipelines: AllowedPipelines;
    }
  /** Adds (or re-dates) one pipeline in the allowed list; no effect on `ALL`. */
  | { readonly type: 'pipelines.allow'; readonly integrationId: string; readonly pipeline: PipelineEntry }
  /** Removes one pipeline from the allowed list; no effect on `ALL`. */
  | { readonly type: 'pipelines.disallow'; readonly integrationId: string; readonly pipelineId: string }
  | { readonly type: 'pipeline.upsert'; readonly pipeline: PolicyPipeline }
  | { readonly type: 'pipeline.remove'; readonly pipelineId: string }
  /** Several changes applied in order, as one revision. */
  | { readonly type: 'batch'; readonly changes: readonly PolicyChange[] };

/** The `type` of a {@link PolicyChange}. */
export type PolicyChangeType = PolicyChange['type'];

/** Every change type, for checks at run time. */
export const POLICY_CHANGE_TYPES = [
  'member.upsert',
  'member.remove',
  'group.add-member',
  'group.remove-member',
  'group.delete',
  'entry.set-user',
  'entry.remove-user',
  'entry.set-group',
  'entry.remove-group',
  'admins.set',
  'others.set',
  'integration.upsert',
  'integration.move',
  'integration.delete',
  'pipelines.set',
  'pipelines.allow',
  'pipelines.disallow',
  'pipeline.upsert',
  'pipeline.remove',
  'batch',
] as const satisfies readonly PolicyChangeType[];

// Compile-time: the list names every type (a new change type must be added to it).
type Unlisted = Exclude<PolicyChangeType, (typeof POLICY_CHANGE_TYPES)[number]>;
const everyTypeListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyTypeListed;

const KNOWN_TYPES: ReadonlySet<string> = new Set(POLICY_CHANGE_TYPES);

/**
 * Whether `change` is made only of change types this version knows (a batch: every item, at any
 * depth). A change from a newer version, read back from the change log, is not, and applying it
 * would silently change nothing: the index refuses it instead.
 */
export function isKnownChange(change: PolicyChange): boolean {
  if (typeof change !== 'object' || change === null || !KNOWN_TYPES.has(change.type)) return false;
  return change.type !== 'batch' || (Array.isArray(change.changes) && change.changes.every(isKnownChange));
}
