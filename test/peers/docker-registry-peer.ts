/**
 * The Debian `docker-registry` (CNCF Distribution) with token auth on 127.0.0.1, its token service
 * being {@link startTokenIssuer}. The key pair and certificate are generated per start with
 * openssl; nothing is kept after `stop()`.
 */
import { X509Certificate } from 'node:crypto';
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
import { type IssuerUser, startTokenIssuer, type TokenIssuer } from './registry-token-issuer.ts';

/** The registry binary of the Debian package. */
export const REGISTRY_BINARY = '/usr/bin/docker-registry';

/** A running registry with its token service. */
export interface RegistryPeer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `127.0.0.1:<port>` */
  readonly host: string;
  readonly service: string;
  /** The registry's storage folder (for checking that probes leave nothing). */
  readonly dataDir: string;
  readonly issuer: TokenIssuer;
  readonly process: PeerProcess;
  /** Milliseconds from spawn to the first HTTP answer. */
  readonly startMs: number;
  stop(): Promise<void>;
}

/** The skip reason when the registry is not installed (throws under `KEYHOUSE_REQUIRE_PEERS=1`). */
export function registrySkipReason(): string | undefined {
  return peerSkipReason('docker-registry', 'docker-registry openssl', [REGISTRY_BINARY, '/usr/bin/openssl']);
}

function registryConfig(dir: string, port: number, realm: string, service: string): string {
  return [
    'version: 0.1',
    'log: { level: warn }',
    'storage:',
    `  filesystem: { rootdirectory: ${join(dir, 'data')} }`,
    '  delete: { enabled: true }',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${Math.random().toString(36).slice(2)}`,
    'auth:',
    '  token:',
    `    realm: ${realm}`,
    `    service: ${service}`,
    '    issuer: keyhouse-test-issuer',
    `    rootcertbundle: ${join(dir, 'token.crt')}`,
    '',
  ].join('\n');
}

/** A key pair and self-signed certificate for the token issuer, made with openssl. */
function makeIssuerCertificate(dir: string): { keyFile: string; certFile: string } {
  const keyFile = join(dir, 'token.key');
  const certFile = join(dir, 'token.crt');
  const subject = '/CN=keyhouse-test-issuer';
  const args = [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    '1',
    '-subj',
    subject,
  ];
  run('openssl', args, { cwd: dir });
  return { keyFile, certFile };
}

/** Starts the token service and the registry; `users` decides who may pull and push what. */
export async function startRegistryPeer(users: Readonly<Record<string, IssuerUser>>): Promise<RegistryPeer> {
  const dir = makeTempDir('registry');
  const { keyFile, certFile } = makeIssuerCertificate(dir);
  const certDer = new X509Certificate(readFileSync(certFile)).raw.toString('base64');
  const issuer = await startTokenIssuer({
    issuer: 'keyhouse-test-issuer',
    keyPem: readFileSync(keyFile, 'utf8'),
    certDer,
    users,
  });
  const port = await freePort();
  const service = 'keyhouse-test-registry';
  writeFileSync(join(dir, 'config.yml'), registryConfig(dir, port, issuer.url, service));
  const started = Date.now();
  const child = startPeerProcess('registry', REGISTRY_BINARY, ['serve', join(dir, 'config.yml')], {
    cwd: dir,
    dir,
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil('docker-registry', () => answersHttp(`${url}/v2/`), 10_000);
  } catch (error) {
    await child.stop(1000);
    await issuer.close();
    throw new Error(`${String(error)}\n${readFileSync(join(dir, 'registry.out'), 'utf8')}`);
  }
  const startMs = Date.now() - started;
  return {
    url,
    host: `127.0.0.1:${port}`,
    service,
    dataDir: join(dir, 'data'),
    issuer,
    process: child,
    startMs,
    async stop() {
      await child.stop(3000);
      await issuer.close();
      removeTempDir(dir);
    },
  };
}
