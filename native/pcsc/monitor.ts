/**
 * Reader monitor: keeps an up-to-date list of PC/SC readers and card
 * presence from pcsclite's events ('reader' when a reader appears, reader
 * 'status' on every state change, reader 'end' when it disappears).
 *
 * One monitor owns one pcsclite context and its native threads (one for the
 * reader list, one per reader); `close()` stops them all so the process can
 * exit. If pcscd stops, monitoring fails over to a PCSC_UNAVAILABLE state and
 * re-opens the context every few seconds until pcscd is back.
 */
import type { ReaderStatus } from '../../electron/core/piv/transport.js';
import { StationError } from '../../electron/core/errors.js';
import { createAddonContext, ScardState, type AddonContext, type AddonReader, type AddonStatus } from './addon.js';
import { pcscError } from './errors.js';

/** Minimum wait before the initial reader list is trusted (ms): pcsclite reports readers asynchronously, and not at all when there are none. */
const INITIAL_SETTLE_MS = 200;
/** Upper bound on the initial wait for every reader's first status (ms). */
const INITIAL_MAX_WAIT_MS = 2000;
/** Delay between attempts to re-open the context after pcscd went away (ms). */
const REOPEN_DELAY_MS = 2000;

interface ReaderEntry {
  reader: AddonReader;
  status: ReaderStatus;
  /** True once the reader's first 'status' event arrived. */
  known: boolean;
  /** Count of present → absent transitions seen: a session compares it to detect a pulled card. */
  removals: number;
}

/** Live reader list over one pcsclite context. */
export class ReaderMonitor {
  private ctx: AddonContext | undefined;
  private readonly entries = new Map<string, ReaderEntry>();
  private readonly listeners = new Set<() => void>();
  private closed = false;
  private failure: StationError | undefined;
  private reopenTimer: NodeJS.Timeout | undefined;
  /** Resolves once the initial reader list and each reader's first status are known. */
  readonly ready: Promise<void>;

  private constructor(ctx: AddonContext) {
    this.ctx = ctx;
    this.attach(ctx);
    this.ready = this.settle();
  }

  /**
   * Opens a pcsclite context and starts monitoring.
   * @throws StationError PCSC_UNAVAILABLE when pcscd is not running (or TRANSPORT for another context failure)
   */
  static start(): ReaderMonitor {
    return new ReaderMonitor(openContext());
  }

  /** The current readers, sorted by name. @throws StationError PCSC_UNAVAILABLE while pcscd is away */
  list(): ReaderStatus[] {
    if (this.failure) throw this.failure;
    return [...this.entries.values()].map((e) => ({ ...e.status })).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Set when monitoring stopped because pcscd went away; cleared when it is back. */
  get unavailable(): StationError | undefined {
    return this.failure;
  }

  /** The pcsclite reader object for `name` (sessions share it: one card handle per reader and context). */
  reader(name: string): AddonReader | undefined {
    return this.entries.get(name)?.reader;
  }

  /** Current status of `name`, if the reader exists. */
  status(name: string): ReaderStatus | undefined {
    const entry = this.entries.get(name);
    return entry ? { ...entry.status } : undefined;
  }

  /** Number of card removals seen on `name` since monitoring started (-1 when the reader is gone). */
  removals(name: string): number {
    return this.entries.get(name)?.removals ?? -1;
  }

  /** Subscribes to changes (reader added/removed, card in/out). Returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Waits until `predicate()` holds, re-checking after each change.
   * @param timeoutMs give up after this many milliseconds
   * @returns true when the predicate held, false on timeout or close
   */
  waitFor(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
    if (predicate()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (result: boolean): void => {
        clearTimeout(timer);
        off();
        resolve(result);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      timer.unref();
      const off = this.onChange(() => {
        if (this.closed) done(false);
        else if (predicate()) done(true);
      });
    });
  }

  /** Stops every monitoring thread and releases the context. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    this.teardown();
    this.emit();
    this.listeners.clear();
  }

  private attach(ctx: AddonContext): void {
    ctx.on('reader', (reader) => this.addReader(reader));
    // pcsclite emits 'error' when its monitor thread stops, including the
    // "Command cancelled" that close() itself causes: keep a listener forever
    // (an EventEmitter 'error' without one would crash the process).
    ctx.on('error', (err) => {
      if (this.closed || ctx !== this.ctx) return;
      this.fail(pcscError(err, undefined, 'monitor'));
    });
  }

  private addReader(reader: AddonReader): void {
    const entry: ReaderEntry = { reader, status: { name: reader.name, cardPresent: false }, known: false, removals: 0 };
    this.entries.set(reader.name, entry);
    reader.on('status', (status) => this.onStatus(entry, status));
    // A reader's status thread reports errors (e.g. pcscd stopping) before 'end'; 'end' handles the cleanup.
    reader.on('error', () => undefined);
    reader.on('end', () => {
      if (this.entries.get(reader.name) === entry) {
        this.entries.delete(reader.name);
        this.emit();
      }
    });
    this.emit();
  }

  private onStatus(entry: ReaderEntry, status: AddonStatus): void {
    const present = (status.state & ScardState.PRESENT) !== 0;
    if (entry.status.cardPresent && !present) entry.removals += 1;
    const atr = present && status.atr && status.atr.length > 0 ? status.atr.toString('hex').toUpperCase() : undefined;
    entry.status = atr === undefined ? { name: entry.status.name, cardPresent: present } : { name: entry.status.name, cardPresent: present, atr };
    entry.known = true;
    this.emit();
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private async settle(): Promise<void> {
    await new Promise<void>((resolve) => setTimeout(resolve, INITIAL_SETTLE_MS).unref());
    await this.waitFor(() => [...this.entries.values()].every((e) => e.known), INITIAL_MAX_WAIT_MS - INITIAL_SETTLE_MS);
  }

  /** Closes the pcsclite context and every reader thread (each close joins its native thread). */
  private teardown(): void {
    const ctx = this.ctx;
    this.ctx = undefined;
    if (!ctx) return;
    ctx.close();
    for (const reader of Object.values(ctx.readers)) reader.close();
    this.entries.clear();
  }

  private fail(error: StationError): void {
    this.failure = error;
    this.teardown();
    this.emit();
    this.scheduleReopen();
  }

  private scheduleReopen(): void {
    this.reopenTimer = setTimeout(() => {
      if (this.closed) return;
      try {
        const ctx = openContext();
        this.ctx = ctx;
        this.failure = undefined;
        this.attach(ctx);
        this.emit();
      } catch {
        this.scheduleReopen();
      }
    }, REOPEN_DELAY_MS);
    // Retrying must not keep the process alive on its own.
    this.reopenTimer.unref();
  }
}

function openContext(): AddonContext {
  try {
    return createAddonContext();
  } catch (err) {
    throw pcscError(err, undefined, 'context');
  }
}
