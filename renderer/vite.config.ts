/**
 * Vite build of the renderer: root renderer/, output renderer/dist with
 * relative asset paths (base './') so the same build loads from Electron's
 * app:// protocol and from the browser host. JSX goes through Vite's own
 * esbuild (automatic runtime); no React plugin is needed.
 * `vite --config renderer/vite.config.ts` is the dev server with hot reload.
 */
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // No inline scripts or eval anywhere: the CSP forbids them.
    modulePreload: { polyfill: false },
  },
  server: {
    host: '127.0.0.1',
    // The contract and the bridge client live outside the renderer root.
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
  },
});
