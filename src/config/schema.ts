import Type, { type Static } from 'typebox';

/** Log levels accepted by `KEYHOUSE_LOG_LEVEL`, most verbose first. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** A log level name. */
export type LogLevel = (typeof LOG_LEVELS)[number];

const int = (minimum: number, maximum: number, fallback: number, description: string) =>
  Type.Integer({
    minimum,
    maximum,
    default: fallback,
    description,
    reason: `must be an integer from ${minimum} to ${maximum}`,
  });

/**
 * The one configuration schema: every environment key Keyhouse reads, with its default and the
 * reason given when a value is refused (`reason`, a schema annotation). Values arrive as strings
 * and are converted to the declared types before the check.
 */
export const ConfigSchema = Type.Object(
  {
    KEYHOUSE_HOST: Type.String({
      default: '127.0.0.1',
      pattern: '^[A-Za-z0-9.:\\[\\]-]{1,253}$',
      description: 'Address the HTTP server listens on.',
      reason: 'must be a host name or an IP address',
    }),
    KEYHOUSE_PORT: int(1, 65535, 7070, 'TCP port of the HTTP server.'),
    KEYHOUSE_DATA_DIR: Type.String({
      default: './.keyhouse',
      minLength: 1,
      description: 'Directory of the embedded database, its lock file and the generated master key.',
      reason: 'must be a directory path',
    }),
    DATABASE_URL: Type.Optional(
      Type.String({
        pattern: '^postgres(ql)?://',
        description:
          'A postgres:// URL switches storage to PostgreSQL; absent means SQLite in the data directory.',
        reason: 'must be a postgres:// or postgresql:// URL',
      }),
    ),
    KEYHOUSE_MASTER_KEY: Type.Optional(
      Type.String({
        description: 'Master key, base64 of 32 random bytes. Exclusive with KEYHOUSE_MASTER_KEY_FILE.',
        reason: 'must be base64 of exactly 32 bytes',
      }),
    ),
    KEYHOUSE_MASTER_KEY_FILE: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'File holding the master key (base64 text or 32 raw bytes), readable by its owner only.',
        reason: 'must be a file path',
      }),
    ),
    KEYHOUSE_LOG_LEVEL: Type.Union(
      LOG_LEVELS.map((level) => Type.Literal(level)),
      {
        default: 'info',
        description: 'Minimum level written to the log.',
        reason: `must be one of ${LOG_LEVELS.join(', ')}`,
      },
    ),
    KEYHOUSE_BOOTSTRAP_ADMIN: Type.String({
      default: 'admin',
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$',
      description: 'Login of the administrator created on first start.',
      reason: 'must be a login of 1 to 63 letters, digits, ".", "_" or "-", starting with a letter or digit',
    }),
    KEYHOUSE_BOOTSTRAP_WORKSPACE: Type.String({
      default: 'default',
      pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
      description: 'Slug of the workspace created on first start.',
      reason: 'must be a slug of 1 to 63 lower-case letters, digits or "-", starting with a letter or digit',
    }),
    KEYHOUSE_VERIFY_EXPIRY_WINDOW_DAYS: int(
      1,
      365,
      14,
      'A credential expiring within this many days is "expiring".',
    ),
    KEYHOUSE_VERIFY_INTERVAL_HOURS: int(
      1,
      720,
      24,
      'Every integration is re-verified this often, spread over the interval.',
    ),
    KEYHOUSE_VERIFY_SCHEDULE: Type.Boolean({
      default: true,
      description: 'Re-verify integrations on a schedule in this process.',
      reason: 'must be true or false',
    }),
    KEYHOUSE_ROLE_STALENESS_SECONDS: int(
      1,
      86_400,
      3_600,
      'A synced role older than this is refreshed before use.',
    ),
    KEYHOUSE_SQLITE_BUSY_TIMEOUT_MS: int(
      0,
      600_000,
      5_000,
      'How long SQLite waits for a lock before failing.',
    ),
    KEYHOUSE_PG_POOL_MAX: int(1, 200, 10, 'Maximum PostgreSQL connections per process.'),
    KEYHOUSE_BODY_LIMIT_BYTES: int(1_024, 16_777_216, 1_048_576, 'Largest accepted HTTP request body.'),
    KEYHOUSE_TRUST_PROXY: Type.Boolean({
      default: false,
      description: 'Trust X-Forwarded-* headers from a reverse proxy.',
      reason: 'must be true or false',
    }),
  },
  { additionalProperties: true },
);

/** The configuration as validated from the environment, keyed by environment name. */
export type RawConfig = Static<typeof ConfigSchema>;

/** Environment keys the server reads (the schema's keys). */
export const CONFIG_KEYS: readonly string[] = Object.freeze(Object.keys(ConfigSchema.properties));

/**
 * `KEYHOUSE_*` keys that belong to the command-line client, not to the server: known, so that
 * they are not reported as typos.
 */
export const CLIENT_KEYS: readonly string[] = Object.freeze(['KEYHOUSE_URL', 'KEYHOUSE_TOKEN']);
