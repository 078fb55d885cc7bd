#!/usr/bin/env node
// Launcher of the `keyhouse` CLI. The CLI is TypeScript run directly by Node 24's type stripping,
// so this file only finds a Node that can run it: the one running it when that is Node 24 or later
// with type stripping on, else the Node pinned in this package's node_modules (installed by
// `npm ci`), which it re-spawns with the same arguments and whose exit code it passes on.
// Plain JavaScript on purpose: an older Node must be able to read it to say what is wrong.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MIN_MAJOR = 24;
const major = Number(process.versions.node.split('.')[0]);
const strips = Boolean(process.features?.typescript);

if (major >= MIN_MAJOR && strips) {
  const { runCli } = await import('../src/cli/main.ts');
  await runCli(process.argv.slice(2));
} else {
  const binary =
    process.platform === 'win32' ? '../node_modules/node/bin/node.exe' : '../node_modules/node/bin/node';
  const pinned = fileURLToPath(new URL(binary, import.meta.url));
  if (!existsSync(pinned)) {
    process.stderr.write(
      `keyhouse needs Node.js ${MIN_MAJOR} or later with type stripping (this is ${process.version}); ` +
        'run `npm ci` to install the pinned one, or use `npx keyhouse`.\n',
    );
    process.exit(1);
  }
  const result = spawnSync(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  if (result.error) {
    process.stderr.write(`keyhouse: cannot start ${pinned}: ${result.error.message}\n`);
    process.exit(1);
  }
  process.exitCode = result.status ?? 128 + 1;
}
