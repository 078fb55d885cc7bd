/**
 * The `clone-url-form` check shared by the Git hosts: the configured clone URL must be HTTPS
 * (a token cannot authenticate SSH), carry no embedded password, point at the configured host
 * and name the expected repository.
 */
import type { CheckResult } from '../types.ts';

/** What the check compares. */
export interface CloneUrlExpectation {
  /** The clone URL configured on the integration, when any. */
  readonly configured?: string | undefined;
  /** The HTTPS clone URL the host documents (or reports) for the repository, when known. */
  readonly expected?: string | undefined;
}

const TITLE = 'Clone URL form';

function normalise(url: URL): string {
  return `${url.host.toLowerCase()}${url.pathname
    .replace(/\.git$/, '')
    .replace(/\/+$/, '')
    .toLowerCase()}`;
}

/** Checks the configured clone URL against the expected HTTPS form. */
export function checkCloneUrl({ configured, expected }: CloneUrlExpectation): CheckResult {
  const fix = expected === undefined ? 'Use the HTTPS clone URL.' : `Use ${expected}.`;
  if (configured === undefined) {
    return expected === undefined
      ? { id: 'clone-url-form', title: TITLE, outcome: 'skipped', detail: 'No repository is configured.' }
      : { id: 'clone-url-form', title: TITLE, outcome: 'pass', detail: `Clones from ${expected}.` };
  }
  if (/^(git@|ssh:\/\/)/.test(configured)) {
    const detail = 'The clone URL uses SSH; the stored token authenticates HTTPS only.';
    return { id: 'clone-url-form', title: TITLE, outcome: 'fail', detail, fix };
  }
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    return {
      id: 'clone-url-form',
      title: TITLE,
      outcome: 'fail',
      detail: 'The clone URL is not a URL.',
      fix,
    };
  }
  if (url.password !== '') {
    const detail =
      'The clone URL embeds a password or token; Keyhouse supplies the credential at clone time.';
    return { id: 'clone-url-form', title: TITLE, outcome: 'fail', detail, fix };
  }
  if (url.protocol !== 'https:') {
    const detail = `The clone URL uses ${url.protocol.replace(':', '')}, not HTTPS.`;
    return { id: 'clone-url-form', title: TITLE, outcome: 'fail', detail, fix };
  }
  if (expected !== undefined && normalise(url) !== normalise(new URL(expected))) {
    const detail = `The clone URL does not name the configured repository (expected ${expected}).`;
    return { id: 'clone-url-form', title: TITLE, outcome: 'fail', detail, fix };
  }
  return {
    id: 'clone-url-form',
    title: TITLE,
    outcome: 'pass',
    detail: `Clones from ${url.origin}${url.pathname}.`,
  };
}
