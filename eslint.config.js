// Lint: TypeScript recommended rules, plus the layout's import rules (DESIGN.md "Layout"):
// the core never imports `electron`; nothing but native/ loads a .node addon.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', 'renderer/dist/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Build and launch scripts run on Node.
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The core is plain Node: never import electron here.' }],
        patterns: [{ group: ['pcsclite', 'better-sqlite3', 'sharp'], allowTypeImports: true, message: 'Native addons are loaded only in native/.' }],
      }],
    },
  },
);
