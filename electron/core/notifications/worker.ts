/**
 * The delivery worker: sends outbox events through a sink, at least once, in
 * order per stream, with bounded exponential back-off, and moves an event to
 * the dead letters after `maxAttempts` attempts or a permanent refusal.
 *
 * Crash safety comes from the table, not from memory: an attempt is claimed
 * (counted, leased) in SQLite before the request leaves, and only a 2xx marks
 * the event delivered. A worker killed mid-request leaves the event pending;
 * the next worker sends it again once the lease ends, and the receiver drops
 * the duplicate by event id.
 */
import type { DeliveryPolicy } from './config.js';
import { retryDelayMs } from './backoff.js';
import type { DeliveryLease } from './lease.js';
import type { OutboxEvent, OutboxRepository } from './outbox.js';
import { DeliveryFailure, type NotificationSink } from './sink.js';

/** Time and chance, injected so tests drive back-off without waiting. */
export interface WorkerTimers {
  now(): Date;
  /** Resolves after `ms` milliseconds, or early when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Uniform in [0, 1), for jitter. */
  random(): number;
}

/** The system clock, setTimeout and Math.random. */
export const SYSTEM_TIMERS: WorkerTimers = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    }),
  random: Math.random,
};

/** What one attempt came to. */
export interface DeliveryOutcome {
  eventId: string;
  type: OutboxEvent['type'];
  stream: string;
  seq: number;
  /** Attempts made so far, this one included. */
  attempts: number;
  result: 'delivered' | 'retry' | 'dead';
  /** The failure sentence (retry, dead). */
  error?: string;
  /** When the event is tried again (retry). */
  retryAt?: string;
}

/** Options of {@link DeliveryWorker}. */
export interface DeliveryWorkerOptions {
  outbox: OutboxRepository;
  sink: NotificationSink;
  policy: DeliveryPolicy;
  timers?: WorkerTimers;
  /**
   * The data dir's delivery lease (lease.ts): when given, a pass sends only
   * while this worker holds it, so one worker per data dir delivers.
   */
  lease?: Pick<DeliveryLease, 'acquire' | 'release'>;
  /** Called after every attempt (CLI progress, tests). */
  onOutcome?: (outcome: DeliveryOutcome) => void;
  /** Called when a pass fails as a whole (database error); the loop goes on after a poll interval. */
  onError?: (error: unknown) => void;
}

/** Extra lease beyond the request timeout before another worker may retry a claimed event, ms. */
const LEASE_MARGIN_MS = 1_000;

/** Sends outbox events; run one pass with {@link deliverDue} or loop with {@link start}. */
export class DeliveryWorker {
  private readonly timers: WorkerTimers;
  private loop: Promise<void> | undefined;
  private stopping = new AbortController();
  private wakeUp = new AbortController();
  /** Whether the last pass held the lease (always true without a lease). */
  private holding = true;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.timers = options.timers ?? SYSTEM_TIMERS;
  }

  /**
   * One pass: claims the events due now (the first pending event of each
   * stream, at most `concurrency`), attempts them in parallel and records each
   * outcome. With a lease, nothing is sent unless this worker holds it.
   * @returns the outcomes (empty when nothing was due or another worker holds the lease)
   */
  async deliverDue(): Promise<DeliveryOutcome[]> {
    const { outbox, policy, lease } = this.options;
    const now = this.timers.now();
    this.holding = lease ? lease.acquire(now) : true;
    if (!this.holding) return [];
    const claimUntil = new Date(now.getTime() + policy.requestTimeoutMs + LEASE_MARGIN_MS);
    const claimed = outbox
      .due(now, policy.concurrency)
      .map((e) => outbox.claim(e.id, now, claimUntil))
      .filter((e): e is OutboxEvent => e !== undefined);
    return Promise.all(claimed.map((e) => this.attempt(e)));
  }

  /** Starts the delivery loop (idempotent). */
  start(): void {
    if (this.loop) return;
    this.stopping = new AbortController();
    this.loop = this.run();
  }

  /** Makes a sleeping loop look at the outbox now (an event was just recorded). */
  wake(): void {
    this.wakeUp.abort();
  }

  /**
   * Stops the loop: in-flight requests are aborted (their events stay
   * pending), the loop ends and the lease is given up for the next worker.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.wakeUp.abort();
    await this.loop;
    this.loop = undefined;
    try {
      this.options.lease?.release();
    } catch (e) {
      // The lease then simply expires.
      this.options.onError?.(e);
    }
  }

  private async run(): Promise<void> {
    const { outbox, policy } = this.options;
    while (!this.stopping.signal.aborted) {
      this.wakeUp = new AbortController();
      let waitMs = policy.pollIntervalMs;
      try {
        const outcomes = await this.deliverDue();
        // A delivered event may have made its stream's next one due at once.
        if (outcomes.length > 0) continue;
        const next = this.holding ? outbox.nextDueAt() : undefined;
        // Not the lease holder: look again after a poll interval, whatever is due.
        if (next !== undefined) waitMs = Math.min(waitMs, Math.max(0, Date.parse(next) - this.timers.now().getTime()));
      } catch (e) {
        this.options.onError?.(e);
      }
      if (this.stopping.signal.aborted) break;
      await this.timers.sleep(waitMs, AbortSignal.any([this.stopping.signal, this.wakeUp.signal]));
    }
  }

  private async attempt(event: OutboxEvent): Promise<DeliveryOutcome> {
    const { outbox, sink, policy } = this.options;
    const base = { eventId: event.id, type: event.type, stream: event.stream, seq: event.seq, attempts: event.attempts };
    let outcome: DeliveryOutcome;
    try {
      await sink.deliver(event, this.stopping.signal);
      outbox.markDelivered(event.id, this.timers.now());
      outcome = { ...base, result: 'delivered' };
    } catch (e) {
      const failure = e instanceof DeliveryFailure ? e : new DeliveryFailure('The notification could not be sent.', false);
      const now = this.timers.now();
      if (this.stopping.signal.aborted) {
        // Cut by stop(), not refused: due again at once for the next worker, never a dead letter.
        const error = 'The delivery stopped before the IDPRS answered.';
        outbox.markRetry(event.id, error, now);
        outcome = { ...base, result: 'retry', error, retryAt: now.toISOString() };
      } else if (failure.permanent || event.attempts >= policy.maxAttempts) {
        const error = failure.permanent ? `${failure.message} The IDPRS refused the event.` : `${failure.message} Gave up after ${event.attempts} attempts.`;
        outbox.markDead(event.id, error, now);
        outcome = { ...base, result: 'dead', error };
      } else {
        const backoff = retryDelayMs(event.attempts, policy, this.timers.random);
        const delay = Math.max(backoff, Math.min(failure.retryAfterMs ?? 0, policy.maxDelayMs));
        const retryAt = new Date(now.getTime() + delay);
        outbox.markRetry(event.id, failure.message, retryAt);
        outcome = { ...base, result: 'retry', error: failure.message, retryAt: retryAt.toISOString() };
      }
    }
    try {
      this.options.onOutcome?.(outcome);
    } catch {
      // a faulty listener must not undo a recorded outcome
    }
    return outcome;
  }
}
