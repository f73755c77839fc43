import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

/**
 * The packaging check (electron-builder, ~20 s, writes dist/): outside the
 * default unit/integration projects. Run: npx vitest run --config tests/packaging/vitest.config.ts
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['tests/packaging/**/*.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
  },
});
