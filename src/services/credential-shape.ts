/**
 * Checks an integration's provider, credential type, credential fields and non-secret settings
 * against the catalogue: the secret fields go in `credential` (write-only), the non-secret ones
 * (an app id, an installation id) in `config`. Errors name the field, never a value.
 */
import {
  type Catalogue,
  CatalogueError,
  checkFeatures,
  getCredentialType,
  getProvider,
} from '../core/catalogue/index.ts';
import type { CredentialType } from '../core/catalogue/schema.ts';
import { KeyhouseError } from '../core/errors.ts';

function invalid(path: string, message: string): KeyhouseError {
  return new KeyhouseError('validation_failed', `${path} ${message}`, {
    details: { fields: [{ path, message }] },
  });
}

/** The catalogue's credential type of a provider, or a 400 naming the bad field. */
export function credentialTypeOf(
  catalogue: Catalogue,
  provider: string,
  credentialType: string,
): CredentialType {
  try {
    return getCredentialType(getProvider(catalogue, provider), credentialType);
  } catch (error) {
    if (!(error instanceof CatalogueError)) throw error;
    const path = error.code === 'unknown_provider' ? 'body.provider' : 'body.credentialType';
    throw invalid(path, error.issues[0]?.message ?? 'is not known');
  }
}

/** Checks the secret fields of a credential: every required one present, no unknown one. */
export function checkCredentialFields(
  type: CredentialType,
  credential: Readonly<Record<string, string>>,
  path = 'body.credential',
): void {
  const secret = type.fields.filter((f) => f.secret);
  for (const name of Object.keys(credential)) {
    const field = type.fields.find((f) => f.name === name);
    if (!field)
      throw invalid(
        `${path}.${name}`,
        `is not a field of this credential type (fields: ${secret.map((f) => f.name).join(', ')})`,
      );
    if (!field.secret) throw invalid(`${path}.${name}`, 'is not secret: put it in config');
  }
  for (const f of secret) {
    if (!f.optional && !(f.name in credential)) throw invalid(`${path}.${f.name}`, 'is required');
  }
}

/** Checks create input against the catalogue: provider, type, secret fields, settings and features. */
export function checkIntegrationShape(
  catalogue: Catalogue,
  input: {
    provider: string;
    credentialType: string;
    credential: Readonly<Record<string, string>>;
    config?: Readonly<Record<string, unknown>>;
    /** A config update: the credential is not part of it. */
    partial?: boolean;
  },
): void {
  const type = credentialTypeOf(catalogue, input.provider, input.credentialType);
  if (!input.partial) checkCredentialFields(type, input.credential);
  for (const f of type.fields.filter((x) => !x.secret && !x.optional)) {
    if (input.config?.[f.name] === undefined)
      throw invalid(`body.config.${f.name}`, 'is required for this credential type');
  }
  const features = input.config?.['features'];
  if (features !== undefined) {
    if (!Array.isArray(features)) throw invalid('body.config.features', 'must be a list of feature ids');
    try {
      checkFeatures(getProvider(catalogue, input.provider), features as string[]);
    } catch (error) {
      if (error instanceof CatalogueError)
        throw invalid('body.config.features', error.issues.map((i) => i.message).join(' '));
      throw error;
    }
  }
}
