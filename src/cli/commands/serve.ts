/**
 * `keyhouse serve`: the composition root. Reads the configuration once, starts the service and
 * the HTTP server, prints the bootstrap admin's one-time token on the first start (to standard
 * output only, never to a log), and stops cleanly on SIGINT/SIGTERM.
 */
import { ConfigError } from '../../config/config-error.ts';
import { configSecrets, loadConfig } from '../../config/load-config.ts';
import { ConfigSchema } from '../../config/schema.ts';
import { KeyhouseError } from '../../core/errors.ts';
import { buildApp } from '../../http/app.ts';
import { createLogger } from '../../logging/create-logger.ts';
import { installProcessHandlers } from '../../logging/process-handlers.ts';
import { SecretRegistry } from '../../logging/secret-registry.ts';
import { prepareDataDir } from '../../secrets/data-dir.ts';
import { startKeyhouse } from '../../services/runtime.ts';
import { startVerifyScheduler } from '../../services/verify-scheduler.ts';
import { StorageError } from '../../storage/errors.ts';
import type { CliIO } from '../io.ts';

/** Runs the server until a signal stops it. Resolves with the exit code. */
export async function runServe(argv: string[], io: CliIO): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(serveHelp());
    return 0;
  }
  if (argv.length > 0) {
    io.stderr.write(
      `keyhouse serve: unexpected argument ${JSON.stringify(argv[0])}; settings come from the environment (keyhouse serve --help)\n`,
    );
    return 2;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(io.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`keyhouse: configuration error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const registry = new SecretRegistry();
  for (const s of configSecrets(config)) registry.register(s);
  const logger = createLogger({ level: config.logLevel, registry, base: { service: 'keyhouse' } });
  installProcessHandlers(logger, process);
  if (config.database.kind === 'sqlite')
    for (const warning of prepareDataDir(config.dataDir)) logger.warn(warning);
  let runtime: Awaited<ReturnType<typeof startKeyhouse>>;
  try {
    runtime = await startKeyhouse(config, { secrets: registry, warn: (m) => logger.warn(m) });
  } catch (error) {
    const known =
      error instanceof ConfigError || error instanceof StorageError || error instanceof KeyhouseError;
    if (!known && (error as { name?: string }).name !== 'MasterKeyMismatchError') throw error;
    io.stderr.write(`keyhouse: cannot start: ${(error as Error).message}\n`);
    return 1;
  }
  logger.info({ policyIndex: runtime.sync.loaded }, 'policy index loaded');
  if (config.database.kind === 'sqlite') {
    logger.info(
      'embedded SQLite store: commits are synced to disk (synchronous=FULL); use PostgreSQL (DATABASE_URL) for several processes',
    );
  }
  const app = await buildApp({ keyhouse: runtime.keyhouse, logger, bodyLimit: config.bodyLimitBytes });
  const address = await app.listen({ host: config.host, port: config.port });
  const scheduler = config.verifySchedule
    ? startVerifyScheduler(runtime.keyhouse.context, {
        intervalMs: config.verifyIntervalHours * 3_600_000,
        expiryWindowDays: config.verifyExpiryWindowDays,
      })
    : undefined;
  if (runtime.bootstrapToken) {
    io.stdout.write(
      `\nKeyhouse is ready at ${address}\n` +
        `Bootstrap admin "${config.bootstrap.admin}" of workspace "${config.bootstrap.workspace}". ` +
        'Its API token is shown this once — store it now:\n\n' +
        `  ${runtime.bootstrapToken}\n\n` +
        `Try: curl -H "Authorization: Bearer $TOKEN" ${address}/api/v1/me\n` +
        `API reference: ${address}/api/docs\n\n`,
    );
  } else {
    io.stdout.write(`Keyhouse is ready at ${address}\n`);
  }
  return new Promise<number>((resolve) => {
    const stop = async () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await scheduler?.stop();
      await app.close();
      await runtime.close();
      resolve(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** `keyhouse serve --help`: every setting with its default, from the one configuration schema. */
export function serveHelp(): string {
  const rows = Object.entries(ConfigSchema.properties).map(([key, schema]) => {
    const s = schema as { description?: string; default?: unknown };
    const fallback = s.default === undefined ? '' : ` (default ${String(s.default)})`;
    return `  ${key.padEnd(36)} ${s.description ?? ''}${fallback}`;
  });
  return [
    'Usage: keyhouse serve',
    '',
    'Starts the Keyhouse server. Settings are read from the environment:',
    '',
    ...rows,
    '',
    "On the first start it creates the bootstrap workspace and admin and prints the admin's API token once.",
    '',
  ].join('\n');
}
