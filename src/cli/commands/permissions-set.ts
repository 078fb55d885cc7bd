import type { PermissionsBody } from '../api-types.ts';
import { CliError, UsageError } from '../cli-error.ts';
import { type CommandSpec, listOption, stringOption } from '../command.ts';
import { emit } from '../output.ts';
import { applyPermissionFlags, isEmptyChange, type PermissionFlags } from '../permission-flags.ts';
import { readTextFile } from '../secret-input.ts';
import { sanitize } from '../table.ts';
import { printPermissions } from './permissions-get.ts';
import { arg, wsPath } from './shared.ts';

/** The permission flags of a parsed command line. */
function flagsOf(options: Parameters<CommandSpec['run']>[0]['options']): PermissionFlags {
  const admins = stringOption(options, 'admins');
  const others = stringOption(options, 'others');
  const pipelines = stringOption(options, 'pipelines');
  return {
    ...(admins === undefined ? {} : { admins }),
    ...(others === undefined ? {} : { others }),
    ...(pipelines === undefined ? {} : { pipelines }),
    users: listOption(options, 'user'),
    groups: listOption(options, 'group'),
    removeUsers: listOption(options, 'remove-user'),
    removeGroups: listOption(options, 'remove-group'),
  };
}

/** `keyhouse permissions set INTEGRATION …`: reads the permissions and their ETag, applies the flags, writes with If-Match. */
export const permissionsSet: CommandSpec = {
  name: 'permissions set',
  summary: 'Change the permissions of an integration (sent with If-Match)',
  description:
    'Flags change the permissions read from the server; --file replaces them with a JSON object\n' +
    '{ admins, others, users, groups, allowedPipelines }. The write carries the ETag of the read, so a\n' +
    'concurrent change makes it fail with precondition_failed (exit 6) instead of being overwritten.',
  args: [{ name: 'integration', description: 'integration id' }],
  options: {
    admins: {
      type: 'string',
      value: 'LEVEL[@TIME]',
      description: 'floor for workspace admins (MANAGE, USE, DELETE_ONLY)',
    },
    others: { type: 'string', value: 'LEVEL[@TIME]', description: 'default for every other member' },
    user: {
      type: 'string',
      multiple: true,
      value: 'ID=LEVEL[@TIME]',
      description: 'set a user entry (repeatable)',
    },
    group: {
      type: 'string',
      multiple: true,
      value: 'ID=LEVEL[@TIME]',
      description: 'set a group entry (repeatable)',
    },
    'remove-user': {
      type: 'string',
      multiple: true,
      value: 'ID',
      description: 'remove a user entry (repeatable)',
    },
    'remove-group': {
      type: 'string',
      multiple: true,
      value: 'ID',
      description: 'remove a group entry (repeatable)',
    },
    pipelines: { type: 'string', value: 'ALL|P1,P2[@TIME]', description: 'pipelines allowed to use it' },
    file: { type: 'string', value: 'FILE', description: 'replace everything with this JSON file' },
  },
  examples: [
    'keyhouse permissions set gh --admins MANAGE --others USE --user u1=USE --group g1=DENY',
    'keyhouse permissions set gh --user u2=USE@2026-12-01T00:00:00Z --pipelines p1,p2',
  ],
  run: async (context) => {
    const flags = flagsOf(context.options);
    const file = stringOption(context.options, 'file');
    if (file !== undefined && !isEmptyChange(flags))
      throw new UsageError('--file cannot be combined with other flags', context.command);
    if (file === undefined && isEmptyChange(flags))
      throw new UsageError('nothing to change: give flags or --file', context.command);
    const replacement =
      file === undefined ? undefined : parsePermissionsFile(await readTextFile(file, 'permissions'));
    const api = await context.api();
    const path = wsPath(context, 'integrations', arg(context, 0), 'permissions');
    const current = await api.request<PermissionsBody>('GET', path);
    if (current.etag === undefined)
      throw new CliError('the server sent no ETag for the permissions', 1, 'internal');
    const next = replacement ?? applyPermissionFlags(current.body, flags);
    const written = await api.request<PermissionsBody>('PUT', path, { body: next, ifMatch: current.etag });
    return emit(context, { permissions: written.body, etag: written.etag ?? null }, () => {
      context.io.stdout.write(`Updated permissions of ${sanitize(arg(context, 0))}.\n`);
      printPermissions(context, written.body);
    });
  },
};

/** Parses a permissions file: a JSON object (the server validates its fields). */
function parsePermissionsFile(text: string): PermissionsBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError('--file is not valid JSON', 'permissions set');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(
      '--file must hold a JSON object { admins, others, users, groups, allowedPipelines }',
      'permissions set',
    );
  }
  return parsed as PermissionsBody;
}
