/**
 * What the local GitHub knows: users, organisations (with SAML SSO), repositories, tokens of
 * every kind and GitHub Apps with their installations. Tokens and keys are generated at run time;
 * none is ever written to the repository.
 */
import { generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import type { InstallationFacts, RepoFacts } from './github-fake-bodies.ts';

/** A permission level of a fine-grained token or app. */
export type Level = 'read' | 'write';

/** A token the fake accepts. */
export type FakeToken =
  | {
      readonly kind: 'classic' | 'oauth';
      readonly user: string;
      readonly scopes: readonly string[];
      /** `GitHub-Authentication-Token-Expiration` value, when the token expires. */
      readonly expiration?: string;
      readonly ssoAuthorized: readonly string[];
      revoked: boolean;
    }
  | {
      readonly kind: 'fine-grained';
      readonly user: string;
      /** The resource owner chosen at creation (user or organisation login). */
      readonly owner: string;
      readonly repositories: 'all' | readonly string[];
      readonly permissions: Readonly<Record<string, Level>>;
      readonly expiration?: string;
      revoked: boolean;
    }
  | {
      readonly kind: 'installation';
      readonly installationId: number;
      readonly expiresAtMs: number;
      revoked: boolean;
    };

/** A repository with its branches and collaborators. */
export interface FakeRepo extends RepoFacts {
  readonly branches: Record<string, string>;
  readonly collaborators: readonly string[];
}

/** An installation with its selected repositories (`owner/name`). */
export interface FakeInstallation extends InstallationFacts {
  readonly repositories: readonly string[];
}

/** A GitHub App: id, slug, the public key its JWTs are verified with. */
export interface FakeApp {
  readonly id: number;
  readonly slug: string;
  readonly publicKey: KeyObject;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random token body of GitHub's alphabet. */
export function randomTokenBody(length: number): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => BASE62[b % 62]).join('');
}

/** The model behind the fake's answers. */
export class FakeWorld {
  readonly users = new Map<string, { id: number; type: 'User' | 'Bot' }>();
  readonly orgs = new Map<string, { id: number; samlEnforced: boolean }>();
  readonly repos = new Map<string, FakeRepo>();
  readonly tokens = new Map<string, FakeToken>();
  readonly apps = new Map<string, FakeApp>();
  readonly installations = new Map<number, FakeInstallation>();
  #nextId = 1000;

  /** Adds a user (or bot) account. */
  addUser(login: string, type: 'User' | 'Bot' = 'User'): this {
    this.users.set(login, { id: this.#nextId++, type });
    return this;
  }

  /** Adds an organisation, optionally enforcing SAML SSO. */
  addOrg(login: string, samlEnforced = false): this {
    this.orgs.set(login, { id: this.#nextId++, samlEnforced });
    return this;
  }

  /** Adds a repository; `owner` must be a known user or organisation. */
  addRepo(
    full: string,
    opts: { private?: boolean; branches?: string[]; collaborators?: string[] } = {},
  ): this {
    const [owner = '', name = ''] = full.split('/');
    const org = this.orgs.get(owner);
    const ownerId = org?.id ?? this.users.get(owner)?.id ?? 1;
    const branches = Object.fromEntries(
      (opts.branches ?? ['main']).map((b) => [b, randomBytes(20).toString('hex')]),
    );
    this.repos.set(full.toLowerCase(), {
      owner,
      ownerId,
      ownerType: org ? 'Organization' : 'User',
      name,
      id: this.#nextId++,
      private: opts.private ?? true,
      defaultBranch: Object.keys(branches)[0] ?? 'main',
      branches,
      collaborators: [owner, ...(opts.collaborators ?? [])],
    });
    return this;
  }

  /** Issues a classic PAT (`ghp_`) or OAuth token (`gho_`). */
  issueClassic(
    user: string,
    scopes: string[],
    opts: { oauth?: boolean; expiration?: string; ssoAuthorized?: string[] } = {},
  ): string {
    const token = `${opts.oauth ? 'gho' : 'ghp'}_${randomTokenBody(36)}`;
    this.tokens.set(token, {
      kind: opts.oauth ? 'oauth' : 'classic',
      user,
      scopes,
      ssoAuthorized: opts.ssoAuthorized ?? [],
      revoked: false,
      ...(opts.expiration ? { expiration: opts.expiration } : {}),
    });
    return token;
  }

  /** Issues a fine-grained PAT (`github_pat_`). */
  issueFineGrained(
    user: string,
    owner: string,
    permissions: Record<string, Level>,
    opts: { repositories?: 'all' | string[]; expiration?: string } = {},
  ): string {
    const token = `github_pat_${randomTokenBody(22)}_${randomTokenBody(59)}`;
    this.tokens.set(token, {
      kind: 'fine-grained',
      user,
      owner,
      repositories: opts.repositories ?? 'all',
      permissions,
      revoked: false,
      ...(opts.expiration ? { expiration: opts.expiration } : {}),
    });
    return token;
  }

  /** Revokes a token: it answers 401 from now on. */
  revoke(token: string): void {
    const t = this.tokens.get(token);
    if (t) t.revoked = true;
  }

  /** Registers a GitHub App; returns its id and PEM private key (PKCS#1, as GitHub hands it out). */
  addApp(slug: string): { appId: string; privateKey: string } {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const id = this.#nextId++;
    this.apps.set(String(id), { id, slug, publicKey });
    return { appId: String(id), privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() };
  }

  /** Installs an app on an account. */
  install(
    appId: string,
    account: string,
    opts: { permissions: Record<string, Level>; repositories?: 'all' | string[]; suspendedAt?: string },
  ): string {
    const app = this.apps.get(appId);
    if (!app) throw new Error(`unknown app ${appId}`);
    const org = this.orgs.get(account);
    const id = this.#nextId++;
    const selected =
      opts.repositories === undefined || opts.repositories === 'all' ? undefined : opts.repositories;
    this.installations.set(id, {
      id,
      appId: app.id,
      appSlug: app.slug,
      account,
      accountId: org?.id ?? this.users.get(account)?.id ?? 1,
      accountType: org ? 'Organization' : 'User',
      permissions: { metadata: 'read', ...opts.permissions },
      repositorySelection: selected ? 'selected' : 'all',
      suspendedAt: opts.suspendedAt ?? null,
      repositories: selected ?? [],
    });
    return String(id);
  }

  /** Mints an installation token (`ghs_`), valid one hour. */
  mintInstallationToken(installationId: number, now: number): { token: string; expiresAt: string } {
    const token = `ghs_${randomTokenBody(36)}`;
    const expiresAtMs = now + 3_600_000;
    this.tokens.set(token, { kind: 'installation', installationId, expiresAtMs, revoked: false });
    return { token, expiresAt: new Date(expiresAtMs).toISOString().replace(/\.\d{3}Z$/, 'Z') };
  }

  /** The repository `owner/name`, case-insensitively. */
  repo(owner: string, name: string): FakeRepo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }
}
