import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The e2e specs on their own (until the lead adds the `e2e` project to
 * vitest.config.ts with the same options): real pcscd, vpcd readers shared
 * machine-wide and one browser host per file, so one file at a time.
 * Build the renderer first: `npx vite build --config renderer/vite.config.ts`,
 * then `npx vitest run --config tests/e2e/vitest.e2e.config.ts`.
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    name: 'e2e',
    include: ['tests/e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
  },
});
