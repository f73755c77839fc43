// Lint: TypeScript recommended rules, plus the layout's import rules (DESIGN.md "Layout"; README "Architecture").
// Folders say where code runs, and imports only go one way:
//   contract  → nothing of ours (zod only): the shapes every side shares
//   bridge    → contract: the browser bridge's protocol and client (renderer) and frames (host)
//   core      → contract: plain Node, never electron, native/, the composition root, the servers or a face
//   servers   → core, contract: generic Node servers every face may start (CRL, CPR endpoint, CPR drop folder)
//   boot      → core, servers, native, contract: the composition root; no face
//   faces     → boot, servers, bridge, contract, never each other: cli, host (browser host), shell (Electron main), preload;
//               from the core only its errors and types: everything else goes through dispatch
//   renderer  → contract and bridge only
// native/ is reached through boot/ (it builds the ReaderProvider and the database the core is given); the CLI's card tools
// (`virtual-card attach`, `demo`) and the shell's ABI check are the only faces that load it directly.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// A file another program reads is written to a temporary name, fsynced and renamed, through one helper
// (electron/core/atomic-file.ts): the writing functions of fs are off limits everywhere else in product code.
const HAND_OFF_MESSAGE = 'Write files with writeFileAtomic (electron/core/atomic-file.ts): temporary name, fsync, rename.';
const HAND_OFF = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises'].map((name) => ({
  name,
  importNames: ['writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'createWriteStream'],
  message: HAND_OFF_MESSAGE,
}));

/** Import patterns of each folder, as they appear in relative imports from anywhere in the tree. */
const FOLDER = {
  core: '**/core/**',
  boot: '**/boot/**',
  servers: '**/servers/**',
  bridge: '**/bridge/**',
  cli: '**/cli/**',
  host: '**/host/**',
  shell: '**/shell/**',
  preload: '**/preload/**',
  native: '**/native/**',
};
const ADDONS = { group: ['pcsclite', 'better-sqlite3', 'sharp'], allowTypeImports: true, message: 'Native addons are loaded only in native/.' };
/** A face reaches the core only through dispatch: from the core it takes the error type (values) and type declarations. */
const FACE_CORE = {
  // The hand-off helper is a file utility with no state of the core: every face writes its files through it.
  group: ['**/core/**', '!**/core/errors.js', '!**/core/atomic-file.js'],
  allowTypeImports: true,
  message: 'A face reaches the core only through its dispatch (a StationHandle from boot/): it imports the core\'s errors and types, nothing else.',
};
const NO_ELECTRON = { name: 'electron', message: 'Only the Electron shell and preload import electron.' };

/** A no-restricted-imports rule forbidding the named folders (with why). */
function forbid(why, folders, { electron = true, extraPatterns = [] } = {}) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: [...(electron ? [NO_ELECTRON] : []), ...HAND_OFF],
        patterns: [ADDONS, { group: folders.map((f) => FOLDER[f] ?? f), message: why }, ...extraPatterns],
      },
    ],
  };
}

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
    files: ['electron/contract/**/*.ts'],
    rules: forbid('The contract imports nothing runtime-specific: zod and the contract only.', ['core', 'boot', 'servers', 'bridge', 'cli', 'host', 'shell', 'preload', 'native', 'node:*']),
  },
  {
    files: ['electron/bridge/**/*.ts'],
    rules: forbid('The bridge runs in the browser and in the host: it imports the contract only.', ['core', 'boot', 'servers', 'cli', 'host', 'shell', 'preload', 'native']),
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: forbid('The core is plain Node: it imports neither native/ (the composition root injects it), the composition root, the servers, the bridge nor a face.', ['boot', 'servers', 'bridge', 'cli', 'host', 'shell', 'preload', 'native']),
  },
  {
    files: ['electron/servers/**/*.ts'],
    rules: forbid('A server is plain Node shared by the faces: core and contract only.', ['boot', 'bridge', 'cli', 'host', 'shell', 'preload', 'native']),
  },
  {
    files: ['electron/boot/**/*.ts'],
    rules: forbid('The composition root serves the faces and never imports one.', ['bridge', 'cli', 'host', 'shell', 'preload']),
  },
  {
    files: ['electron/cli/**/*.ts'],
    rules: forbid('The CLI is a face: it does not import another face, nor the hardware side beyond its card tools.', ['host', 'shell', 'preload', '**/native/pcsc/**', '**/native/sqlite*'], { extraPatterns: [FACE_CORE] }),
  },
  {
    files: ['electron/host/**/*.ts'],
    rules: forbid('The browser host is a face: it does not import another face nor native/ (boot/ wires the readers).', ['cli', 'shell', 'preload', 'native'], { extraPatterns: [FACE_CORE] }),
  },
  {
    files: ['electron/shell/**/*.ts'],
    rules: forbid('The Electron shell is a face: it does not import another face, nor native/ beyond the ABI check.', ['cli', 'host', 'preload', '**/native/pcsc/**', '**/native/sqlite*', '**/native/virtual-card/**', '**/native/vpcd/**'], { electron: false, extraPatterns: [FACE_CORE] }),
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: forbid('The preload is bundled alone into the sandboxed renderer: electron and contract types only.', ['core', 'boot', 'servers', 'bridge', 'cli', 'host', 'shell', 'native'], { electron: false }),
  },
  {
    // The hardware side writes its card state files through the same hand-off helper.
    files: ['native/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: HAND_OFF }] },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    rules: forbid('The renderer reaches the station only through the contract and the bridge (src/api.ts).', ['core', 'boot', 'servers', 'cli', 'host', 'shell', 'preload', 'native', 'node:*']),
  },
);
