/**
 * Electron fuses of the packaged app (issue 13 "Hardening: Electron fuses").
 * No Electron binary is installed here, so the fuses are flipped and read back
 * on a placeholder that carries the fuse sentinel and a wire in Electron's
 * default states; the afterPack hook runs on a packaged-app directory made for
 * the test. The third-party notices it checks for: notices.test.ts.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkFuses, ELECTRON_DEFAULT_FUSES, flipFuses, fuseConfigOf, placeholderElectron, readFuses } from '../../../scripts/build/fuses.mjs';
import afterPack from '../../../scripts/build/after-pack.mjs';

const require = createRequire(import.meta.url);
const ROOT = join(import.meta.dirname, '..', '..', '..');
/** electron-builder.yml, read with electron-builder's own YAML parser. */
const builderConfig = require('js-yaml').load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as { electronFuses?: Record<string, boolean>; afterPack?: string };
const dir = mkdtempSync(join(tmpdir(), 'fuses-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function placeholderAt(path: string): string {
  writeFileSync(path, placeholderElectron());
  chmodSync(path, 0o755);
  return path;
}

describe('the station’s fuse settings (electron-builder.yml)', () => {
  it('turn off RunAsNode, NODE_OPTIONS and --inspect, and turn on cookie encryption, asar integrity and only-asar', () => {
    expect(builderConfig.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    expect(builderConfig.afterPack).toBe('scripts/build/after-pack.mjs');
  });

  it('a misspelt setting is an error, not ignored', () => {
    expect(() => fuseConfigOf({ runAsnode: false })).toThrow(/runAsnode/);
  });
});

describe('fuses on a placeholder binary carrying the sentinel', () => {
  it('reads Electron’s defaults, flips to the station’s settings and reads them back', async () => {
    const binary = placeholderAt(join(dir, 'electron'));
    expect(await readFuses(binary)).toEqual(ELECTRON_DEFAULT_FUSES);
    expect((await checkFuses(binary, builderConfig.electronFuses!)).filter((f) => !f.ok).map((f) => f.name)).toEqual(
      expect.arrayContaining(['runAsNode', 'enableNodeOptionsEnvironmentVariable', 'enableNodeCliInspectArguments', 'enableCookieEncryption', 'enableEmbeddedAsarIntegrityValidation', 'onlyLoadAppFromAsar']),
    );
    await flipFuses(binary, builderConfig.electronFuses!);
    expect((await checkFuses(binary, builderConfig.electronFuses!)).every((f) => f.ok)).toBe(true);
    // The placeholder still is what it says it is.
    expect(readFileSync(binary, 'utf8')).toMatch(/^#!\/bin\/sh\necho "placeholder Electron/);
  });
});

describe('the afterPack hook', () => {
  /** A packaged Linux app directory and the parts of electron-builder's context the hook uses. */
  function packagedApp(name: string, addElectronFuses: (ctx: unknown, config: Record<string, unknown>) => Promise<unknown>) {
    const appOutDir = join(dir, name);
    mkdirSync(join(appOutDir, 'resources'), { recursive: true });
    const binary = placeholderAt(join(appOutDir, 'piv-station'));
    // What the beforePack hook generated and extraResources shipped (notices.test.ts).
    writeFileSync(join(appOutDir, 'resources', 'THIRD_PARTY_NOTICES.txt'), 'notices\n');
    const context = {
      appOutDir,
      electronPlatformName: 'linux',
      packager: {
        executableName: 'piv-station',
        appInfo: { productFilename: 'PIV Station' },
        info: { projectDir: ROOT },
        config: { electronFuses: builderConfig.electronFuses },
        getResourcesDir: (out: string) => join(out, 'resources'),
        addElectronFuses,
      },
    };
    return { context, binary, resources: join(appOutDir, 'resources') };
  }

  it('leaves the binary with the station’s fuses', async () => {
    const app = packagedApp('good', async (ctx, config) => {
      const fuses = require('@electron/fuses') as { flipFuses(path: string, config: unknown): Promise<number> };
      return fuses.flipFuses(join((ctx as { appOutDir: string }).appOutDir, 'piv-station'), config);
    });
    await afterPack(app.context as never);
    expect((await checkFuses(app.binary, builderConfig.electronFuses!)).every((f) => f.ok)).toBe(true);
  }, 60_000);

  it('fails the build when the package does not carry the third-party notices', async () => {
    const app = packagedApp('no-notices', async () => 0);
    rmSync(join(app.resources, 'THIRD_PARTY_NOTICES.txt'));
    await expect(afterPack(app.context as never)).rejects.toThrow(/no THIRD_PARTY_NOTICES\.txt/);
  }, 60_000);

  it('fails the build when the binary does not carry the fuses', async () => {
    const app = packagedApp('unflipped', async () => 0);
    await expect(afterPack(app.context as never)).rejects.toThrow(/fuses differ from electronFuses: runAsNode is true, not false/);
  }, 60_000);
});
