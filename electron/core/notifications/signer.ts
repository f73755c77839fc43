/**
 * HMAC authentication of notifications: the receiver recomputes
 * HMAC-SHA-256(secret, timestamp "." body) and compares it with the header,
 * and refuses an old timestamp (replay). Same construction as the webhook
 * signatures of Stripe and GitHub (RFC 2104 HMAC, FIPS 198-1, SHA-256 per FIPS 180-4).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying `sha256=<64 hex digits>`. */
export const SIGNATURE_HEADER = 'X-Station-Signature';
/** Header carrying the signing time in Unix seconds. */
export const TIMESTAMP_HEADER = 'X-Station-Timestamp';
/** Header carrying the event id (the idempotency key; also in the body). */
export const EVENT_ID_HEADER = 'X-Station-Event-Id';
/** Prefix naming the algorithm in the signature header. */
const SCHEME = 'sha256=';
/** Default accepted clock difference between station and receiver, seconds. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The shared secret's minimum length in bytes (128 bits). */
export const MIN_SECRET_BYTES = 16;

/**
 * The signature header value of `body` signed at `timestamp`.
 * @param secret    the shared secret (raw bytes)
 * @param timestamp Unix seconds, as sent in {@link TIMESTAMP_HEADER}
 * @param body      the exact bytes of the request body (UTF-8 JSON)
 * @returns `sha256=` followed by 64 lowercase hex digits
 */
export function signNotification(secret: Uint8Array, timestamp: number, body: string | Uint8Array): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.`);
  mac.update(body);
  return SCHEME + mac.digest('hex');
}

/** Why a signature was refused, or 'ok'. */
export type SignatureCheck = 'ok' | 'missing' | 'stale' | 'mismatch';

/**
 * Checks a received notification (what the IDPRS does; tests use it as the receiver).
 * @param secret     the shared secret
 * @param headers    the received signature and timestamp header values
 * @param body       the received body bytes, unparsed
 * @param nowSeconds the receiver's clock, Unix seconds
 * @param toleranceSeconds accepted clock difference (default 300)
 */
export function verifyNotification(
  secret: Uint8Array,
  headers: { signature: string | undefined; timestamp: string | undefined },
  body: string | Uint8Array,
  nowSeconds: number,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): SignatureCheck {
  if (!headers.signature || !headers.timestamp || !/^\d{1,12}$/.test(headers.timestamp)) return 'missing';
  const timestamp = Number(headers.timestamp);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return 'stale';
  const expected = Buffer.from(signNotification(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'mismatch';
}
