/**
 * Gitea probes: one read request per enabled feature's route category, and the parsing of the
 * 403 a missing scope produces — `token does not have at least one of required scope(s),
 * required=[…], token scope=…` (newer Gitea names the granted scopes; older Gitea and Forgejo
 * only the required ones).
 */
import { Compile } from 'typebox/compile';
import type { HttpOutcome } from '../http/index.ts';
import type { GiteaConfig } from './gitea-config.ts';
import { ApiErrorSchema } from './gitea-schema.ts';

const apiError = Compile(ApiErrorSchema);

/** What a 403 scope refusal says. */
export interface ScopeRefusal {
  readonly required: readonly string[];
  /** The token's scopes, when the message names them. */
  readonly granted?: readonly string[];
}

/** Parses a scope refusal message; undefined when the message is something else. */
export function parseScopeRefusal(message: string): ScopeRefusal | undefined {
  if (!message.includes('does not have at least one of required scope')) return undefined;
  const required =
    /\[([^\]]*)\]/
      .exec(message)?.[1]
      ?.split(/[\s,]+/)
      .filter(Boolean) ?? [];
  const grantedText = /token scope=(.*)$/.exec(message)?.[1]?.trim();
  if (grantedText === undefined) return { required };
  return {
    required,
    granted: grantedText
      .split(',')
      .map((scope) => scope.trim())
      .filter(Boolean),
  };
}

/** The scope refusal of a 403 answer, when it is one. */
export function scopeRefusal(outcome: HttpOutcome): ScopeRefusal | undefined {
  if (outcome.kind !== 'response' || outcome.status !== 403 || !apiError.Check(outcome.json))
    return undefined;
  return parseScopeRefusal(outcome.json.message);
}

/** One read probe: the request and the feature(s) it stands for. */
export interface Probe {
  readonly path: string;
  readonly features: readonly string[];
}

/** The read probes for the enabled features (the repository itself is read separately). */
export function probesFor(features: readonly string[], cfg: GiteaConfig): Probe[] {
  const wanted = (ids: readonly string[]) => ids.filter((id) => features.includes(id));
  const probes: Probe[] = [];
  const add = (path: string, ids: readonly string[]) => {
    const hit = wanted(ids);
    if (hit.length > 0) probes.push({ path, features: hit });
  };
  add('/user/repos?limit=1', ['list-repositories']);
  add('/user/orgs?limit=1', ['list-organisations']);
  if (cfg.organization !== undefined)
    add(`/orgs/${encodeURIComponent(cfg.organization)}/members?limit=1`, ['read-org-members']);
  if (cfg.owner !== undefined)
    add(`/packages/${encodeURIComponent(cfg.owner)}?limit=1`, ['pull-images', 'push-images']);
  return probes;
}
