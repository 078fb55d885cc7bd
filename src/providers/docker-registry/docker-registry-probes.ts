/**
 * Probes of what a registry credential can do on the repository: pull (HEAD the configured tag's
 * manifest, or list tags) and push (start a blob upload, then cancel it so nothing is left).
 */
import type { DockerRegistryConfig } from './docker-registry-config.ts';
import { parseChallenge, type RegistryAnswer, type RegistryHttp } from './docker-registry-http.ts';

/** The result of one probe. */
export interface ProbeResult {
  readonly action: 'pull' | 'push';
  readonly result: 'allowed' | 'denied' | 'not-found' | 'error';
  readonly detail: string;
  /** Set when a cancelled upload could not be removed (its path, never a token). */
  readonly leftover?: string;
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

function auth(authorization: string | undefined): Record<string, string> {
  return authorization === undefined ? {} : { authorization };
}

function errorCode(answer: RegistryAnswer & { kind: 'http' }): string | undefined {
  try {
    const body = JSON.parse(answer.body) as { errors?: { code?: unknown }[] };
    const code = body.errors?.[0]?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

function classify(action: 'pull' | 'push', answer: RegistryAnswer, okStatus: number): ProbeResult {
  if (answer.kind === 'network') return { action, result: 'error', detail: answer.detail };
  if (answer.status === okStatus || (action === 'pull' && answer.status === 200)) {
    return { action, result: 'allowed', detail: `HTTP ${answer.status}` };
  }
  const reason = parseChallenge(answer.headers.get('www-authenticate'))?.params['error'] ?? errorCode(answer);
  const detail = `HTTP ${answer.status}${reason === undefined ? '' : ` (${reason})`}`;
  if (answer.status === 401 || answer.status === 403) return { action, result: 'denied', detail };
  if (answer.status === 404) return { action, result: 'not-found', detail };
  return { action, result: 'error', detail };
}

/** Pull probe: `HEAD /v2/<name>/manifests/<tag>` when a tag is configured, else `GET …/tags/list?n=1`. */
export async function probePull(
  http: RegistryHttp,
  config: DockerRegistryConfig & { repository: string },
  authorization: string | undefined,
): Promise<ProbeResult> {
  const path = `${config.baseUrl}/v2/${config.repository}`;
  const answer =
    config.tag === undefined
      ? await http.send(`${path}/tags/list?n=1`, { headers: auth(authorization) })
      : await http.send(`${path}/manifests/${encodeURIComponent(config.tag)}`, {
          method: 'HEAD',
          headers: { ...auth(authorization), accept: MANIFEST_TYPES },
        });
  return classify('pull', answer, 200);
}

/**
 * Push probe that changes nothing: `PUT /v2/<name>/manifests/<probe tag>` with an empty manifest.
 * The registry authorises before it parses, so 400 `MANIFEST_INVALID` means push is allowed.
 */
export async function probePushByManifest(
  http: RegistryHttp,
  config: DockerRegistryConfig & { repository: string },
  authorization: string | undefined,
): Promise<ProbeResult> {
  const answer = await http.send(`${config.baseUrl}/v2/${config.repository}/manifests/keyhouse-probe`, {
    method: 'PUT',
    headers: {
      ...auth(authorization),
      'content-type': 'application/vnd.docker.distribution.manifest.v2+json',
    },
    body: '{}',
  });
  if (answer.kind === 'http' && answer.status === 400) {
    return {
      action: 'push',
      result: 'allowed',
      detail: `HTTP 400 (${errorCode(answer) ?? 'invalid'}): an empty manifest was refused after authorisation`,
    };
  }
  return classify('push', answer, 201);
}

/**
 * Push probe by upload: `POST /v2/<name>/blobs/uploads/` (202), then `DELETE` the upload it opened.
 * The cancel needs the delete action, and Distribution still keeps a hash-state file of the upload,
 * so the adapter uses it only when the manifest probe gave no clear answer.
 */
export async function probePushByUpload(
  http: RegistryHttp,
  config: DockerRegistryConfig & { repository: string },
  authorization: string | undefined,
): Promise<ProbeResult> {
  const answer = await http.send(`${config.baseUrl}/v2/${config.repository}/blobs/uploads/`, {
    method: 'POST',
    headers: { ...auth(authorization), 'content-length': '0' },
  });
  const result = classify('push', answer, 202);
  if (result.result !== 'allowed' || answer.kind !== 'http') return result;
  const location = answer.headers.get('location');
  if (location === null) return { ...result, detail: 'HTTP 202 without a Location; nothing to cancel' };
  const upload = new URL(location, `${config.baseUrl}/`);
  if (upload.origin !== new URL(config.baseUrl).origin) return { ...result, leftover: upload.pathname };
  const cancel = await http.send(upload.toString(), { method: 'DELETE', headers: auth(authorization) });
  const cancelled =
    cancel.kind === 'http' && (cancel.status === 204 || cancel.status === 200 || cancel.status === 404);
  return cancelled
    ? { ...result, detail: 'HTTP 202, upload cancelled' }
    : { ...result, leftover: upload.pathname };
}

/** Push probe: the manifest probe, then the upload probe when that was unclear and the cancel is allowed. */
export async function probePush(
  http: RegistryHttp,
  config: DockerRegistryConfig & { repository: string },
  authorization: string | undefined,
  canCancel: boolean,
): Promise<ProbeResult> {
  const first = await probePushByManifest(http, config, authorization);
  return first.result === 'error' && canCancel ? probePushByUpload(http, config, authorization) : first;
}
