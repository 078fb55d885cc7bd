/**
 * Permission probes for Bitbucket Data Center, where a token cannot describe itself: the
 * repository is read (REPO_READ), then the filter endpoints (`/repos?permission=REPO_WRITE`,
 * `/projects?permission=PROJECT_ADMIN`, …) say whether the credential holds a higher level.
 * Answers are classified: 401 with AuthorisationException is "not permitted", any other 401 is
 * a bad credential, 403 is a refusal of the credential kind or the request, 404 is "not found".
 */
import { Compile } from 'typebox/compile';
import type { HttpClient, HttpOutcome } from '../http/index.ts';
import type { BitbucketServerConfig } from './bitbucket-server-config.ts';
import { AUTHORISATION_EXCEPTION, ErrorsSchema, PageSchema } from './bitbucket-server-schema.ts';

const errors = Compile(ErrorsSchema);
const page = Compile(PageSchema);

/** What an answer means. */
export type AnswerClass = 'ok' | 'invalid' | 'not-permitted' | 'forbidden' | 'not-found' | 'other';

/** The first error of a Bitbucket error body, when any. */
export function firstError(
  outcome: HttpOutcome,
): { message: string; exceptionName: string | null } | undefined {
  return outcome.kind === 'response' && errors.Check(outcome.json) ? outcome.json.errors[0] : undefined;
}

/** Classifies an answer (401 vs 403 vs 404 as Bitbucket Data Center uses them). */
export function classify(outcome: HttpOutcome): AnswerClass {
  if (outcome.kind !== 'response') return 'other';
  if (outcome.status >= 200 && outcome.status < 300) return 'ok';
  if (outcome.status === 401)
    return firstError(outcome)?.exceptionName === AUTHORISATION_EXCEPTION ? 'not-permitted' : 'invalid';
  if (outcome.status === 403) return 'forbidden';
  return outcome.status === 404 ? 'not-found' : 'other';
}

const REPO_LEVELS = ['REPO_WRITE', 'REPO_ADMIN'] as const;
const PROJECT_LEVELS = ['PROJECT_READ', 'PROJECT_WRITE', 'PROJECT_ADMIN'] as const;

/** Probes the repository levels above read, and the project levels when asked; returns those held. */
export async function probePermissions(
  client: HttpClient,
  cfg: BitbucketServerConfig,
  needProject: boolean,
): Promise<string[]> {
  const held: string[] = ['REPO_READ'];
  for (const level of REPO_LEVELS) {
    const outcome = await client.request('/repos', {
      query: { projectkey: cfg.project, name: cfg.repository, permission: level, limit: 25 },
    });
    const found =
      outcome.kind === 'response' &&
      page.Check(outcome.json) &&
      outcome.json.values.some((repo) => repo['slug'] === cfg.repository);
    if (!found) break;
    held.push(level);
  }
  if (!needProject) return held;
  for (const level of PROJECT_LEVELS) {
    const outcome = await client.request('/projects', { query: { permission: level, limit: 100 } });
    const found =
      outcome.kind === 'response' &&
      page.Check(outcome.json) &&
      outcome.json.values.some((project) => project['key'] === cfg.project);
    if (!found) break;
    held.push(level);
  }
  return held;
}
