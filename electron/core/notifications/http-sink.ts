/**
 * The HTTP sink: POSTs the event's JSON payload to the IDPRS endpoint with
 * HMAC headers (signer.ts). Answer classes (RFC 9110 §15):
 * - 2xx: delivered (a receiver that already has the event id answers 2xx too);
 * - 408 Request Timeout, 429 Too Many Requests, 5xx, network errors, timeouts: temporary;
 * - any other 4xx (and 3xx, which a server-to-server endpoint does not use): permanent.
 */
import { DeliveryFailure, type NotificationSink } from './sink.js';
import type { OutboxEvent } from './outbox.js';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signNotification } from './signer.js';

/** HTTP statuses a client may retry although they are 4xx (RFC 9110 §15.5.9, RFC 6585 §4). */
const RETRYABLE_CLIENT_STATUSES: ReadonlySet<number> = new Set([408, 429]);
const MS_PER_SECOND = 1000;
/** Retry-After values beyond this are ignored (the back-off cap applies instead). */
const MAX_RETRY_AFTER_MS = 3_600_000;

/** Options of {@link HttpNotificationSink}. */
export interface HttpSinkOptions {
  /** The IDPRS endpoint (http or https URL). */
  url: string;
  /** The shared HMAC secret (raw bytes). */
  secret: Uint8Array;
  /** Time allowed for one request, milliseconds. */
  timeoutMs: number;
  /** Clock for the signature timestamp (tests). */
  now?: () => Date;
  /** fetch implementation (tests); defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** Parses Retry-After (seconds, or an HTTP date) into milliseconds from `now`. */
function retryAfter(value: string | null, now: Date): number | undefined {
  if (!value) return undefined;
  const ms = /^\d+$/.test(value.trim()) ? Number(value.trim()) * MS_PER_SECOND : Date.parse(value) - now.getTime();
  return Number.isFinite(ms) && ms >= 0 ? Math.min(ms, MAX_RETRY_AFTER_MS) : undefined;
}

/** POST JSON + HMAC to the IDPRS. */
export class HttpNotificationSink implements NotificationSink {
  private readonly now: () => Date;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: HttpSinkOptions) {
    this.now = options.now ?? (() => new Date());
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** @throws DeliveryFailure: permanent for a refused event, else temporary */
  async deliver(event: OutboxEvent, signal?: AbortSignal): Promise<void> {
    const body = JSON.stringify(event.payload);
    const now = this.now();
    const timestamp = Math.floor(now.getTime() / MS_PER_SECOND);
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    let response: Response;
    try {
      response = await this.fetch(this.options.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          [EVENT_ID_HEADER]: event.id,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signNotification(this.options.secret, timestamp, body),
        },
        body,
        redirect: 'manual',
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      // Drain the body so the connection can be reused; its content is not needed.
      await response.arrayBuffer().catch(() => undefined);
    } catch (e) {
      if (timeout.aborted) throw new DeliveryFailure(`The IDPRS did not answer within ${this.options.timeoutMs} ms.`, false);
      throw new DeliveryFailure(`The IDPRS could not be reached (${networkReason(e)}).`, false);
    }
    const status = response.status;
    if (status >= 200 && status < 300) return;
    const sentence = `The IDPRS answered HTTP ${status}.`;
    if (status >= 500 || RETRYABLE_CLIENT_STATUSES.has(status)) throw new DeliveryFailure(sentence, false, retryAfter(response.headers.get('retry-after'), now));
    throw new DeliveryFailure(sentence, true);
  }
}

/** A short, secret-free reason from a fetch failure (its cause's code, e.g. ECONNREFUSED). */
function networkReason(e: unknown): string {
  const cause = e instanceof Error ? (e as Error & { cause?: unknown }).cause : undefined;
  const code = cause && typeof cause === 'object' && 'code' in cause ? String((cause as { code: unknown }).code) : undefined;
  return code ?? (e instanceof Error ? e.name : 'network error');
}
