/**
 * Probes for fine-grained PATs, which cannot list their own permissions: for each enabled feature,
 * one safe GET request among the endpoints the catalogue names for it; a 403 names the missing
 * permission in `X-Accepted-GitHub-Permissions`. The endpoints come from the catalogue so the
 * probes and the documented requirements cannot drift apart.
 */
import { type Catalogue, getProvider, isUnsupported } from '../../core/catalogue/index.ts';
import { type GithubOctokitClient, send } from './github-client.ts';
import type { GithubConfig } from './github-config.ts';
import { meaningOf, type Report, record, recordNoAccess, recordSso } from './github-findings.ts';

/** One probe: a GET request standing for a feature. */
export interface Probe {
  readonly feature: string;
  readonly route: string;
  readonly params: Readonly<Record<string, string>>;
  /** What the catalogue says the feature needs (`contents:read`, …). */
  readonly needs: readonly string[];
}

/** A feature that no safe request can test, with the reason. */
export interface Unprobed {
  readonly feature: string;
  readonly reason: string;
}

// Archive endpoints redirect to another host; they prove nothing a contents probe does not.
const UNSAFE = /\/(tarball|zipball)\//;

function fillers(config: GithubConfig): Record<string, string> {
  const out: Record<string, string> = { path: '' };
  if (config.repository) Object.assign(out, { owner: config.repository.owner, repo: config.repository.name });
  const org = config.organisation ?? config.repository?.owner;
  if (org !== undefined) out['org'] = org;
  if (config.branch !== undefined) out['ref'] = config.branch;
  return out;
}

/** Chooses one fillable GET endpoint per enabled feature; the others are reported as unprobed. */
export function planProbes(
  catalogue: Catalogue,
  providerId: string,
  credentialType: string,
  features: readonly string[],
  config: GithubConfig,
): { probes: Probe[]; unprobed: Unprobed[] } {
  const provider = getProvider(catalogue, providerId);
  const fill = fillers(config);
  const probes: Probe[] = [];
  const unprobed: Unprobed[] = [];
  for (const feature of features) {
    const requirement = provider.features[feature]?.credentials[credentialType];
    if (requirement === undefined || isUnsupported(requirement)) {
      const reason = requirement === undefined ? 'not in the catalogue' : requirement.unsupported;
      unprobed.push({ feature, reason: `unsupported: ${reason}` });
      continue;
    }
    const needs = requirement.allOf.flatMap((c) => (typeof c === 'string' ? [c] : [c.anyOf.join(' or ')]));
    const endpoint = (requirement.endpoints ?? []).find((e) => {
      if (e.method !== 'GET' || e.permission === 'none' || UNSAFE.test(e.path)) return false;
      const names = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
      return names.every((name) => Object.hasOwn(fill, name));
    });
    if (endpoint === undefined) {
      const endpoints = requirement.endpoints ?? [];
      const reason =
        endpoints.length === 0
          ? 'no REST endpoint stands for it (git over HTTPS); the git checks test it'
          : endpoints.some((e) => e.method === 'GET' && e.permission !== 'none')
            ? 'its GET endpoints need values the integration does not configure (repository, organisation)'
            : 'only writing would test it, and verification sends safe requests only';
      if (needs.length > 0) unprobed.push({ feature, reason });
      continue;
    }
    const names = [...endpoint.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
    const params = Object.fromEntries(names.map((name) => [name, fill[name] ?? '']));
    probes.push({ feature, route: `GET ${endpoint.path}`, params, needs });
  }
  return { probes, unprobed };
}

function routeText(probe: Probe): string {
  return probe.route.replace(/\{(\w+)\}/g, (_, name: string) => probe.params[name] ?? name);
}

/** Runs the probes (one request per distinct route) and records findings and the `scopes` check. */
export async function runProbes(
  report: Report,
  octokit: GithubOctokitClient,
  plan: { probes: readonly Probe[]; unprobed: readonly Unprobed[] },
): Promise<'ok' | 'rate-limited' | 'unreachable' | 'invalid'> {
  const seen = new Map<string, ReturnType<typeof meaningOf>>();
  let missing = 0;
  for (const probe of plan.probes) {
    const key = routeText(probe);
    const meaning = seen.get(key) ?? meaningOf(await send(octokit, probe.route, probe.params));
    seen.set(key, meaning);
    if (meaning.kind === 'rate-limited' || meaning.kind === 'unreachable' || meaning.kind === 'invalid') {
      record(report, 'scopes', 'skipped', `Probing stopped: ${meaning.kind}.`);
      return meaning.kind;
    }
    if (meaning.kind === 'permission' || meaning.kind === 'forbidden') {
      missing += 1;
      const accepted =
        meaning.kind === 'permission'
          ? meaning.accepted.map((set) => set.join(' and ')).join(' or ')
          : undefined;
      const named = accepted ?? probe.needs.join(', ');
      report.finding(
        'scope_missing',
        'error',
        `Feature ${probe.feature}: ${key} answered 403 (${meaning.message}); it needs the fine-grained permission ${named}.`,
        `Edit the token and grant ${probe.needs.join(', ') || named}.`,
        'scopes',
      );
    } else if (meaning.kind === 'sso') recordSso(report, key, meaning.url);
    else if (meaning.kind === 'not-found')
      recordNoAccess(report, `${key} (feature ${probe.feature})`, 'scopes');
  }
  for (const u of plan.unprobed) {
    report.finding(
      'scope_unverified',
      'info',
      `Feature ${u.feature} was not probed: ${u.reason}.`,
      undefined,
      'scopes',
    );
  }
  const probed = plan.probes.map((p) => p.feature).join(', ') || '(none)';
  if (missing > 0) record(report, 'scopes', 'fail', `${missing} probe(s) refused; probed: ${probed}.`);
  else if (plan.probes.length === 0)
    record(report, 'scopes', 'skipped', 'No feature can be probed with a safe request.');
  else
    record(
      report,
      'scopes',
      'pass',
      `Safe GET probes answered for: ${probed} (read access proven; write levels are not tested).`,
    );
  return 'ok';
}
