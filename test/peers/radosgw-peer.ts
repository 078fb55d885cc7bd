/**
 * Ceph `radosgw` (real S3: SigV4, users, read-only sub-users, bucket policies) on 127.0.0.1: a
 * one-monitor, one-OSD (memstore) cluster in a temporary folder, each daemon a foreground child
 * stopped by its pid. Starting takes seconds (RGW creates its pools), so start it once per file.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

const BINARIES = [
  '/usr/bin/ceph-mon',
  '/usr/bin/ceph-osd',
  '/usr/bin/radosgw',
  '/usr/bin/radosgw-admin',
  '/usr/bin/ceph',
  '/usr/bin/ceph-authtool',
  '/usr/bin/monmaptool',
];

/** A running radosgw. */
export interface RadosgwPeer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Milliseconds from the first command to RGW answering HTTP. */
  readonly startMs: number;
  readonly processes: readonly PeerProcess[];
  /** Runs `radosgw-admin` against this cluster (arguments only; secrets go in as arguments of the test's own making). */
  admin(args: readonly string[]): string;
  stop(): Promise<void>;
}

/** The skip reason when Ceph is not installed (throws under `KEYHOUSE_REQUIRE_PEERS=1`). */
export function radosgwSkipReason(): string | undefined {
  return peerSkipReason('radosgw', 'ceph-mon ceph-osd radosgw', BINARIES);
}

function cephConf(dir: string, monPort: number, rgwPort: number, bindBase: number): string {
  return `[global]
fsid = ${randomUUID()}
mon host = v2:127.0.0.1:${monPort}
public network = 127.0.0.0/8
ms bind port min = ${bindBase}
ms bind port max = ${bindBase + 40}
run dir = ${dir}/run
admin socket = ${dir}/run/$name.asok
log file = ${dir}/log/$name.log
keyring = ${dir}/keyring
mon data = ${dir}/mon/$cluster-$id
osd data = ${dir}/osd/$cluster-$id
osd objectstore = memstore
memstore device bytes = 1073741824
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon max pg per osd = 1000
mon warn on pool no redundancy = false
mon data avail warn = 1
auth allow insecure global id reclaim = false
[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:${rgwPort}
rgw data = ${dir}/rgw
`;
}

function makeKeys(dir: string, c: readonly string[]): void {
  const keyring = join(dir, 'keyring');
  run('ceph-authtool', [keyring, '--create-keyring', '--gen-key', '-n', 'mon.', '--cap', 'mon', 'allow *'], {
    cwd: dir,
  });
  run(
    'ceph-authtool',
    [
      keyring,
      '--gen-key',
      '-n',
      'client.admin',
      '--cap',
      'mon',
      'allow *',
      '--cap',
      'osd',
      'allow *',
      '--cap',
      'mgr',
      'allow *',
    ],
    { cwd: dir },
  );
  run(
    'ceph-authtool',
    [keyring, '--gen-key', '-n', 'client.rgw', '--cap', 'mon', 'allow rw', '--cap', 'osd', 'allow rwx'],
    { cwd: dir },
  );
  run(
    'ceph-authtool',
    [
      keyring,
      '--gen-key',
      '-n',
      'osd.0',
      '--cap',
      'mon',
      'allow profile osd',
      '--cap',
      'osd',
      'allow *',
      '--cap',
      'mgr',
      'allow profile osd',
    ],
    { cwd: dir },
  );
  run('ceph-mon', [...c, '--mkfs', '-i', 'a', '--monmap', join(dir, 'monmap'), '--keyring', keyring], {
    cwd: dir,
  });
}

async function startOsd(dir: string, c: readonly string[]): Promise<PeerProcess> {
  const uuid = randomUUID();
  const secret = run('ceph-authtool', [join(dir, 'keyring'), '-n', 'osd.0', '-p'], { cwd: dir }).trim();
  writeFileSync(join(dir, 'osd', 'new.json'), JSON.stringify({ cephx_secret: secret }));
  run('ceph', [...c, 'osd', 'new', uuid, '0', '-i', join(dir, 'osd', 'new.json')], { cwd: dir });
  run('ceph-osd', [...c, '-i', '0', '--mkfs', '--osd-uuid', uuid], { cwd: dir });
  const osd = startPeerProcess('osd', 'ceph-osd', [...c, '-i', '0', '-f'], { cwd: dir, dir });
  await waitUntil(
    'ceph-osd',
    () => run('ceph', [...c, 'osd', 'stat'], { cwd: dir }).includes('1 up'),
    60_000,
    300,
  );
  return osd;
}

/** Brings up mon, osd and rgw; resolves when RGW answers HTTP. */
export async function startRadosgwPeer(): Promise<RadosgwPeer> {
  const started = Date.now();
  const dir = makeTempDir('radosgw');
  for (const sub of ['run', 'log', 'mon', 'osd/ceph-0', 'rgw'])
    mkdirSync(join(dir, sub), { recursive: true });
  const [monPort, rgwPort] = [await freePort(), await freePort()];
  const bindBase = 20_000 + Math.floor(Math.random() * 400) * 100;
  writeFileSync(join(dir, 'ceph.conf'), cephConf(dir, monPort, rgwPort, bindBase));
  const c = ['-c', join(dir, 'ceph.conf')];
  run(
    'monmaptool',
    ['--create', '--addv', 'a', `[v2:127.0.0.1:${monPort}]`, '--fsid', readFsid(dir), join(dir, 'monmap')],
    { cwd: dir },
  );
  makeKeys(dir, c);
  const processes: PeerProcess[] = [
    startPeerProcess('mon', 'ceph-mon', [...c, '-i', 'a', '-f'], { cwd: dir, dir }),
  ];
  const stop = async () => {
    for (const p of [...processes].reverse()) await p.stop(10_000);
    removeTempDir(dir);
  };
  try {
    run('timeout', ['60', 'ceph', ...c, '-s'], { cwd: dir });
    processes.push(await startOsd(dir, c));
    processes.push(startPeerProcess('rgw', 'radosgw', [...c, '-n', 'client.rgw', '-f'], { cwd: dir, dir }));
    await waitUntil('radosgw', () => answersHttp(`http://127.0.0.1:${rgwPort}/`), 90_000, 200);
  } catch (error) {
    const log = tail(join(dir, 'log', 'client.rgw.log'));
    await stop();
    throw new Error(`${String(error)}\n${log}`);
  }
  return {
    endpoint: `http://127.0.0.1:${rgwPort}`,
    startMs: Date.now() - started,
    processes,
    admin: (args) => run('radosgw-admin', [...c, ...args], { cwd: dir }),
    stop,
  };
}

function readFsid(dir: string): string {
  return /fsid = (\S+)/.exec(readFileSync(join(dir, 'ceph.conf'), 'utf8'))?.[1] ?? '';
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-2000);
  } catch {
    return '';
  }
}
