/**
 * The one way the station writes a file another program reads (issue 10,
 * finding 13 "Half-written files"): CPR results in the drop folder, the CRL,
 * exports, PIN mailers, the audit anchor, the keyring and config files.
 *
 * The bytes go to a hidden temporary name in the same directory
 * (`.NAME.<pid>.<random>.tmp`, so folder watchers that skip dot files and
 * `.tmp` files never take it), are flushed with fsync(2), and the file is
 * then renamed over `NAME` with rename(2), which POSIX makes atomic within one
 * file system: a reader opening `NAME` sees the old file or the new one,
 * never a prefix of the new one. The directory is fsynced after the rename
 * so the new name itself survives a power cut (where the platform allows
 * opening a directory; on Windows rename is still atomic, the flush is skipped).
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** Permission bits of the new file (default 0o600: most hand-offs hold personal data). */
  mode?: number;
}

/** The temporary name `path` is written under before the rename. */
export function temporaryNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Writes `data` to `path` so that no reader ever sees a partial file.
 *
 * @param path the final file name (its directory must exist)
 * @param data the whole content: UTF-8 text or bytes
 * @throws the fs error (ENOENT, EACCES, ENOSPC, …) when the file cannot be
 *   written; the temporary file is removed and `path` is left as it was
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): void {
  const tmp = temporaryNameFor(path);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  // 'wx': a fresh file of our own, never someone else's file or symlink at that name.
  const fd = openSync(tmp, 'wx', opts.mode ?? 0o600);
  try {
    try {
      for (let off = 0; off < bytes.byteLength; ) off += writeSync(fd, bytes, off, bytes.byteLength - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  syncDirectory(dirname(path));
}

/** Flushes a directory entry change (the rename) to disk; best effort where directories cannot be opened. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open a directory, some file systems refuse fsync on one: the rename is atomic regardless.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
