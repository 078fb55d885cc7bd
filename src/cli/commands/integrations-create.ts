import type { IntegrationBody } from '../api-types.ts';
import { UsageError } from '../cli-error.ts';
import { type CommandSpec, listOption, splitList, stringOption } from '../command.ts';
import { tokenFromStdin } from '../connection.ts';
import { readCredential } from '../secret-input.ts';
import { reportCreated, wsPath } from './shared.ts';

/** Parses `--config key=value` pairs (`true`/`false`/numbers typed; `a,b` stays a string). */
export function parseConfig(pairs: readonly string[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--config: expected KEY=VALUE, got '${pair}'`, 'integrations create');
    const raw = pair.slice(eq + 1);
    out[pair.slice(0, eq)] =
      raw === 'true' ? true : raw === 'false' ? false : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  }
  return out;
}

/** `keyhouse integrations create`: stores an integration with its credential, read without the command line. */
export const integrationsCreate: CommandSpec = {
  name: 'integrations create',
  summary: 'Create an integration (credential from a prompt, file or stdin)',
  description:
    'The credential is never an argument. On a terminal each field named by --fields is prompted for\n' +
    'with echo off; otherwise it is read from --credential-file (a JSON object of fields) or from\n' +
    'standard input (a JSON object, or the bare value of the single field named by --fields).',
  options: {
    name: { type: 'string', value: 'NAME', description: 'display name', required: true },
    provider: {
      type: 'string',
      value: 'PROVIDER',
      description: 'provider id (github, gitlab, …)',
      required: true,
    },
    'credential-type': {
      type: 'string',
      value: 'TYPE',
      description: 'credential type id (classic-pat, …)',
      required: true,
    },
    project: {
      type: 'string',
      short: 'p',
      value: 'ID',
      description: 'scope the integration to this project (default: workspace)',
    },
    config: {
      type: 'string',
      multiple: true,
      value: 'KEY=VALUE',
      description: 'non-secret configuration (repeatable)',
    },
    fields: { type: 'string', value: 'A,B', description: 'credential fields to prompt for (default: token)' },
    'credential-file': { type: 'string', value: 'FILE', description: 'JSON object of credential fields' },
    id: { type: 'string', value: 'ID', description: 'identifier (default: chosen by the server)' },
  },
  examples: [
    'keyhouse integrations create --name "GitHub main" --provider github --credential-type classic-pat',
    'printf %s "$GITHUB_PAT" | keyhouse integrations create --name gh --provider github --credential-type classic-pat',
  ],
  run: async (context) => {
    const o = context.options;
    const file = stringOption(o, 'credential-file');
    if (file === undefined && !context.io.isTTY.stdin && tokenFromStdin(o)) {
      throw new UsageError(
        'standard input cannot carry both the token and the credential; use --credential-file',
        context.command,
      );
    }
    const api = await context.api(); // token first: fail before asking for the credential
    const fields = splitList(stringOption(o, 'fields'));
    const credential = await readCredential(context.io, {
      ...(file === undefined ? {} : { file }),
      fields: fields.length ? fields : ['token'],
    });
    const project = stringOption(o, 'project');
    const id = stringOption(o, 'id');
    const body = {
      name: stringOption(o, 'name')!,
      provider: stringOption(o, 'provider')!,
      credentialType: stringOption(o, 'credential-type')!,
      scope: project === undefined ? { type: 'WORKSPACE' } : { type: 'PROJECT', projectId: project },
      config: parseConfig(listOption(o, 'config')),
      credential,
      ...(id === undefined ? {} : { id }),
    };
    const created = await api.post<IntegrationBody>(wsPath(context, 'integrations'), body);
    return reportCreated(context, created, 'integration', created.id, created.name);
  },
};
