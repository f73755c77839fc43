/**
 * The CPR drop folder: the IDPRS (or an operator) writes signed CPR files into
 * a directory; each is submitted once to the intake, then moved to
 * `processed/` (accepted) or `rejected/`, with `NAME.result.json` (the
 * CprResult) next to it.
 *
 * Writers should write under a temporary name (`.NAME`, `NAME.tmp`,
 * `NAME.part`) and rename; as a second guard a file is taken only once it has
 * not been modified for `settleMs`. A crash between submission and the move
 * submits the file again on the next scan: the intake answers a resent
 * accepted CPR with its original acceptance, so nothing is created twice.
 */
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { CprResult } from '../core/workflow/cpr-result.js';
import type { CprDoorIntake } from './cpr-server.js';
import { writeFileAtomic } from '../core/atomic-file.js';

/** Sub-folders made inside the drop folder. */
export const PROCESSED_DIR = 'processed';
export const REJECTED_DIR = 'rejected';
/** Suffix of the result file written next to a moved CPR. */
export const RESULT_SUFFIX = '.result.json';

const IN_PROGRESS = /^\.|\.(tmp|part)$/i;

/** Options of {@link CprFolderWatcher.start}. */
export interface CprFolderOptions {
  /** The drop folder (created if missing). */
  dir: string;
  intake: Pick<CprDoorIntake, 'submit'>;
  /** Milliseconds a file must be left unmodified before it is taken (default 1000). */
  settleMs?: number;
  /** Fallback rescan period in milliseconds, for file systems where fs.watch is silent (default 2000). */
  pollMs?: number;
  /** Called after each file (for the CLI's log line). */
  onResult?: (file: string, result: CprResult) => void;
  /** Clock (tests). */
  now?: () => number;
}

/** One file handled by a scan. */
export interface DroppedCpr {
  /** Original file name. */
  file: string;
  /** Where the file now is. */
  movedTo: string;
  result: CprResult;
}

/** Watches a drop folder; see the module comment. */
export class CprFolderWatcher {
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<DroppedCpr[]> | undefined;
  private rescan = false;
  private closed = false;

  private constructor(private readonly opts: CprFolderOptions) {}

  /**
   * Creates the folders and starts watching (an initial scan takes files already there).
   * @throws the fs error when the folder cannot be created
   */
  static async start(opts: CprFolderOptions, { watching = true }: { watching?: boolean } = {}): Promise<CprFolderWatcher> {
    const w = new CprFolderWatcher(opts);
    await mkdir(join(opts.dir, PROCESSED_DIR), { recursive: true });
    await mkdir(join(opts.dir, REJECTED_DIR), { recursive: true });
    if (watching) {
      w.watcher = watch(opts.dir, () => w.trigger());
      w.watcher.on('error', () => undefined);
      w.timer = setInterval(() => w.trigger(), opts.pollMs ?? 2000);
      w.trigger();
    }
    return w;
  }

  /**
   * Processes every settled file now, one at a time; a scan already running is
   * awaited and followed by a new one.
   */
  async scanOnce(): Promise<DroppedCpr[]> {
    while (this.scanning) await this.scanning;
    this.scanning = this.scan(this.opts.dir).finally(() => (this.scanning = undefined));
    return this.scanning;
  }

  /** Stops watching; waits for a scan in progress. */
  async close(): Promise<void> {
    this.closed = true;
    this.watcher?.close();
    if (this.timer) clearInterval(this.timer);
    await this.scanning;
  }

  private trigger(): void {
    if (this.closed) return;
    if (this.scanning) {
      this.rescan = true;
      return;
    }
    void this.scanOnce().then(
      () => {
        if (this.rescan && !this.closed) {
          this.rescan = false;
          this.trigger();
        }
      },
      () => undefined,
    );
  }

  private async scan(dir: string): Promise<DroppedCpr[]> {
    const done: DroppedCpr[] = [];
    const now = (this.opts.now ?? Date.now)();
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (this.closed) break;
      if (!entry.isFile() || IN_PROGRESS.test(entry.name) || entry.name.endsWith(RESULT_SUFFIX)) continue;
      const path = join(dir, entry.name);
      const info = await stat(path).catch(() => undefined);
      const settleMs = this.opts.settleMs ?? 1000;
      // settleMs 0 takes every file: mtime has sub-millisecond precision and may read a hair after Date.now().
      if (!info || (settleMs > 0 && now - info.mtimeMs < settleMs)) continue;
      done.push(await this.take(path, 'folder'));
    }
    return done;
  }

  private async take(path: string, channel: 'folder'): Promise<DroppedCpr> {
    const body = await readFile(path);
    const result = await this.opts.intake.submit(new Uint8Array(body), channel);
    const target = join(this.opts.dir, result.status === 'accepted' ? PROCESSED_DIR : REJECTED_DIR);
    const movedTo = await freeName(target, basename(path));
    // The IDPRS reads it: never a half-written file (atomic-file.ts).
    writeFileAtomic(movedTo + RESULT_SUFFIX, JSON.stringify(result, null, 2) + '\n', { mode: 0o644 });
    await rename(path, movedTo);
    this.opts.onResult?.(basename(path), result);
    return { file: basename(path), movedTo, result };
  }
}

/** `dir/name`, or `dir/name-2.ext`, `-3`… when taken (a file dropped twice keeps both copies). */
async function freeName(dir: string, name: string): Promise<string> {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 1; ; n++) {
    const candidate = join(dir, n === 1 ? name : `${stem}-${n}${ext}`);
    const exists = await stat(candidate).then(
      () => true,
      () => false,
    );
    if (!exists) return candidate;
  }
}
