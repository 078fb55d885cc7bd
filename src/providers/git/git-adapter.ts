/**
 * The Git adapter (smart HTTP, any host): clone access with `git ls-remote`, push access with
 * `git push --dry-run` of a new throwaway ref (nothing is written), the branch with the same
 * `ls-remote`, and the clone URL form. The credential goes to git as an extra header through the
 * environment, never in argv or the URL.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyhouseError } from '../../core/errors.ts';
import { checkBuilder, findingFor as finding } from '../http/index.ts';
import type { CheckResult, Finding, Introspection, ProviderAdapter, VerifyInput } from '../types.ts';
import { type GitConfig, parseGitConfig } from './git-config.ts';
import { probeClone, probePush, type RemoteProbe } from './git-probes.ts';

/** Options of {@link createGitAdapter}. */
export interface GitAdapterOptions {
  /** Per git command, in ms; 30 s by default. */
  readonly timeoutMs?: number;
  /** The git executable; `git` on the PATH by default. */
  readonly gitBinary?: string;
}

/** The secret Basic credential of a verification; never logged. */
export interface GitCredential {
  readonly authorization: string;
  readonly scrub: readonly string[];
}

const PUSH_FEATURES = new Set(['push', 'open-pull-requests']);

function credentialOf(input: VerifyInput, config: GitConfig): GitCredential {
  const secret = input.credential['token'] ?? input.credential['password'];
  if (secret === undefined) {
    const message = 'is required (or credential.password)';
    throw new KeyhouseError('validation_failed', `credential.token ${message}`, {
      details: { fields: [{ path: 'credential.token', message }] },
    });
  }
  const username = config.username ?? input.credential['username'] ?? 'x-access-token';
  const basic = Buffer.from(`${username}:${secret}`).toString('base64');
  return { authorization: `Basic ${basic}`, scrub: [secret, basic, encodeURIComponent(secret)] };
}

const TITLES: Readonly<Record<string, string>> = {
  'token-valid': 'Credential accepted by the Git host',
  clone: 'Clone (git ls-remote)',
  push: 'Push (git push --dry-run of a new ref)',
  'branch-exists': 'Branch exists',
};

const check = checkBuilder(TITLES);

function unusableUrl(config: GitConfig): Introspection {
  const skipped = ['token-valid', 'clone', 'push', 'branch-exists'].map((id) =>
    check(id, 'skipped', 'The clone URL cannot be used.'),
  );
  const f = finding(
    'clone_url_form',
    'clone-url-form',
    config.form.detail ?? 'The clone URL cannot be used.',
    config.form.fix,
  );
  return { reach: 'unreachable', checks: [config.form, ...skipped], findings: [f], requests: 0 };
}

function cloneFailure(
  clone: RemoteProbe & { ok: false },
  url: string,
): { reach: Introspection['reach']; checks: CheckResult[]; findings: Finding[] } {
  const { failure } = clone;
  if (failure.kind === 'unauthorized') {
    const fix = 'Store a current token (or password) for this host; check that it is not expired or revoked.';
    return {
      reach: 'invalid',
      checks: [
        check('token-valid', 'fail', `The host refused the credential: ${failure.detail}`, fix),
        check('clone', 'fail', 'HTTP 401.'),
      ],
      findings: [
        finding('credential_invalid', 'token-valid', 'The Git host refused the credential (HTTP 401).', fix),
      ],
    };
  }
  if (failure.kind === 'unreachable' || failure.kind === 'other') {
    const fix = 'Check the host name, port and TLS certificate, and that Keyhouse can reach the host.';
    return {
      reach: 'unreachable',
      checks: [
        check('token-valid', 'skipped', 'The host was not reached.'),
        check('clone', 'fail', failure.detail, fix),
      ],
      findings: [
        finding('provider_unreachable', 'clone', `The Git host could not be reached: ${failure.detail}`, fix),
      ],
    };
  }
  const notFound = failure.kind === 'not-found';
  const fix = notFound
    ? 'Check the repository path; on hosts that hide private repositories, grant the credential read access to it.'
    : 'Grant the credential read (clone) access to the repository.';
  const message = notFound
    ? `Repository ${url} was not found, or the credential may not see it (HTTP 404).`
    : `The credential may not clone ${url} (HTTP 403).`;
  return {
    reach: 'ok',
    checks: [
      check('token-valid', 'pass', 'The host accepted the credential.'),
      check('clone', 'fail', failure.detail, fix),
    ],
    findings: [finding(notFound ? 'repository_not_found' : 'scope_missing', 'clone', message, fix)],
  };
}

function branchCheck(config: GitConfig, clone: RemoteProbe): { check: CheckResult; findings: Finding[] } {
  if (!clone.ok)
    return { check: check('branch-exists', 'skipped', 'The repository could not be listed.'), findings: [] };
  const head = clone.defaultBranch === undefined ? '' : ` The default branch is ${clone.defaultBranch}.`;
  if (config.branch === undefined)
    return { check: check('branch-exists', 'skipped', `No branch is configured.${head}`), findings: [] };
  if (clone.branches.includes(config.branch))
    return { check: check('branch-exists', 'pass', `refs/heads/${config.branch} exists.`), findings: [] };
  const fix = `Create the branch ${config.branch}, or configure an existing one.${head}`;
  return {
    check: check('branch-exists', 'fail', `refs/heads/${config.branch} does not exist.`, fix),
    findings: [
      finding(
        'branch_not_found',
        'branch-exists',
        `Branch ${config.branch} does not exist in the repository.`,
        fix,
      ),
    ],
  };
}

function pushResult(push: RemoteProbe | undefined, url: string): { check: CheckResult; findings: Finding[] } {
  if (push === undefined)
    return { check: check('push', 'skipped', 'No enabled feature pushes.'), findings: [] };
  if (push.ok)
    return { check: check('push', 'pass', 'The host would accept a new branch (dry run).'), findings: [] };
  const fix = 'Grant the credential write (push) access to the repository, or its token the write scope.';
  const denied = push.failure.kind === 'forbidden' || push.failure.kind === 'unauthorized';
  const message = denied
    ? `The credential may not push to ${url}: ${push.failure.detail}`
    : `The push probe failed: ${push.failure.detail}`;
  return {
    check: check('push', 'fail', push.failure.detail, fix),
    findings: [
      finding(denied ? 'scope_missing' : 'probe_failed', 'push', message, fix, denied ? 'error' : 'warning'),
    ],
  };
}

async function verifyGit(input: VerifyInput, options: GitAdapterOptions): Promise<Introspection> {
  const config = parseGitConfig(input.config);
  const url = config.remoteUrl;
  if (url === undefined) return unusableUrl(config);
  const credential = credentialOf(input, config);
  const formFindings = config.form.outcome === 'fail' ? unusableUrl(config).findings : [];
  const work = await mkdtemp(join(tmpdir(), 'keyhouse-git-'));
  const run = {
    cwd: work,
    timeoutMs: options.timeoutMs ?? 30_000,
    credential,
    signal: input.signal,
    gitBinary: options.gitBinary,
  };
  try {
    const clone = await probeClone(url, config.branch, run);
    if (!clone.ok) {
      const failed = cloneFailure(clone, config.displayUrl);
      const rest = [check('push', 'skipped', 'Clone failed.'), branchCheck(config, clone).check];
      return {
        reach: failed.reach,
        checks: [config.form, ...failed.checks, ...rest],
        findings: [...formFindings, ...failed.findings],
        requests: 1,
      };
    }
    const wantsPush = input.features.some((f) => PUSH_FEATURES.has(f));
    const push = wantsPush ? await probePush(url, run) : undefined;
    const branch = branchCheck(config, clone);
    const pushed = pushResult(push, config.displayUrl);
    return {
      reach: 'ok',
      checks: [
        config.form,
        check('token-valid', 'pass', 'The host accepted the credential.'),
        check('clone', 'pass', `${clone.refCount} refs listed.`),
        pushed.check,
        branch.check,
      ],
      findings: [...formFindings, ...branch.findings, ...pushed.findings],
      requests: wantsPush ? 2 : 1,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Creates the Git adapter. */
export function createGitAdapter(options: GitAdapterOptions = {}): ProviderAdapter {
  return { id: 'git', verify: (input) => verifyGit(input, options) };
}

/** The Git adapter with default options. */
export const gitAdapter: ProviderAdapter = createGitAdapter();
