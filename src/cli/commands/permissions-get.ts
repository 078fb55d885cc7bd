import type { PermissionsBody } from '../api-types.ts';
import type { CommandContext, CommandSpec } from '../command.ts';
import { emit, printTable } from '../output.ts';
import { arg, wsPath } from './shared.ts';

interface PermissionRow {
  readonly subject: string;
  readonly id: string;
  readonly level: string;
  readonly expiresAt: string | undefined;
}

/** Flattens permissions into rows: admins, others, each user, each group, each allowed pipeline. */
export function permissionRows(p: PermissionsBody): PermissionRow[] {
  const pipelines: PermissionRow[] =
    p.allowedPipelines === 'ALL'
      ? [{ subject: 'pipelines', id: 'ALL', level: 'allowed', expiresAt: undefined }]
      : p.allowedPipelines.map((e) => ({
          subject: 'pipeline',
          id: e.id,
          level: 'allowed',
          expiresAt: e.expiresAt,
        }));
  return [
    { subject: 'admins', id: '-', level: p.admins.level, expiresAt: p.admins.expiresAt },
    { subject: 'others', id: '-', level: p.others.level, expiresAt: p.others.expiresAt },
    ...p.users.map((e) => ({ subject: 'user', id: e.id, level: e.level, expiresAt: e.expiresAt })),
    ...p.groups.map((e) => ({ subject: 'group', id: e.id, level: e.level, expiresAt: e.expiresAt })),
    ...pipelines,
  ];
}

/** Prints permissions as a table for people. */
export function printPermissions(context: CommandContext, permissions: PermissionsBody): void {
  printTable(
    context.io,
    [
      { header: 'subject', value: (r) => r.subject },
      { header: 'id', value: (r) => r.id },
      { header: 'level', value: (r) => r.level },
      { header: 'expires', value: (r) => r.expiresAt },
    ],
    permissionRows(permissions),
    'No permissions.',
  );
}

/** `keyhouse permissions get INTEGRATION`: levels for admins, others, users, groups; allowed pipelines. */
export const permissionsGet: CommandSpec = {
  name: 'permissions get',
  summary: 'Show the permissions of an integration',
  args: [{ name: 'integration', description: 'integration id' }],
  run: async (context) => {
    const { body, etag } = await (await context.api()).request<PermissionsBody>(
      'GET',
      wsPath(context, 'integrations', arg(context, 0), 'permissions'),
    );
    return emit(context, { permissions: body, etag: etag ?? null }, () => printPermissions(context, body));
  },
};
