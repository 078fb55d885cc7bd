import { mkdirSync, statSync } from 'node:fs';
import { ConfigError } from '../config/config-error.ts';

/**
 * Makes sure the data directory exists (created owner-only, mode 0700) and returns warnings
 * when an existing one is open to group or others. It holds only ciphertexts and wrapped keys,
 * so this warns rather than refuses; the key file inside is refused when loose
 * (see `assertOwnerOnly`). Throws {@link ConfigError} naming `KEYHOUSE_DATA_DIR` when the path
 * is not a usable directory.
 */
export function prepareDataDir(dataDir: string, platform: NodeJS.Platform = process.platform): string[] {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw ConfigError.forKey('KEYHOUSE_DATA_DIR', `cannot create the directory ${dataDir} (${code})`, {
      cause: error,
    });
  }
  const stats = statSync(dataDir);
  if (!stats.isDirectory()) throw ConfigError.forKey('KEYHOUSE_DATA_DIR', `${dataDir} is not a directory`);
  if (platform === 'win32') return [];
  const mode = Number(stats.mode) & 0o777;
  if ((mode & 0o077) === 0) return [];
  const octal = mode.toString(8).padStart(4, '0');
  const writable = (mode & 0o022) !== 0 ? ' and writable' : '';
  return [
    `The data directory ${dataDir} is readable${writable} by group or others (mode ${octal}); run chmod 700 on it.`,
  ];
}
