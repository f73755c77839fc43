#!/usr/bin/env node
/**
 * `npm run build:host`: the browser host as one ES module, dist/host-bundle/main.mjs,
 * bundled by esbuild from tsc's output (dist/electron/host/main.js, so run after
 * `tsc -p tsconfig.json`).
 *
 * Why (issue 14, start-up): Node 20 spends most of the host's start-up finding,
 * reading and compiling some 330 small modules (the core, zod's files, the
 * ASN.1 packages); from one file the host listens after about a third of that
 * CPU time. Modules the core imports on first use (the PIN mailer's pdf-lib, the
 * CPR's pkijs) become chunks beside it, loaded when used. The native addons
 * (better-sqlite3, pcsclite, sharp) stay outside and are required from
 * node_modules as before; `require` is given to the bundled CommonJS packages.
 *
 * Exit code: 0 built, 1 esbuild failed (its messages on stderr).
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'host-bundle');

rmSync(outdir, { recursive: true, force: true });
try {
  await build({
    entryPoints: [join(root, 'dist', 'electron', 'host', 'main.js')],
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    // Whitespace and syntax only (names kept, so stack traces read as the code): less for Node to parse at every start (issue 14).
    minifyWhitespace: true,
    minifySyntax: true,
    external: ['better-sqlite3', 'pcsclite', 'sharp', 'electron'],
    banner: { js: "import { createRequire as __stationCreateRequire } from 'node:module'; const require = __stationCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
} catch {
  process.exitCode = 1;
}
