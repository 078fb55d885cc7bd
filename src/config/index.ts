export { ConfigError, type ConfigIssue } from './config-error.ts';
export {
  configSecrets,
  type DatabaseConfig,
  describeConfig,
  type EnvRecord,
  findUnknownKeys,
  type KeyhouseConfig,
  loadConfig,
  MASTER_KEY_FILE_NAME,
  type MasterKeySource,
  SQLITE_FILE_NAME,
} from './load-config.ts';
export {
  CLIENT_KEYS,
  CONFIG_KEYS,
  ConfigSchema,
  LOG_LEVELS,
  type LogLevel,
  type RawConfig,
} from './schema.ts';
