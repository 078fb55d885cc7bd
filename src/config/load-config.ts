import { join } from 'node:path';
import { Compile } from 'typebox/compile';
import { decodeKeyText } from '../secrets/key-material.ts';
import { ConfigError, type ConfigIssue } from './config-error.ts';
import { CLIENT_KEYS, CONFIG_KEYS, ConfigSchema, type LogLevel, type RawConfig } from './schema.ts';

/** An environment-like record: `process.env` fits, so does a literal in a test. */
export type EnvRecord = Readonly<Record<string, string | undefined>>;

/** Where the database lives. */
export type DatabaseConfig =
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'postgres'; readonly url: string };

/**
 * Where the master key comes from. `inline` carries the key text under `secret`, a name the
 * logger redacts; `default` is `<dataDir>/master.key`, created on first start when absent.
 */
export type MasterKeySource =
  | { readonly kind: 'inline'; readonly secret: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'default'; readonly path: string };

/** The parsed, frozen configuration passed down from the one place that reads the environment. */
export interface KeyhouseConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  readonly masterKey: MasterKeySource;
  readonly logLevel: LogLevel;
  readonly bootstrap: { readonly admin: string; readonly workspace: string };
  readonly verifyExpiryWindowDays: number;
  readonly verifyIntervalHours: number;
  readonly verifySchedule: boolean;
  readonly roleStalenessSeconds: number;
  readonly sqliteBusyTimeoutMs: number;
  readonly pgPoolMax: number;
  readonly bodyLimitBytes: number;
  readonly trustProxy: boolean;
}

/** File name of the SQLite database inside the data directory. */
export const SQLITE_FILE_NAME = 'keyhouse.db';
/** File name of the generated master key inside the data directory. */
export const MASTER_KEY_FILE_NAME = 'master.key';

const validator = Compile(ConfigSchema);

/**
 * Parses the configuration once from an environment-like record. Empty values count as unset.
 * Throws {@link ConfigError} naming every key at fault (never its value).
 */
export function loadConfig(env: EnvRecord): KeyhouseConfig {
  const raw = parseRaw(env);
  const dataDir = raw.KEYHOUSE_DATA_DIR;
  const config: KeyhouseConfig = {
    host: raw.KEYHOUSE_HOST,
    port: raw.KEYHOUSE_PORT,
    dataDir,
    database:
      raw.DATABASE_URL === undefined
        ? { kind: 'sqlite', file: join(dataDir, SQLITE_FILE_NAME) }
        : { kind: 'postgres', url: raw.DATABASE_URL },
    masterKey: masterKeySource(raw),
    logLevel: raw.KEYHOUSE_LOG_LEVEL,
    bootstrap: { admin: raw.KEYHOUSE_BOOTSTRAP_ADMIN, workspace: raw.KEYHOUSE_BOOTSTRAP_WORKSPACE },
    verifyExpiryWindowDays: raw.KEYHOUSE_VERIFY_EXPIRY_WINDOW_DAYS,
    verifyIntervalHours: raw.KEYHOUSE_VERIFY_INTERVAL_HOURS,
    verifySchedule: raw.KEYHOUSE_VERIFY_SCHEDULE,
    roleStalenessSeconds: raw.KEYHOUSE_ROLE_STALENESS_SECONDS,
    sqliteBusyTimeoutMs: raw.KEYHOUSE_SQLITE_BUSY_TIMEOUT_MS,
    pgPoolMax: raw.KEYHOUSE_PG_POOL_MAX,
    bodyLimitBytes: raw.KEYHOUSE_BODY_LIMIT_BYTES,
    trustProxy: raw.KEYHOUSE_TRUST_PROXY,
  };
  return deepFreeze(config);
}

function parseRaw(env: EnvRecord): RawConfig {
  const input: Record<string, string> = {};
  for (const key of CONFIG_KEYS) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') input[key] = value.trim();
  }
  const issues = integerTextIssues(input);
  const candidate = validator.Convert(validator.Default(input));
  issues.push(...schemaIssues(candidate));
  issues.push(...crossFieldIssues(input));
  if (issues.length > 0) throw new ConfigError(sortIssues(issues));
  return candidate as RawConfig;
}

const INTEGER_TEXT = /^[+-]?\d+$/;

/** The converter would truncate `70.5` to 70; integers must be written as integers. */
function integerTextIssues(input: Record<string, string>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const properties = ConfigSchema.properties as Record<string, { type?: unknown }>;
  for (const [key, text] of Object.entries(input)) {
    if (properties[key]?.type === 'integer' && !INTEGER_TEXT.test(text)) {
      issues.push({ key, reason: reasonFor(key) });
      delete input[key];
    }
  }
  return issues;
}

function schemaIssues(candidate: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const error of validator.Errors(candidate)) {
    const key = error.instancePath.split('/')[1] ?? 'configuration';
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ key, reason: reasonFor(key) });
  }
  return issues;
}

function reasonFor(key: string): string {
  const schema = (ConfigSchema.properties as Record<string, { reason?: unknown }>)[key];
  return typeof schema?.reason === 'string' ? schema.reason : 'is invalid';
}

function crossFieldIssues(input: Readonly<Record<string, string>>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const inline = input['KEYHOUSE_MASTER_KEY'];
  if (inline !== undefined && input['KEYHOUSE_MASTER_KEY_FILE'] !== undefined) {
    issues.push({
      key: 'KEYHOUSE_MASTER_KEY',
      reason: 'set either it or KEYHOUSE_MASTER_KEY_FILE, not both',
    });
  } else if (inline !== undefined) {
    const decoded = decodeKeyText(inline);
    if (typeof decoded === 'string') issues.push({ key: 'KEYHOUSE_MASTER_KEY', reason: decoded });
    else decoded.fill(0);
  }
  const url = input['DATABASE_URL'];
  if (url !== undefined && /^postgres(ql)?:\/\//.test(url) && !URL.canParse(url)) {
    issues.push({ key: 'DATABASE_URL', reason: 'must be a well-formed postgres:// URL' });
  }
  return issues;
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  const rank = (key: string) => {
    const index = CONFIG_KEYS.indexOf(key);
    return index === -1 ? CONFIG_KEYS.length : index;
  };
  return issues.sort((a, b) => rank(a.key) - rank(b.key));
}

function masterKeySource(raw: RawConfig): MasterKeySource {
  if (raw.KEYHOUSE_MASTER_KEY !== undefined) return { kind: 'inline', secret: raw.KEYHOUSE_MASTER_KEY };
  if (raw.KEYHOUSE_MASTER_KEY_FILE !== undefined) return { kind: 'file', path: raw.KEYHOUSE_MASTER_KEY_FILE };
  return { kind: 'default', path: join(raw.KEYHOUSE_DATA_DIR, MASTER_KEY_FILE_NAME) };
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreeze(child);
  }
  return Object.freeze(value);
}

/**
 * `KEYHOUSE_*` keys present in the environment that nobody reads: most likely typos. The caller
 * decides whether to warn.
 */
export function findUnknownKeys(env: EnvRecord): string[] {
  const known = new Set([...CONFIG_KEYS, ...CLIENT_KEYS]);
  return Object.keys(env)
    .filter((key) => key.startsWith('KEYHOUSE_') && !known.has(key))
    .sort();
}

/** Values in the configuration that the log redactor must know: the inline key, the database password. */
export function configSecrets(config: KeyhouseConfig): string[] {
  const secrets: string[] = [];
  if (config.masterKey.kind === 'inline') secrets.push(config.masterKey.secret);
  if (config.database.kind === 'postgres' && URL.canParse(config.database.url)) {
    const password = new URL(config.database.url).password;
    if (password !== '') secrets.push(password, safeDecode(password));
  }
  return secrets;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A view of the configuration that is safe to log or print: no key, no database password. */
export function describeConfig(config: KeyhouseConfig): Record<string, unknown> {
  const database =
    config.database.kind === 'postgres'
      ? { kind: 'postgres', url: maskUrl(config.database.url) }
      : config.database;
  const { masterKey, ...rest } = config;
  const masterKeySource = masterKey.kind === 'inline' ? { kind: 'inline' } : masterKey;
  return { ...rest, database, masterKeySource };
}

function maskUrl(url: string): string {
  if (!URL.canParse(url)) return '[unparseable URL]';
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}
