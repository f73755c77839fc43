// Lint: TypeScript recommended rules, plus the layout's import rules (DESIGN.md "Layout"):
// the core never imports `electron`; nothing but native/ loads a .node addon.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// A file another program reads is written to a temporary name, fsynced and renamed, through one helper
// (electron/core/atomic-file.ts): the writing functions of fs are off limits everywhere else in product code.
const HAND_OFF_MESSAGE = 'Write files with writeFileAtomic (electron/core/atomic-file.ts): temporary name, fsync, rename.';
const handOffPaths = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises'].map((name) => ({
  name,
  importNames: ['writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'createWriteStream'],
  message: HAND_OFF_MESSAGE,
}));

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
        paths: [{ name: 'electron', message: 'The core is plain Node: never import electron here.' }, ...handOffPaths],
        patterns: [{ group: ['pcsclite', 'better-sqlite3'], allowTypeImports: true, message: 'Native addons are loaded only in native/.' }],
      }],
    },
  },
  {
    files: ['electron/boot/**/*.ts', 'electron/cli/**/*.ts', 'electron/host/**/*.ts', 'electron/shell/**/*.ts', 'native/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: handOffPaths }] },
  },
);
