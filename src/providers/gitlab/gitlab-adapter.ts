/**
 * The GitLab adapter: the token's self-description (scopes, expiry, state), the account behind
 * it, the access level on the configured project or group against the features' minimal role,
 * the branch and the clone URL form. Works for gitlab.com and self-managed instances.
 */
import {
  checkCloneUrl,
  expiryFindings,
  finishReport,
  type HttpAdapterOptions,
  recordScopes,
  roleRequirements,
  sharedCheck,
  startVerification,
} from '../http/index.ts';
import type { Introspection, ProviderAdapter, VerifyInput } from '../types.ts';
import { checkBranch, checkRole, readAccessLevel, readProject } from './gitlab-access.ts';
import { gitlabAuthHeaders, readGitlabConfig } from './gitlab-config.ts';
import { readIdentity, readTokenFacts } from './gitlab-token.ts';

/** Options of {@link createGitlabAdapter}. */
export type GitlabAdapterOptions = HttpAdapterOptions;

/** Creates the GitLab adapter. */
export function createGitlabAdapter(options: GitlabAdapterOptions = {}): ProviderAdapter {
  return { id: 'gitlab', verify: (input) => verifyGitlab(input, options) };
}

/** The GitLab adapter with default client settings. */
export const gitlabAdapter: ProviderAdapter = createGitlabAdapter();

async function verifyGitlab(input: VerifyInput, options: GitlabAdapterOptions): Promise<Introspection> {
  const start = startVerification(input, {
    readConfig: readGitlabConfig,
    auth: gitlabAuthHeaders,
    http: options.http,
  });
  if (start.finished !== undefined) return start.finished;
  const { report, client, config: cfg } = start;
  const facts = await readTokenFacts(client, report, input, cfg);
  const expiry = { expiresAt: facts.expiresAt, grantedScopes: facts.scopes };
  if (facts.reach !== 'ok') return finishReport(report, { reach: facts.reach, client, ...expiry });
  const who = await readIdentity(client, report, facts);
  if (who.reach !== undefined) return finishReport(report, { reach: who.reach, client, ...expiry });
  for (const finding of expiryFindings(facts.expiresAt, input.now, options.expiryWarningDays))
    report.finding(finding);
  const expired = facts.expiresAt !== undefined && facts.expiresAt <= input.now;
  const accepts = `GitLab accepts the token${who.identity?.account ? ` of ${who.identity.account}` : ''}.`;
  report.check(sharedCheck('token-valid', expired ? 'fail' : 'pass', accepts));
  const { catalogue } = input;
  if (facts.scopes === undefined)
    report.check(sharedCheck('scopes', 'skipped', 'GitLab did not list the scopes.'));
  else recordScopes(report, { ...input, grantedScopes: facts.scopes });
  const found = await readProject(client, report, cfg);
  if (found.stop !== undefined) return finishReport(report, { reach: found.stop, client, ...expiry });
  const access = await readAccessLevel(client, cfg, found.project, who.userId);
  checkRole(
    report,
    roleRequirements(catalogue, 'gitlab', input.credentialType, input.features),
    access.level,
    access.where,
  );
  report.check(await checkBranch(client, cfg, found.project !== undefined));
  const expected =
    found.project?.http_url_to_repo ??
    (cfg.project !== undefined && !/^\d+$/.test(cfg.project)
      ? `${cfg.webUrl}/${cfg.project}.git`
      : undefined);
  report.check(checkCloneUrl({ configured: cfg.cloneUrl, expected }));
  return finishReport(report, { reach: 'ok', client, identity: who.identity, ...expiry });
}
