/**
 * The shell checks the native addons' ABI before anything loads them, so the
 * static import graph of main.ts must not reach better-sqlite3 or pcsclite
 * (open-station, which does, is imported dynamically after the check).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Static `import … from '…'` specifiers (type-only imports are erased, so skipped). */
function staticImports(source: string): string[] {
  return [...source.matchAll(/^import\s+(?!type\s)[^'"]*?['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

function graph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const stack = [resolve(entry)];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of staticImports(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) {
        packages.add(spec);
        continue;
      }
      const ts = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      expect(existsSync(ts), `${spec} from ${file}`).toBe(true);
      stack.push(ts);
    }
  }
  return { files, packages };
}

describe('main.ts static imports', () => {
  it('load no native addon and not the station (imported after the ABI check)', () => {
    const { files, packages } = graph('electron/shell/main.ts');
    expect([...packages].filter((p) => /better-sqlite3|pcsclite|bindings/.test(p))).toEqual([]);
    expect([...files].some((f) => f.endsWith('open-station.ts') || f.endsWith('sqlite.ts') || f.includes('/native/pcsc/'))).toBe(false);
    expect(files.has(resolve('native/abi-check.ts'))).toBe(true);
    expect(readFileSync('electron/shell/main.ts', 'utf8')).toContain("await import('../boot/open-station.js')");
  });
});
