/**
 * Records how product code writes files, to check the hand-off rule (issue 10,
 * finding 13): a file another program reads is written to a temporary name,
 * fsynced and renamed; it is never opened for writing under its final name.
 *
 * Use from a test file (vi.mock is hoisted there):
 *   vi.mock('node:fs', async (actual) => (await import('…/hand-off-recorder.js')).recordingFs(await actual()));
 *   vi.mock('node:fs/promises', async (actual) => (await import('…/hand-off-recorder.js')).recordingFsPromises(await actual()));
 * (this module imports no fs itself, so the factories do not recurse).
 * The wrapped functions pass every call through to the real ones.
 */
import { resolve } from 'node:path';

/** One recorded file operation (paths absolute). */
export type FileOp = { op: 'write'; path: string } | { op: 'fsync'; path: string } | { op: 'rename'; from: string; to: string };

/** Every write, fsync and rename since the last {@link clearFileOps}. */
export const fileOps: FileOp[] = [];
const fdPaths = new Map<number, string>();

export function clearFileOps(): void {
  fileOps.length = 0;
}

/** open(2) flags that write, set by recordingFs from the real module's constants. */
let writeFlags = 0;
function writes(flags: unknown): boolean {
  if (typeof flags === 'number') return (flags & writeFlags) !== 0;
  return typeof flags === 'string' && /[wax+]/.test(flags);
}
const pathOf = (p: unknown): string | undefined => (typeof p === 'string' ? resolve(p) : p instanceof URL ? resolve(p.pathname) : undefined);

type AnyFn = (...args: unknown[]) => unknown;

/** node:fs with its writing functions recorded. */
export function recordingFs<T extends Record<string, unknown>>(actual: T): T {
  const fs = actual as unknown as Record<string, AnyFn>;
  const c = (actual as unknown as { constants: Record<string, number> }).constants;
  writeFlags = c.O_WRONLY! | c.O_RDWR! | c.O_CREAT! | c.O_TRUNC! | c.O_APPEND!;
  const wrapped: Record<string, unknown> = {
    ...actual,
    openSync(path: unknown, flags: unknown, ...rest: unknown[]) {
      const fd = fs.openSync!(path, flags, ...rest) as number;
      const p = pathOf(path);
      if (p && writes(flags)) {
        fileOps.push({ op: 'write', path: p });
        fdPaths.set(fd, p);
      }
      return fd;
    },
    closeSync(fd: number) {
      fdPaths.delete(fd);
      return fs.closeSync!(fd);
    },
    fsyncSync(fd: number) {
      const p = fdPaths.get(fd);
      if (p) fileOps.push({ op: 'fsync', path: p });
      return fs.fsyncSync!(fd);
    },
    writeFileSync(path: unknown, ...rest: unknown[]) {
      const p = pathOf(path);
      if (p) fileOps.push({ op: 'write', path: p });
      return fs.writeFileSync!(path, ...rest);
    },
    writeFile(path: unknown, ...rest: unknown[]) {
      const p = pathOf(path);
      if (p) fileOps.push({ op: 'write', path: p });
      return fs.writeFile!(path, ...rest);
    },
    createWriteStream(path: unknown, ...rest: unknown[]) {
      const p = pathOf(path);
      if (p) fileOps.push({ op: 'write', path: p });
      return fs.createWriteStream!(path, ...rest);
    },
    renameSync(from: unknown, to: unknown) {
      fileOps.push({ op: 'rename', from: pathOf(from)!, to: pathOf(to)! });
      return fs.renameSync!(from, to);
    },
  };
  return { ...wrapped, default: wrapped } as unknown as T;
}

/** node:fs/promises with its writing functions recorded. */
export function recordingFsPromises<T extends Record<string, unknown>>(actual: T): T {
  const fs = actual as unknown as Record<string, AnyFn>;
  const wrapped: Record<string, unknown> = {
    ...actual,
    async writeFile(path: unknown, ...rest: unknown[]) {
      const p = pathOf(path);
      if (p) fileOps.push({ op: 'write', path: p });
      return fs.writeFile!(path, ...rest);
    },
    async rename(from: unknown, to: unknown) {
      fileOps.push({ op: 'rename', from: pathOf(from)!, to: pathOf(to)! });
      return fs.rename!(from, to);
    },
    async open(path: unknown, flags: unknown, ...rest: unknown[]) {
      const p = pathOf(path);
      if (p && writes(flags)) fileOps.push({ op: 'write', path: p });
      return fs.open!(path, flags, ...rest);
    },
  };
  return { ...wrapped, default: wrapped } as unknown as T;
}

/**
 * Why `path` was not handed off atomically, or null when it was: it must
 * never have been opened for writing under its own name, and must have
 * appeared by a rename from a file that was written and fsynced first.
 */
export function handOffViolation(path: string): string | null {
  const target = resolve(path);
  if (fileOps.some((o) => o.op === 'write' && o.path === target)) return `${target} was written in place`;
  const renameAt = fileOps.findIndex((o) => o.op === 'rename' && o.to === target);
  if (renameAt < 0) return `${target} did not appear by a rename`;
  const from = (fileOps[renameAt] as Extract<FileOp, { op: 'rename' }>).from;
  const before = fileOps.slice(0, renameAt);
  if (!before.some((o) => o.op === 'write' && o.path === from)) return `${from} (renamed to ${target}) was never written`;
  if (!before.some((o) => o.op === 'fsync' && o.path === from)) return `${from} was renamed to ${target} without fsync`;
  return null;
}
