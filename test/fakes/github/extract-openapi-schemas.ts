/**
 * Extracts the JSON Schemas of the GitHub REST operations the fake answers from GitHub's OpenAPI
 * description, as shipped in `@octokit/openapi-types` (TypeScript generated from
 * github/rest-api-description), into `__fixtures__/openapi-extract.json`. Only the listed
 * operations and the component schemas they reach are kept. Regenerate with
 *
 *     npx node test/fakes/github/extract-openapi-schemas.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import ts from 'typescript';

/** The operations the fake answers: operation id → method, path and the statuses to keep. */
export const OPERATIONS: Readonly<Record<string, { method: string; path: string; statuses: string[] }>> = {
  'users/get-authenticated': { method: 'GET', path: '/user', statuses: ['200', '401', '403'] },
  'repos/get': { method: 'GET', path: '/repos/{owner}/{repo}', statuses: ['200', '403', '404'] },
  'repos/get-branch': {
    method: 'GET',
    path: '/repos/{owner}/{repo}/branches/{branch}',
    statuses: ['200', '404'],
  },
  'repos/list-webhooks': { method: 'GET', path: '/repos/{owner}/{repo}/hooks', statuses: ['200', '404'] },
  'repos/get-content': {
    method: 'GET',
    path: '/repos/{owner}/{repo}/contents/{path}',
    statuses: ['200', '403', '404'],
  },
  'apps/get-installation': {
    method: 'GET',
    path: '/app/installations/{installation_id}',
    statuses: ['200', '404'],
  },
  'apps/create-installation-access-token': {
    method: 'POST',
    path: '/app/installations/{installation_id}/access_tokens',
    statuses: ['201', '401', '403', '404'],
  },
  'apps/list-repos-accessible-to-installation': {
    method: 'GET',
    path: '/installation/repositories',
    statuses: ['200', '401', '403'],
  },
  'rate-limit/get': { method: 'GET', path: '/rate_limit', statuses: ['200', '404'] },
};

type Schema = Record<string, unknown>;

function jsDocFormat(node: ts.Node): string | undefined {
  const text = node.getFullText();
  const match = /Format: (date-time|uri|email)\b/.exec(text.slice(0, text.length - node.getText().length));
  return match?.[1];
}

class Converter {
  readonly definitions: Record<string, Schema> = {};
  readonly #schemas: Map<string, ts.TypeNode>;
  readonly #responses: Map<string, ts.TypeNode>;

  constructor(schemas: Map<string, ts.TypeNode>, responses: Map<string, ts.TypeNode>) {
    this.#schemas = schemas;
    this.#responses = responses;
  }

  ref(name: string): Schema {
    if (!(name in this.definitions)) {
      const node = this.#schemas.get(name);
      if (!node) throw new Error(`unknown schema ${name}`);
      this.definitions[name] = {};
      this.definitions[name] = this.type(node);
    }
    return { $ref: `#/definitions/${name}` };
  }

  response(name: string): ts.TypeNode | undefined {
    return this.#responses.get(name);
  }

  type(node: ts.TypeNode): Schema {
    if (ts.isParenthesizedTypeNode(node)) return this.type(node.type);
    if (ts.isUnionTypeNode(node)) return this.union(node);
    if (ts.isIntersectionTypeNode(node)) return { allOf: node.types.map((t) => this.type(t)) };
    if (ts.isArrayTypeNode(node)) return { type: 'array', items: this.type(node.elementType) };
    if (ts.isTypeLiteralNode(node)) return this.object(node);
    if (ts.isLiteralTypeNode(node)) return this.literal(node);
    if (ts.isIndexedAccessTypeNode(node)) return this.indexed(node);
    if (ts.isTypeReferenceNode(node) && node.typeName.getText() === 'Record') return { type: 'object' };
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { type: 'string' };
      case ts.SyntaxKind.NumberKeyword:
        return { type: 'number' };
      case ts.SyntaxKind.BooleanKeyword:
        return { type: 'boolean' };
      // int64 fields are typed bigint; on the wire they are JSON integers.
      case ts.SyntaxKind.BigIntKeyword:
        return { type: 'integer' };
      case ts.SyntaxKind.UnknownKeyword:
      case ts.SyntaxKind.AnyKeyword:
        return {};
      case ts.SyntaxKind.NeverKeyword:
        return { not: {} };
      default:
        throw new Error(`unsupported type ${ts.SyntaxKind[node.kind]}: ${node.getText().slice(0, 80)}`);
    }
  }

  union(node: ts.UnionTypeNode): Schema {
    // `| undefined` only repeats that a property is optional.
    const types = node.types.filter((t) => t.kind !== ts.SyntaxKind.UndefinedKeyword);
    if (types.length === 1 && types[0]) return this.type(types[0]);
    const literals = types.filter(ts.isLiteralTypeNode);
    if (literals.length === types.length) return { enum: literals.map((l) => this.literal(l)['const']) };
    return { anyOf: types.map((t) => this.type(t)) };
  }

  literal(node: ts.LiteralTypeNode): Schema {
    const lit = node.literal;
    if (lit.kind === ts.SyntaxKind.NullKeyword) return { type: 'null' };
    if (lit.kind === ts.SyntaxKind.TrueKeyword) return { const: true };
    if (lit.kind === ts.SyntaxKind.FalseKeyword) return { const: false };
    if (ts.isStringLiteral(lit)) return { const: lit.text };
    if (ts.isNumericLiteral(lit)) return { const: Number(lit.text) };
    throw new Error(`unsupported literal ${lit.getText()}`);
  }

  indexed(node: ts.IndexedAccessTypeNode): Schema {
    const text = node.getText().replace(/\s+/g, '');
    const match = /^components\["(schemas|responses)"\]\["([^"]+)"\]$/.exec(text);
    if (!match?.[2]) throw new Error(`unsupported reference ${text}`);
    if (match[1] === 'schemas') return this.ref(match[2]);
    const response = this.response(match[2]);
    return response ? this.content(response) : {};
  }

  /** The `application/json` schema of a response node (`{ content: { 'application/json': X } }`). */
  content(node: ts.TypeNode): Schema {
    if (ts.isIndexedAccessTypeNode(node)) return this.indexed(node);
    if (!ts.isTypeLiteralNode(node)) return {};
    const content = member(node, 'content');
    const json = content && ts.isTypeLiteralNode(content) ? member(content, 'application/json') : undefined;
    return json ? this.type(json) : {};
  }

  object(node: ts.TypeLiteralNode): Schema {
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    let additional: Schema | undefined;
    for (const m of node.members) {
      if (ts.isIndexSignatureDeclaration(m)) {
        additional = m.type ? this.type(m.type) : {};
        continue;
      }
      if (!ts.isPropertySignature(m) || !m.type) continue;
      const name = propertyName(m.name);
      const format = jsDocFormat(m);
      const schema = this.type(m.type);
      properties[name] = format && schema['type'] === 'string' ? { ...schema, format } : schema;
      if (!m.questionToken) required.push(name);
    }
    return {
      type: 'object',
      properties,
      ...(required.length > 0 ? { required } : {}),
      ...(additional ? { additionalProperties: additional } : {}),
    };
  }
}

function propertyName(name: ts.PropertyName): string {
  return ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isIdentifier(name)
    ? name.text
    : name.getText();
}

function member(node: ts.TypeLiteralNode, name: string): ts.TypeNode | undefined {
  for (const m of node.members)
    if (ts.isPropertySignature(m) && m.type && propertyName(m.name) === name) return m.type;
  return undefined;
}

function membersOf(node: ts.TypeNode | undefined): Map<string, ts.TypeNode> {
  const out = new Map<string, ts.TypeNode>();
  if (node && ts.isTypeLiteralNode(node)) {
    for (const m of node.members)
      if (ts.isPropertySignature(m) && m.type) out.set(propertyName(m.name), m.type);
  }
  return out;
}

function interfaceMembers(file: ts.SourceFile, name: string): Map<string, ts.TypeNode> {
  const out = new Map<string, ts.TypeNode>();
  for (const s of file.statements) {
    if (ts.isInterfaceDeclaration(s) && s.name.text === name) {
      for (const m of s.members)
        if (ts.isPropertySignature(m) && m.type) out.set(propertyName(m.name), m.type);
    }
  }
  return out;
}

/** Builds the extract from the installed `@octokit/openapi-types`. */
export function extract(): Schema {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('@octokit/openapi-types/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
    version: string;
    octokit: { 'openapi-version': string };
  };
  const text = readFileSync(pkgPath.replace(/package\.json$/, 'types.d.ts'), 'utf8');
  const file = ts.createSourceFile('types.d.ts', text, ts.ScriptTarget.Latest, true);
  const components = interfaceMembers(file, 'components');
  const converter = new Converter(
    membersOf(components.get('schemas')),
    membersOf(components.get('responses')),
  );
  const operations = interfaceMembers(file, 'operations');
  const out: Record<string, unknown> = {};
  for (const [id, op] of Object.entries(OPERATIONS)) {
    const responses = membersOf(membersOf(operations.get(id)).get('responses'));
    const kept: Record<string, Schema> = {};
    for (const status of op.statuses) {
      const node = responses.get(status);
      if (!node) throw new Error(`${id} has no ${status} response`);
      kept[status] = converter.content(node);
    }
    out[id] = { method: op.method, path: op.path, responses: kept };
  }
  return {
    source: {
      package: '@octokit/openapi-types',
      version: pkg.version,
      openapiVersion: pkg.octokit['openapi-version'],
      upstream: 'github/rest-api-description, descriptions/api.github.com',
    },
    operations: out,
    definitions: converter.definitions,
  };
}

if (import.meta.main) {
  const target = new URL('./__fixtures__/openapi-extract.json', import.meta.url);
  writeFileSync(target, `${JSON.stringify(extract(), null, 1)}\n`);
  console.log(`wrote ${target.pathname}`);
}
