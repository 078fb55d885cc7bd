/**
 * Everything the policy engine needs to build its in-memory index, read in one consistent
 * transaction together with the change-log revision it reflects.
 */
import type { Compilable, Kysely, Transaction } from 'kysely';
import { levelNamed, roleNamed } from '../core/policy/levels.ts';
import type {
  Entry,
  IntegrationScope,
  Level,
  PipelineEntry,
  PolicyIntegration,
  PolicyMember,
  PolicyPipeline,
  Role,
  RoleSource,
  SubjectEntry,
  UserEntry,
} from '../core/policy/types.ts';
import type { Backend } from './backend.ts';
import { IDS_PER_QUERY, parseJson, type RepoContext } from './context.ts';
import type { Database } from './schema.ts';

/** A group as the policy engine sees it. */
export interface PolicyGroup {
  readonly id: string;
  readonly workspaceId: string;
  readonly name: string;
  readonly memberIds: readonly string[];
  /** Each member's `users.seq`, in the order of `memberIds` (-1 where the row has none). */
  readonly memberSeqs: readonly number[];
}

/** A project as the policy engine sees it. */
export interface PolicyProject {
  readonly id: string;
  readonly workspaceId: string;
  readonly name: string;
}

/** The policy data of every workspace (or one), at `revision`. */
export interface PolicySnapshot {
  /** The change-log revision this snapshot includes; catch up with `changesSince(revision)`. */
  readonly revision: number;
  readonly workspaceIds: readonly string[];
  /** Each member's `projectRoles`, where it has any, is a record without prototype. */
  readonly members: readonly PolicyMember[];
  readonly groups: readonly PolicyGroup[];
  readonly projects: readonly PolicyProject[];
  readonly pipelines: readonly PolicyPipeline[];
  readonly integrations: readonly PolicyIntegration[];
}

/**
 * Hands each row of a select to `onRow` as its column values (typed by the caller as the select
 * lists them), as the backend hands them over: on SQLite one row at a time from the statement, so
 * a million entries are never a million row objects at once.
 */
type EachRow = <Row extends readonly unknown[]>(
  query: Compilable,
  onRow: (row: Row) => void,
) => Promise<void>;

/** What an integration's entries are gathered into while its rows come (`users` and `groups` grow). */
interface Gathered {
  readonly id: string;
  readonly workspaceId: string;
  readonly name: string;
  readonly scope: IntegrationScope;
  readonly createdBy?: string;
  readonly permissions: { admins: Entry; others: Entry; users: UserEntry[]; groups: SubjectEntry[] };
  readonly allowedPipelines: 'ALL' | PipelineEntry[];
}

/** At most this many distinct role sources are kept parsed while members are read. */
const SHARED_SOURCES = 1_000;

/**
 * An `admins` or `others` entry. Levels and roles are handed over as the engine's own strings
 * (`levelNamed`, `roleNamed`), not as the string the driver made for each row.
 */
const entry = (level: string, expiresAt: number | null): Entry =>
  expiresAt === null ? { level: levelNamed(level) } : { level: levelNamed(level), expiresAt };

/** A user or group entry, with the user's number where its row has one. */
function subjectEntry(id: string, level: Level, expiresAt: number | null, userSeq: number | null): UserEntry {
  if (userSeq === null) return expiresAt === null ? { id, level } : { id, level, expiresAt };
  return expiresAt === null ? { id, level, userSeq } : { id, level, expiresAt, userSeq };
}

/**
 * The members' user ids by sequence number (`users.seq`, migration 0007): one string per user,
 * handed to every member, entry and group membership that names the user.
 */
type IdsBySeq = (string | undefined)[];

/**
 * Rows that name a user by a number no member read here brought (a user without a membership in
 * what is read): each is filled in once the ids of those rows are read, by number.
 */
class Waiting {
  private readonly rows: {
    readonly key: string;
    readonly seq: number;
    readonly fill: (id: string) => void;
  }[] = [];

  /** A row of `key` (its integration or group) naming user number `seq`; `fill` takes its id. */
  add(key: string, seq: number, fill: (id: string) => void): void {
    this.rows.push({ key, seq, fill });
  }

  /** Reads the rows' ids by lists of numbers (`read` answers key, number and id per row) and fills them in. */
  async fill(
    read: (seqs: number[]) => Promise<readonly (readonly [string, number, string])[]>,
  ): Promise<void> {
    if (this.rows.length === 0) return;
    const seqs = [...new Set(this.rows.map((row) => row.seq))];
    const found = new Map<string, string>();
    for (let from = 0; from < seqs.length; from += IDS_PER_QUERY)
      for (const [key, seq, id] of await read(seqs.slice(from, from + IDS_PER_QUERY)))
        found.set(`${seq} ${key}`, id);
    for (const row of this.rows) {
      const id = found.get(`${row.seq} ${row.key}`);
      // The rows are read in the snapshot's one transaction: the row read by number is still there.
      if (id === undefined)
        throw new Error(`policy snapshot: no row of ${row.key} for user number ${row.seq}`);
      row.fill(id);
    }
  }
}

async function readMembers(each: EachRow, db: Kysely<Database>, workspaceId: string | undefined) {
  let memberships = db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select([
      'memberships.workspace_id',
      'memberships.user_id',
      'memberships.role',
      'memberships.role_source',
      'users.seq',
    ]);
  let projectRoles = db.selectFrom('project_roles').select(['workspace_id', 'user_id', 'project_id', 'role']);
  if (workspaceId !== undefined) {
    memberships = memberships.where('memberships.workspace_id', '=', workspaceId);
    // Through the workspace's projects, whose ids lead the key (migration 0006).
    const projects = db.selectFrom('projects').select('id').where('workspace_id', '=', workspaceId);
    projectRoles = projectRoles.where('workspace_id', '=', workspaceId).where('project_id', 'in', projects);
  }
  // Per workspace, per user: the project roles (a map per workspace, so no key is built per row),
  // each in a record without prototype: keyed by thousands of project ids, records built from
  // literals cost V8 a new shape per key added (300,000 roles: 0.55 s against 0.2 s).
  const roles = new Map<string, Map<string, Record<string, Role>>>();
  let lastWorkspace = '';
  let rolesOf = new Map<string, Record<string, Role>>();
  await each<[string, string, string, string]>(projectRoles, ([w, user, project, role]) => {
    if (w !== lastWorkspace) {
      lastWorkspace = w;
      rolesOf = roles.get(w) ?? roles.set(w, new Map()).get(w)!;
    }
    let map = rolesOf.get(user);
    if (map === undefined) {
      map = Object.create(null) as Record<string, Role>;
      rolesOf.set(user, map);
    }
    map[project] = roleNamed(role);
  });
  // Sized once by the counter (numbers handed out so far), so the array stays a flat one.
  const counter = await db
    .selectFrom('sequences')
    .select('value')
    .where('name', '=', 'users')
    .executeTakeFirst();
  const ids: IdsBySeq = new Array(Number(counter?.value ?? 0) + 1);
  // Most members share a few role sources (`manual`): each distinct text is parsed once.
  const sources = new Map<string, RoleSource>();
  const members: PolicyMember[] = [];
  await each<[string, string, string, string, number]>(memberships, ([w, id, text, source, userSeq]) => {
    // A user who is a member of several workspaces is named by one string.
    let userId = ids[userSeq];
    if (userId === undefined) {
      userId = id;
      ids[userSeq] = id;
    }
    const role = roleNamed(text);
    const projectRolesOf = roles.get(w)?.get(userId);
    let roleSource = sources.get(source);
    if (roleSource === undefined) {
      roleSource = parseJson<RoleSource>(source);
      if (sources.size < SHARED_SOURCES) sources.set(source, roleSource);
    }
    members.push(
      projectRolesOf === undefined
        ? { userId, userSeq, workspaceId: w, role, roleSource }
        : { userId, userSeq, workspaceId: w, role, roleSource, projectRoles: projectRolesOf },
    );
  });
  return { members, ids };
}

async function readGroups(
  each: EachRow,
  db: Kysely<Database>,
  workspaceId: string | undefined,
  ids: IdsBySeq,
) {
  let groups = db.selectFrom('groups').select(['id', 'workspace_id', 'name']);
  // A row with the user's number hands over no id of its own: the member's string names the user.
  let members = db.selectFrom('group_members').select((eb) => [
    'group_id',
    'user_seq',
    // Named apart from `user_id`, which orders the rows.
    eb.case().when('user_seq', 'is', null).then(eb.ref('user_id')).end().as('unnumbered_id'),
  ]);
  let unnamed = db.selectFrom('group_members').select(['group_id', 'user_seq', 'user_id']);
  if (workspaceId !== undefined) {
    groups = groups.where('workspace_id', '=', workspaceId);
    members = members.where('workspace_id', '=', workspaceId);
    unnamed = unnamed.where('workspace_id', '=', workspaceId);
  }
  const byGroup = new Map<string, { ids: string[]; seqs: number[] }>();
  const waiting = new Waiting();
  let last = '';
  let list = { ids: [] as string[], seqs: [] as number[] };
  await each<[string, number | null, string | null]>(
    members.orderBy('group_id').orderBy('user_id'),
    ([group, seq, user]) => {
      if (group !== last) {
        last = group;
        list = byGroup.get(group) ?? byGroup.set(group, { ids: [], seqs: [] }).get(group)!;
      }
      const id = seq === null ? user : ids[seq];
      if (id === undefined || id === null) {
        const into = list.ids;
        const at = into.push('') - 1;
        waiting.add(group, seq!, (found) => {
          into[at] = found;
        });
      } else list.ids.push(id);
      list.seqs.push(seq ?? -1);
    },
  );
  await waiting.fill(async (seqs) =>
    (await unnamed.where('user_seq', 'in', seqs).execute()).map(
      (r) => [r.group_id, r.user_seq!, r.user_id] as const,
    ),
  );
  const out: PolicyGroup[] = [];
  await each<[string, string, string]>(groups.orderBy('id'), ([id, w, name]) => {
    const members = byGroup.get(id);
    out.push({ id, workspaceId: w, name, memberIds: members?.ids ?? [], memberSeqs: members?.seqs ?? [] });
  });
  return out;
}

/**
 * The integrations with their entries and allowed lists, as the policy engine reads them (no
 * configuration, no verification). An integration's entries are gathered while its rows come, in
 * whatever order the database returns them; the integration is looked up only when the id
 * changes from the previous row's.
 */
async function readPolicyIntegrations(
  each: EachRow,
  db: Kysely<Database>,
  workspaceId: string | undefined,
  userIds: IdsBySeq,
) {
  let integrations = db
    .selectFrom('integrations')
    .select(['id', 'workspace_id', 'name', 'scope', 'project_id', 'created_by', 'all_pipelines_allowed']);
  // A user entry with the user's number hands over no id of its own: the member's string names the user.
  let entries = db
    .selectFrom('integration_entries')
    .select((eb) => [
      'integration_id',
      'subject_type',
      eb.case().when('user_seq', 'is', null).then(eb.ref('subject_id')).end().as('subject_id'),
      'user_seq',
      'level',
      'expires_at',
    ]);
  let unnamed = db
    .selectFrom('integration_entries')
    .select(['integration_id', 'user_seq', 'subject_id'])
    .where('subject_type', '=', 'user');
  let pipelines = db
    .selectFrom('integration_pipelines')
    .select(['integration_id', 'pipeline_id', 'expires_at']);
  if (workspaceId !== undefined) {
    integrations = integrations.where('workspace_id', '=', workspaceId);
    // Through the workspace's integrations, whose ids lead the keys (migration 0006).
    const ids = db.selectFrom('integrations').select('id').where('workspace_id', '=', workspaceId);
    entries = entries.where('workspace_id', '=', workspaceId).where('integration_id', 'in', ids);
    unnamed = unnamed.where('workspace_id', '=', workspaceId).where('integration_id', 'in', ids);
    pipelines = pipelines.where('workspace_id', '=', workspaceId).where('integration_id', 'in', ids);
  }
  const out: Gathered[] = [];
  const byId = new Map<string, Gathered>();
  await each<[string, string, string, string, string | null, string | null, number]>(
    integrations,
    ([id, w, name, scope, projectId, createdBy, all]) => {
      const gathered: Gathered = {
        id,
        workspaceId: w,
        name,
        scope:
          scope === 'PROJECT' && projectId !== null ? { type: 'PROJECT', projectId } : { type: 'WORKSPACE' },
        ...(createdBy === null ? {} : { createdBy }),
        permissions: { admins: { level: 'MANAGE' }, others: { level: 'USE' }, users: [], groups: [] },
        allowedPipelines: all === 1 ? 'ALL' : [],
      };
      out.push(gathered);
      byId.set(id, gathered);
    },
  );
  let last = '';
  let current: Gathered | undefined;
  const of = (id: string): Gathered | undefined => {
    if (id !== last) {
      last = id;
      current = byId.get(id);
    }
    return current;
  };
  const waiting = new Waiting();
  await each<[string, string, string | null, number | null, string, number | null]>(
    entries,
    ([id, type, subject, seq, text, expiresAt]) => {
      const permissions = of(id)?.permissions;
      if (permissions === undefined) return;
      if (type === 'user') {
        const level = levelNamed(text);
        const userId = seq === null ? subject : userIds[seq];
        const users = permissions.users;
        if (userId === undefined || userId === null) {
          const at = users.push({ id: '', level }) - 1;
          waiting.add(id, seq!, (found) => {
            users[at] = subjectEntry(found, level, expiresAt, seq);
          });
        } else users.push(subjectEntry(userId, level, expiresAt, seq));
      } else if (type === 'group')
        permissions.groups.push(subjectEntry(subject!, levelNamed(text), expiresAt, null));
      else if (type === 'admins') permissions.admins = entry(text, expiresAt);
      else if (type === 'others') permissions.others = entry(text, expiresAt);
    },
  );
  await waiting.fill(async (seqs) =>
    (await unnamed.where('user_seq', 'in', seqs).execute()).map(
      (r) => [r.integration_id, r.user_seq!, r.subject_id] as const,
    ),
  );
  await each<[string, string, number | null]>(pipelines, ([id, pipeline, expiresAt]) => {
    const allowed = of(id)?.allowedPipelines;
    if (allowed === undefined || allowed === 'ALL') return;
    allowed.push(expiresAt === null ? { id: pipeline } : { id: pipeline, expiresAt });
  });
  return out;
}

async function readSnapshot(
  backend: Backend,
  trx: Transaction<Database>,
  workspaceId: string | undefined,
): Promise<PolicySnapshot> {
  const each: EachRow = (query, onRow) =>
    backend.eachRow(trx, query.compile(), onRow as (values: readonly unknown[]) => void);
  const revision = await trx
    .selectFrom('changes')
    .select((eb) => eb.fn.max('revision').as('revision'))
    .executeTakeFirst();
  let workspaces = trx.selectFrom('workspaces').select('id');
  let projects = trx.selectFrom('projects').select(['id', 'workspace_id', 'name']);
  let pipelines = trx.selectFrom('pipelines').select(['id', 'workspace_id', 'project_id', 'name']);
  if (workspaceId !== undefined) {
    workspaces = workspaces.where('id', '=', workspaceId);
    projects = projects.where('workspace_id', '=', workspaceId);
    pipelines = pipelines.where('workspace_id', '=', workspaceId);
  }
  const workspaceIds = (await workspaces.orderBy('id').execute()).map((w) => w.id);
  const { members, ids } = await readMembers(each, trx, workspaceId);
  return {
    revision: Number(revision?.revision ?? 0),
    workspaceIds,
    members,
    groups: await readGroups(each, trx, workspaceId, ids),
    projects: (await projects.orderBy('id').execute()).map((p) => ({
      id: p.id,
      workspaceId: p.workspace_id,
      name: p.name,
    })),
    pipelines: (await pipelines.orderBy('id').execute()).map((p) => ({
      id: p.id,
      workspaceId: p.workspace_id,
      projectId: p.project_id,
      name: p.name,
    })),
    integrations: await readPolicyIntegrations(each, trx, workspaceId, ids),
  };
}

/** Snapshot functions bound to a context. */
export function snapshotRepo(ctx: RepoContext) {
  return {
    /**
     * Loads the policy data of every workspace (or only `workspaceId`) in one consistent read
     * (a repeatable-read transaction on PostgreSQL), with the revision it reflects.
     */
    async loadPolicySnapshot(options: { readonly workspaceId?: string } = {}): Promise<PolicySnapshot> {
      if (ctx.trx !== undefined) return readSnapshot(ctx.backend, ctx.trx, options.workspaceId);
      const tx =
        ctx.backend.kind === 'postgres'
          ? ctx.db.transaction().setIsolationLevel('repeatable read')
          : ctx.db.transaction();
      return tx.execute((trx) => readSnapshot(ctx.backend, trx, options.workspaceId));
    },
  };
}
