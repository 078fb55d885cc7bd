/**
 * Apache 2.4 with `git http-backend` (smart HTTP) on 127.0.0.1, Basic auth from an htpasswd file:
 * every known user may read, only the named writers may push (403 for the others). One bare
 * repository `demo.git` with a commit on `main`. Its own `httpd.conf`, never Debian's.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  answersHttp,
  freePort,
  makeTempDir,
  type PeerProcess,
  peerSkipReason,
  removeTempDir,
  run,
  startPeerProcess,
  waitUntil,
} from './peer-support.ts';

/** The Apache binary of the Debian package. */
export const APACHE_BINARY = '/usr/sbin/apache2';
const MODULES = [
  'mpm_prefork',
  'authn_core',
  'authn_file',
  'authz_core',
  'authz_user',
  'auth_basic',
  'alias',
  'cgi',
  'env',
];

/** A running git server. */
export interface GitHttpPeer {
  /** `http://127.0.0.1:<port>/git/` */
  readonly baseUrl: string;
  readonly process: PeerProcess;
  readonly startMs: number;
  /** The `access.log` lines so far (`%h %u "%r" %>s`). */
  accessLog(): string[];
  stop(): Promise<void>;
}

/** The skip reason when Apache is not installed (throws under `KEYHOUSE_REQUIRE_PEERS=1`). */
export function gitHttpSkipReason(): string | undefined {
  return peerSkipReason('git http-backend', 'apache2 apache2-utils git', [
    APACHE_BINARY,
    '/usr/bin/htpasswd',
    '/usr/bin/git',
  ]);
}

function gitExecPath(): string {
  return spawnSync('git', ['--exec-path'], { encoding: 'utf8' }).stdout.trim();
}

function httpdConf(dir: string, port: number, writers: readonly string[]): string {
  const root = process.getuid?.() === 0;
  return [
    `ServerRoot "${dir}"`,
    'ServerName 127.0.0.1',
    `Listen 127.0.0.1:${port}`,
    `PidFile ${dir}/run/httpd.pid`,
    `DefaultRuntimeDir ${dir}/run`,
    `ErrorLog ${dir}/error.log`,
    ...MODULES.map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`),
    ...(root ? ['User www-data', 'Group www-data'] : []),
    'StartServers 1',
    'MinSpareServers 1',
    'MaxSpareServers 3',
    'LogFormat "%h %u \\"%r\\" %>s" short',
    `CustomLog ${dir}/access.log short`,
    `SetEnv GIT_PROJECT_ROOT ${dir}/repos`,
    'SetEnv GIT_HTTP_EXPORT_ALL 1',
    `ScriptAlias /git/ ${gitExecPath()}/git-http-backend/`,
    '<Location /git/>',
    '  AuthType Basic',
    '  AuthName "git"',
    '  AuthBasicProvider file',
    `  AuthUserFile ${dir}/htpasswd`,
    '  AuthzSendForbiddenOnFailure On',
    '  Require valid-user',
    '  <If "%{QUERY_STRING} =~ /service=git-receive-pack/ || %{REQUEST_URI} =~ m#/git-receive-pack$#">',
    `    Require user ${writers.join(' ')}`,
    '  </If>',
    '</Location>',
    '',
  ].join('\n');
}

function seedRepository(dir: string): void {
  const bare = join(dir, 'repos', 'demo.git');
  const work = join(dir, 'work');
  run('git', ['init', '-q', '--bare', bare], { cwd: dir });
  run('git', ['init', '-q', '-b', 'main', work], { cwd: dir });
  writeFileSync(join(work, 'README'), 'demo\n');
  run('git', ['add', 'README'], { cwd: work });
  run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '-m', 'seed'], {
    cwd: work,
  });
  run('git', ['push', '-q', bare, 'main'], { cwd: work });
  run('git', ['--git-dir', bare, 'symbolic-ref', 'HEAD', 'refs/heads/main'], { cwd: dir });
  if (process.getuid?.() === 0) run('chown', ['-R', 'www-data:www-data', join(dir, 'repos')], { cwd: dir });
}

/** Starts Apache; `users` maps names to passwords, `writers` may push. */
export async function startGitHttpPeer(
  users: Readonly<Record<string, string>>,
  writers: readonly string[],
): Promise<GitHttpPeer> {
  const dir = makeTempDir('git');
  run('mkdir', ['-p', join(dir, 'run'), join(dir, 'repos')], { cwd: dir });
  for (const [index, [name, password]] of Object.entries(users).entries()) {
    // -i reads the password from stdin, so it never appears in a process list.
    run('htpasswd', [index === 0 ? '-ciB' : '-iB', join(dir, 'htpasswd'), name], {
      cwd: dir,
      input: password,
    });
  }
  seedRepository(dir);
  const port = await freePort();
  writeFileSync(join(dir, 'httpd.conf'), httpdConf(dir, port, writers));
  const started = Date.now();
  const child = startPeerProcess('apache', APACHE_BINARY, ['-f', join(dir, 'httpd.conf'), '-DFOREGROUND'], {
    cwd: dir,
    dir,
  });
  const baseUrl = `http://127.0.0.1:${port}/git/`;
  try {
    await waitUntil('apache', () => answersHttp(baseUrl), 10_000);
  } catch (error) {
    await child.stop(1000);
    throw new Error(`${String(error)}\n${readFileSync(join(dir, 'apache.out'), 'utf8')}`);
  }
  return {
    baseUrl,
    process: child,
    startMs: Date.now() - started,
    accessLog: () => readFileSync(join(dir, 'access.log'), 'utf8').split('\n').filter(Boolean),
    async stop() {
      await child.stop(5000);
      removeTempDir(dir);
    },
  };
}
