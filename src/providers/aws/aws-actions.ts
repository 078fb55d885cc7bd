/**
 * The IAM actions a credential needs for the enabled features, from the catalogue's least-privilege
 * answer (never a second copy of the catalogue), and the resource each is simulated on.
 */
import { type Catalogue, leastPrivilege } from '../../core/catalogue/index.ts';
import type { AwsConfig } from './aws-schema.ts';

/** The actions to check for a credential type and features (features the provider lacks are ignored). */
export type RequiredActions = (
  credentialType: string,
  features: readonly string[],
) => Promise<readonly string[]>;

/** Actions that need no permission, so they are never simulated. */
const ALWAYS_ALLOWED = new Set(['sts:GetCallerIdentity']);

/** Required actions read from a loaded catalogue. */
export function actionsFromCatalogue(catalogue: Catalogue): RequiredActions {
  return async (credentialType, features) => {
    const provider = catalogue.providers['aws'];
    if (provider === undefined) return [];
    const offered = features.filter((f) => Object.hasOwn(provider.features, f));
    const answer = leastPrivilege(catalogue, { provider: 'aws', credentialType, features: offered });
    return answer.scopes.map((s) => s.scope).filter((a) => !ALWAYS_ALLOWED.has(a));
  };
}

/** Groups actions by the resource ARN they are simulated on (S3 object actions on the prefix). */
export function resourceGroups(actions: readonly string[], config: AwsConfig): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const action of actions) {
    let resource = '*';
    if (config.bucket !== undefined && action.startsWith('s3:')) {
      const prefix = (config.prefix ?? '').replace(/^\/+/, '');
      resource =
        action === 's3:ListBucket'
          ? `arn:aws:s3:::${config.bucket}`
          : `arn:aws:s3:::${config.bucket}/${prefix}*`;
    }
    groups.set(resource, [...(groups.get(resource) ?? []), action]);
  }
  return groups;
}
