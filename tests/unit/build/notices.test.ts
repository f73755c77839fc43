/**
 * Third-party notices of the packaged app (issue 13 "LICENSE"): generated from
 * node_modules by license-checker-rseidelsohn (scripts/build/third-party-notices.mjs)
 * in electron-builder's beforePack hook, and shipped by electron-builder.yml's
 * extraResources as resources/THIRD_PARTY_NOTICES.txt. `npm run package:check`
 * checks the file in a real pack.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NOTICES_FILE, NOTICES_SOURCE, writeThirdPartyNotices } from '../../../scripts/build/third-party-notices.mjs';

const require = createRequire(import.meta.url);
const ROOT = join(import.meta.dirname, '..', '..', '..');
/** electron-builder.yml, read with electron-builder's own YAML parser. */
const builderConfig = require('js-yaml').load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as {
  beforePack?: string;
  extraResources?: { from: string; to: string }[];
};
const dir = mkdtempSync(join(tmpdir(), 'notices-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('third-party notices', () => {
  it('list every production dependency with its license text, and no development tool', async () => {
    const out = join(dir, NOTICES_FILE);
    const { file, packages } = await writeThirdPartyNotices(ROOT, out);
    expect(file).toBe(out);
    const notices = readFileSync(out, 'utf8');
    const production = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);
    for (const dep of production) expect(packages.some((p) => p.startsWith(`${dep}@`)), dep).toBe(true);
    expect(notices).toMatch(/^better-sqlite3 \d+\.\d+\.\d+\nMIT\n/m);
    expect(notices).toMatch(/^zod \d+\.\d+\.\d+\nMIT\n/m);
    expect(notices).toContain('Permission is hereby granted, free of charge'); // the license files' text, not only their names
    expect(notices).not.toMatch(/^vitest /m);
    expect(packages.some((p) => p.startsWith('vitest@') || p.startsWith('electron-builder@'))).toBe(false);
  }, 120_000);

  it('are generated before every pack and shipped in the resources by electron-builder.yml', () => {
    expect(builderConfig.beforePack).toBe('scripts/build/before-pack.mjs');
    expect(builderConfig.extraResources).toContainEqual({ from: NOTICES_SOURCE, to: NOTICES_FILE });
  });
});
