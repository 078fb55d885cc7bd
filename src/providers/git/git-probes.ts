/**
 * The two remote probes of the Git adapter: `git ls-remote --symref <url> HEAD refs/heads/<branch>`
 * (clone access, default branch, branch exists) and `git push --dry-run` of an empty commit to a
 * new `refs/heads/keyhouse-probe-…` ref (push access; the dry run sends no pack and writes nothing).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { GitCredential } from './git-adapter.ts';
import { classifyFailure, type GitFailure, mainLine, runGit } from './git-run.ts';

/** What a remote probe found. */
export type RemoteProbe =
  | {
      readonly ok: true;
      readonly refCount: number;
      readonly branches: readonly string[];
      readonly defaultBranch?: string;
    }
  | { readonly ok: false; readonly failure: GitFailure };

/** Where and how the probes run. */
export interface ProbeContext {
  /** A private temporary folder (HOME of git, and the probe repository). */
  readonly cwd: string;
  readonly timeoutMs: number;
  readonly credential: GitCredential;
  readonly signal?: AbortSignal | undefined;
  readonly gitBinary?: string | undefined;
}

/** git's well-known empty tree (SHA-1 object format). */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

function remoteOptions(context: ProbeContext, cwd = context.cwd) {
  return {
    cwd,
    authorization: context.credential.authorization,
    scrub: context.credential.scrub,
    timeoutMs: context.timeoutMs,
    ...(context.signal === undefined ? {} : { signal: context.signal }),
    ...(context.gitBinary === undefined ? {} : { gitBinary: context.gitBinary }),
  };
}

/** Lists HEAD and the branch; parses the symref of HEAD and the branch names. */
export async function probeClone(
  url: string,
  branch: string | undefined,
  context: ProbeContext,
): Promise<RemoteProbe> {
  const patterns = ['HEAD', ...(branch === undefined ? [] : [`refs/heads/${branch}`])];
  const run = await runGit(['ls-remote', '--symref', url, ...patterns], remoteOptions(context));
  if (run.exitCode !== 0) return { ok: false, failure: classifyFailure(run) };
  const lines = run.stdout.split('\n').filter(Boolean);
  const defaultBranch = /^ref: refs\/heads\/(\S+)\s+HEAD$/m.exec(run.stdout)?.[1];
  const branches = lines.flatMap((line) => {
    const ref = /^[0-9a-f]{40,64}\s+refs\/heads\/(\S+)$/.exec(line)?.[1];
    return ref === undefined ? [] : [ref];
  });
  return {
    ok: true,
    refCount: lines.filter((l) => !l.startsWith('ref:')).length,
    branches,
    ...(defaultBranch === undefined ? {} : { defaultBranch }),
  };
}

async function localCommit(context: ProbeContext): Promise<{ dir: string; commit: string }> {
  const dir = join(context.cwd, 'probe');
  const local = {
    cwd: context.cwd,
    timeoutMs: context.timeoutMs,
    ...(context.gitBinary === undefined ? {} : { gitBinary: context.gitBinary }),
  };
  const init = await runGit(['init', '-q', '--object-format=sha1', dir], local);
  if (init.exitCode !== 0) throw new Error(`git init failed: ${mainLine(init.stderr)}`);
  const identity = ['-c', 'user.name=Keyhouse', '-c', 'user.email=keyhouse-probe@invalid'];
  const commit = await runGit([...identity, 'commit-tree', EMPTY_TREE, '-m', 'Keyhouse push probe'], {
    ...local,
    cwd: dir,
  });
  if (commit.exitCode !== 0) throw new Error(`git commit-tree failed: ${mainLine(commit.stderr)}`);
  return { dir, commit: commit.stdout.trim() };
}

/** Dry-run push of an empty commit to a new, randomly named branch. */
export async function probePush(url: string, context: ProbeContext): Promise<RemoteProbe> {
  const { dir, commit } = await localCommit(context);
  const ref = `refs/heads/keyhouse-probe-${randomBytes(6).toString('hex')}`;
  const run = await runGit(
    ['push', '--dry-run', '--porcelain', url, `${commit}:${ref}`],
    remoteOptions(context, dir),
  );
  if (run.exitCode !== 0) return { ok: false, failure: classifyFailure(run) };
  return { ok: true, refCount: 1, branches: [] };
}
