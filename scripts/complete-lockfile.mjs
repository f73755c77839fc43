#!/usr/bin/env node
// Completes package-lock.json with the platform-specific optional packages
// that the npm registry reachable from our build machines does not serve
// (e.g. @rollup/rollup-android-arm-eabi answers 404 there). npm leaves such
// packages out of the lock, and `npm ci` then refuses the lock as out of sync.
// The entries added here are optional and restricted to their own os/cpu, so
// `npm ci` on Linux x64 skips them without fetching anything.
// Run after regenerating the lock: node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;

/** os/cpu/libc of a platform package, from its name (napi-rs/rollup naming). */
function platformOf(name) {
  const tail = name.split('/').pop();
  const os = ['android', 'darwin', 'freebsd', 'linux', 'openbsd', 'netbsd', 'sunos', 'win32', 'openharmony', 'aix'].find((o) => tail.includes(`-${o}-`) || tail.startsWith(`${o}-`));
  const cpu = ['arm64', 'arm', 'x64', 'ia32', 'ppc64', 'riscv64', 's390x', 'loong64', 'mips64el'].find((c) => new RegExp(`-${c}(-|$)`).test(tail));
  const libc = /-musl/.test(tail) ? ['musl'] : /-gnu/.test(tail) && os === 'linux' ? ['glibc'] : undefined;
  return { os: os ? [os === 'win32' ? 'win32' : os] : undefined, cpu: cpu ? [cpu] : undefined, libc };
}

let added = 0;
for (const [key, pkg] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const prefix = key === '' ? '' : `${key}/`;
    const nested = `${prefix}node_modules/${dep}`;
    const hoisted = `node_modules/${dep}`;
    if (packages[nested] || packages[hoisted]) continue;
    const { os, cpu, libc } = platformOf(dep);
    if (!os && !cpu) continue; // not a platform binary: leave it to npm
    packages[hoisted] = { version, optional: true, ...(os && { os }), ...(cpu && { cpu }), ...(libc && { libc }) };
    added++;
  }
}
writeFileSync(path, JSON.stringify(lock, null, 2) + '\n');
console.log(`complete-lockfile: added ${added} platform-only optional entries`);
