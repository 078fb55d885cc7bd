/**
 * The error the catalogue raises: a bad catalogue file (at load time) or a lookup of something the
 * catalogue does not know (an unknown provider, credential type or feature).
 */

/** What went wrong, as a stable code. */
export type CatalogueErrorCode =
  | 'catalogue_invalid'
  | 'unknown_provider'
  | 'unknown_credential_type'
  | 'unknown_feature';

/** One problem found in a catalogue file, or in a lookup. */
export interface CatalogueIssue {
  /** The file name (`github.yaml`), or `''` for a lookup. */
  readonly file: string;
  /** The key path inside the file (`features.clone.credentials.classic-pat.allOf[0]`), `''` for the root. */
  readonly path: string;
  readonly message: string;
}

/** Raised with every issue found, never only the first; the message names file and key path. */
export class CatalogueError extends Error {
  readonly code: CatalogueErrorCode;
  readonly issues: readonly CatalogueIssue[];

  constructor(code: CatalogueErrorCode, issues: readonly CatalogueIssue[], options?: { cause?: unknown }) {
    super(formatIssues(code, issues), options);
    this.name = 'CatalogueError';
    this.code = code;
    this.issues = issues;
  }
}

/** Formats issues one a line: `github.yaml: features.clone: message`. */
export function formatIssues(code: CatalogueErrorCode, issues: readonly CatalogueIssue[]): string {
  const lines = issues.map((issue) => {
    const where = [issue.file, issue.path].filter((part) => part !== '').join(': ');
    return where === '' ? issue.message : `${where}: ${issue.message}`;
  });
  const head =
    code === 'catalogue_invalid' ? `The provider catalogue is invalid (${issues.length} issue(s))` : code;
  return [head, ...lines.map((line) => `  ${line}`)].join('\n');
}
