import { defineConfig } from 'vitest/config';

/**
 * Four projects: `unit` (in-process, parallel), `integration` (real pcscd +
 * vpcd: two virtual readers shared machine-wide, so one file at a time),
 * `reliability` (the fault sweeps, same readers, one file at a time) and
 * `e2e` (Chromium against the browser host, also one file at a time).
 */
export default defineConfig({
  test: {
    projects: [
      {
        // Renderer component tests are .tsx: JSX through esbuild's automatic runtime.
        esbuild: { jsx: 'automatic' },
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'tests/unit/**/*.test.tsx'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          // singleFork: one file at a time (two vpcd readers are shared machine-wide)
          include: ['tests/integration/**/*.test.ts'],
          setupFiles: ['tests/support/child-cleanup.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 120_000,
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
      {
        test: {
          // Fault sweeps (issue 13) through the real pcscd + vpcd: a seeded sample by default,
          // every point with SWEEP_ALL=1 (npm run test:sweeps). Shares the readers: one file at a time.
          name: 'reliability',
          include: ['tests/reliability/**/*.test.ts'],
          setupFiles: ['tests/support/child-cleanup.ts'],
          environment: 'node',
          testTimeout: 3_600_000,
          hookTimeout: 120_000,
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
      {
        test: {
          name: 'e2e',
          // Playwright (playwright-core, Debian's Chromium) against the browser host; real pcscd + vpcd.
          include: ['tests/e2e/**/*.test.ts'],
          setupFiles: ['tests/support/child-cleanup.ts'],
          environment: 'node',
          testTimeout: 240_000,
          hookTimeout: 120_000,
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
