/**
 * Files the officer names on the command line (`--out FILE`, `--pin-mailer
 * FILE`, `--csv FILE`, `person import FILE`, `cpr submit FILE`…): a path
 * mistake is a clear sentence naming the path and what is wrong with it
 * (INVALID_INPUT), never INTERNAL.
 *
 * Outputs are written through the station's one atomic hand-off
 * (core/atomic-file.ts), owner-only (0600) unless said otherwise, and are
 * checked before the work that produces them, so a production is never run
 * for a PIN mailer that then cannot be written.
 */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { writeFileAtomic, type AtomicWriteOptions } from '../core/atomic-file.js';
import { StationError } from '../core/errors.js';

/** What went wrong with a path, in the officer's words, by fs error code. */
const PROBLEMS: Record<string, string> = {
  ENOENT: 'does not exist',
  ENOTDIR: 'has a part that is not a folder',
  EISDIR: 'is a folder: give a file name',
  EACCES: 'is not allowed for this user',
  EPERM: 'is not allowed for this user',
  EROFS: 'is on a read-only file system',
  ENOSPC: 'cannot be written: the disk is full',
  ENAMETOOLONG: 'is too long',
  ELOOP: 'leads to a loop of symbolic links',
};

/** True when `e` is a Node fs error this module can put in words. */
export function isFileError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && (e as NodeJS.ErrnoException).code! in PROBLEMS;
}

/**
 * The sentence for a file error.
 * @param what the file's role, e.g. "audit export"
 */
export function fileProblem(e: NodeJS.ErrnoException, what: string, path = e.path ?? ''): StationError {
  const problem = PROBLEMS[e.code ?? ''] ?? 'cannot be used';
  return new StationError('INVALID_INPUT', `The ${what} ${path} ${problem}.`, { path, reason: e.code ?? 'unknown' });
}

/**
 * Reads a file the officer named.
 * @throws StationError INVALID_INPUT when it is missing, a folder or unreadable
 */
export function readInputFile(path: string, what: string): Buffer {
  try {
    if (statSync(path).isDirectory()) throw Object.assign(new Error('folder'), { code: 'EISDIR', path });
    return readFileSync(path);
  } catch (e) {
    throw isFileError(e) ? fileProblem(e, what, path) : e;
  }
}

/**
 * Checks, before the work that produces it, that `path` can take an output: not a folder, in an
 * existing folder this user may write.
 * @throws StationError INVALID_INPUT naming the path and the problem
 */
export function checkOutputPath(path: string, what: string): void {
  const folder = dirname(resolve(path));
  try {
    let isFolder = false;
    try {
      isFolder = statSync(path).isDirectory();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (isFolder) throw Object.assign(new Error('folder'), { code: 'EISDIR', path });
    if (!statSync(folder).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR', path: folder });
    accessSync(folder, constants.W_OK);
  } catch (e) {
    if (!isFileError(e)) throw e;
    if (e.path === path) throw fileProblem(e, what, path);
    throw new StationError('INVALID_INPUT', `The ${what} cannot be written to ${path}: its folder ${folder} ${PROBLEMS[e.code!]}.`, { path, reason: e.code! });
  }
}

/**
 * Writes an output file atomically (0600 unless `opts.mode`).
 * @throws StationError INVALID_INPUT when the path is not usable
 */
export function writeOutputFile(path: string, data: string | Uint8Array, what: string, opts?: AtomicWriteOptions): void {
  checkOutputPath(path, what);
  try {
    writeFileAtomic(path, data, opts);
  } catch (e) {
    throw isFileError(e) ? fileProblem(e, what, path) : e;
  }
}
