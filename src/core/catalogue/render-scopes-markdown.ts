/**
 * Renders `docs/scopes/<provider>.md` from the catalogue: the credential types, then per feature
 * and credential type the scopes and why, then every scope with what it implies and its source.
 */
import { type Catalogue, getProvider } from './catalogue.ts';
import { FEATURES } from './features.ts';
import {
  type Clause,
  type CredentialType,
  isUnsupported,
  type Provider,
  type Requirement,
} from './schema.ts';

/** The Markdown page of one provider; deterministic, ends with one newline. */
export function renderScopesMarkdown(catalogue: Catalogue, providerId: string): string {
  const provider = getProvider(catalogue, providerId);
  const lines = [
    `# ${provider.name}: scopes per feature`,
    '',
    `<!-- Generated from catalogue/${provider.id}.yaml by scripts/gen-scopes-docs.ts; do not edit by hand. -->`,
    '',
    `Reference: ${provider.docs}`,
    '',
    ...bullets(provider.notes),
    ...credentialTypeSection(provider),
    ...featureSection(provider),
    ...scopeSection(provider),
  ];
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/** A Markdown table with padded columns, as the repository's formatter writes it. */
function table(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((header, i) =>
    Math.max(3, header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${widths.map((w, i) => (cells[i] ?? '').padEnd(w)).join(' | ')} |`;
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** A table cell: no line breaks, pipes escaped. */
function cell(text: string): string {
  return text.replaceAll('\n', ' ').replaceAll('|', '\\|');
}

function bullets(notes: readonly string[] | undefined): string[] {
  return notes === undefined || notes.length === 0 ? [] : [...notes.map((note) => `- ${cell(note)}`), ''];
}

function credentialTypeSection(provider: Provider): string[] {
  const rows = Object.entries(provider.credentialTypes).map(([id, type]): string[] => {
    const fields = type.fields
      .map((field) => {
        const prefixes =
          field.prefixes === undefined ? '' : ` (${field.prefixes.map((p) => `\`${p}\``).join(', ')})`;
        return `\`${field.name}\`${field.secret ? ' (secret)' : ''}${field.optional ? ' (optional)' : ''}${prefixes}`;
      })
      .join(', ');
    const status = type.status === undefined || type.status === 'current' ? '' : ` **${type.status}**`;
    const link = type.tokenCreation === undefined ? 'none' : `\`${type.tokenCreation.url}\``;
    const read = `${type.grantedScopes.method}: ${cell(type.grantedScopes.detail)}`;
    return [`\`${id}\``, `${cell(type.name)}${status}`, fields, read, link];
  });
  const notes = Object.entries(provider.credentialTypes).flatMap(([id, type]) => credentialNotes(id, type));
  return [
    '## Credential types',
    '',
    ...table(['Id', 'Name', 'Fields', 'How granted scopes are read', 'Token-creation link'], rows),
    '',
    ...notes,
    '',
  ];
}

function credentialNotes(id: string, type: CredentialType): string[] {
  const notes = [
    type.description,
    ...(type.statusNote === undefined ? [] : [type.statusNote]),
    ...(type.notes ?? []),
  ];
  return [`- \`${id}\`: ${notes.map(cell).join(' ')} Source: ${type.source}`];
}

function featureSection(provider: Provider): string[] {
  const lines = ['## Features', ''];
  for (const feature of FEATURES) {
    const entry = provider.features[feature.id];
    if (entry === undefined) continue;
    lines.push(
      `### ${feature.title} (\`${feature.id}\`)`,
      '',
      feature.description,
      '',
      ...bullets(entry.notes),
    );
    const rows = Object.entries(entry.credentials).map(([typeId, r]) => [
      `\`${typeId}\``,
      ...requirementRow(r),
    ]);
    lines.push(...table(['Credential type', 'Scopes', 'Role', 'Why'], rows));
    const endpoints = Object.entries(entry.credentials).flatMap(([typeId, requirement]) =>
      isUnsupported(requirement) || requirement.endpoints === undefined || requirement.endpoints.length === 0
        ? []
        : [`- \`${typeId}\`: ${requirement.endpoints.map((e) => `\`${e.method} ${e.path}\``).join(', ')}`],
    );
    if (endpoints.length > 0) lines.push('', 'Endpoints:', '', ...endpoints);
    lines.push('');
  }
  return lines;
}

function requirementRow(requirement: Requirement): string[] {
  if (isUnsupported(requirement)) return ['not possible', '', cell(requirement.unsupported)];
  const scopes = requirement.allOf.length === 0 ? 'none' : requirement.allOf.map(clauseText).join(' and ');
  const role = requirement.role === undefined ? '' : roleText(requirement.role);
  return [scopes, cell(role), cell(requirement.why)];
}

function clauseText(clause: Clause): string {
  if (typeof clause === 'string') return `\`${clause}\``;
  const alternatives = clause.anyOf.map((scope) => `\`${scope}\``).join(' or ');
  return clause.anyOf.length > 1 ? `(${alternatives})` : alternatives;
}

function roleText(role: { name: string; accessLevel?: number; note?: string }): string {
  const level = role.accessLevel === undefined ? '' : ` (${role.accessLevel})`;
  return `${role.name}${level}${role.note === undefined ? '' : `: ${role.note}`}`;
}

function scopeSection(provider: Provider): string[] {
  const lines = ['## Scopes', ''];
  for (const [setId, set] of Object.entries(provider.scopeSets)) {
    const users = Object.entries(provider.credentialTypes)
      .filter(([, type]) => type.scopeSet === setId)
      .map(([id]) => `\`${id}\``);
    lines.push(
      `### ${set.name} (\`${setId}\`)`,
      '',
      `Used by ${users.join(', ')}. Source: ${set.source}`,
      '',
    );
    if (set.alwaysGranted !== undefined) {
      lines.push(`Always granted: ${set.alwaysGranted.map((s) => `\`${s}\``).join(', ')}.`, '');
    }
    const rows = Object.entries(set.scopes).map(([scopeId, scope]) => {
      const implies = (scope.implies ?? []).map((s) => `\`${s}\``).join(', ');
      return [`\`${scopeId}\``, implies, cell(scope.description), scope.source];
    });
    lines.push(...bullets(set.notes), ...table(['Scope', 'Implies', 'Description', 'Source'], rows));
    lines.push('');
  }
  return lines;
}
