/**
 * Azure DevOps shapes: the integration's non-secret config and the fields of the answers the
 * adapter reads (connectionData, profile, Git repository, refs).
 */
import { type Static, Type } from 'typebox';

const Url = Type.String({ pattern: '^https?://[^\\s]+$' });

/** Non-secret config of an Azure DevOps integration. */
export const AzureDevopsConfigSchema = Type.Object({
  organization: Type.String({ minLength: 1 }),
  project: Type.Optional(Type.String({ minLength: 1 })),
  repository: Type.Optional(Type.String({ minLength: 1 })),
  branch: Type.Optional(Type.String({ minLength: 1 })),
  cloneUrl: Type.Optional(Type.String({ minLength: 1 })),
  /** Organisation host root (default `https://dev.azure.com`; Server: the collection URL's root). */
  apiBaseUrl: Type.Optional(Url),
  /** Profile host (default `https://app.vssps.visualstudio.com`). */
  profileBaseUrl: Type.Optional(Url),
  /** Microsoft Entra authority for service principals (default `https://login.microsoftonline.com`). */
  authorityUrl: Type.Optional(Url),
});
/** Non-secret config of an Azure DevOps integration. */
export type AzureDevopsConfigInput = Static<typeof AzureDevopsConfigSchema>;

/** GET /{organization}/_apis/connectionData. */
export const ConnectionDataSchema = Type.Object({
  authenticatedUser: Type.Object({ id: Type.String(), providerDisplayName: Type.Optional(Type.String()) }),
});

/** GET /_apis/profile/profiles/me. */
export const ProfileSchema = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  emailAddress: Type.Optional(Type.String()),
});

/** GET /{organization}/{project}/_apis/git/repositories/{repositoryId}. */
export const RepositorySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  remoteUrl: Type.String(),
});

/** A list answer: `{ count, value }`. */
export const ListSchema = Type.Object({ value: Type.Array(Type.Unknown()) });

/** The REST API version the adapter asks for. */
export const API_VERSION = '7.1';
