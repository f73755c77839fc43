import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The Electron specs (`*.electron.ts`, Playwright `_electron.launch`): only
 * where an Electron binary exists. Not matched by the default projects.
 *   STATION_ELECTRON_PATH=/path/to/electron npx vitest run --config tests/electron/vitest.config.ts
 * Build first (tsc -p tsconfig.json, tsc -p tsconfig.shell.json, build:preload,
 * renderer) and rebuild the native addons for that Electron.
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    name: 'electron',
    include: ['tests/electron/**/*.electron.ts'],
    environment: 'node',
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
  },
});
