/**
 * The HMAC secret shared with the IDPRS, sealed with the keyring's secret box
 * (AES-256-GCM, label-bound) in table `notification_secret`: like every other
 * station secret, it is never stored in clear and never logged.
 */
import { StationError } from '../errors.js';
import type { SecretBox } from '../pki/secret-box.js';
import type { StationStore } from '../store/store.js';
import { MIN_SECRET_BYTES } from './signer.js';

/** Label bound to the sealed secret, so no other sealed value can stand in for it. */
const SECRET_LABEL = 'notifications/hmac-secret';

/**
 * Seals and stores the shared secret (replacing the previous one).
 * @param secret the secret as text (UTF-8), at least 16 bytes
 * @throws StationError INVALID_INPUT when it is too short
 */
export function setNotificationSecret(store: StationStore, box: SecretBox, secret: string, now: Date = new Date()): void {
  const bytes = new TextEncoder().encode(secret);
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new StationError('INVALID_INPUT', `The notification secret must be at least ${MIN_SECRET_BYTES} characters long.`, { field: 'secret' });
  }
  const sealed = box.seal(bytes, SECRET_LABEL);
  store.db
    .prepare('INSERT INTO notification_secret (id, sealed, set_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET sealed = excluded.sealed, set_at = excluded.set_at')
    .run(Buffer.from(sealed), now.toISOString());
}

/**
 * The shared secret, or undefined when none was set.
 * @throws StationError SECRETS_LOCKED when the box cannot open it (other keyring)
 */
export function loadNotificationSecret(store: StationStore, box: SecretBox): Uint8Array | undefined {
  const row = store.db.prepare('SELECT sealed FROM notification_secret WHERE id = 1').get() as { sealed: Buffer } | undefined;
  return row ? box.open(new Uint8Array(row.sealed), SECRET_LABEL) : undefined;
}

/** True when a shared secret is sealed in the store (whether this station's keyring can open it is asked on delivery). */
export function hasNotificationSecret(store: StationStore): boolean {
  return store.db.prepare('SELECT 1 FROM notification_secret WHERE id = 1').get() !== undefined;
}

/**
 * Seals the shared secret again with the box's current key (a passphrase change, core/reseal.ts).
 * @returns 1 when it was sealed again, 0 when there is none or the current key sealed it
 */
export function resealNotificationSecret(store: StationStore, box: SecretBox): number {
  const row = store.db.prepare('SELECT sealed FROM notification_secret WHERE id = 1').get() as { sealed: Buffer } | undefined;
  if (!row || box.isCurrent(new Uint8Array(row.sealed), SECRET_LABEL)) return 0;
  store.db.prepare('UPDATE notification_secret SET sealed = ? WHERE id = 1').run(Buffer.from(box.reseal(new Uint8Array(row.sealed), SECRET_LABEL)));
  return 1;
}
