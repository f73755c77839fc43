/**
 * Never a secret in audit text (issue 5 "Audit"): audit details whose keys
 * name a secret are refused before they reach the log, since an append-only,
 * exported log can never be cleaned afterwards.
 */
import { StationError } from '../errors.js';

/**
 * Words that, as the last word of a details key, name a secret: `pin`,
 * `newPin`, `puk`, `password`, `mgmtKey`, `private_key`, `hmac-secret`,
 * `token`. Counters and references about a secret (`pinRetriesLeft`,
 * `keyVersion`, `keyRef`) end in another word and pass.
 */
const SECRET_WORDS: ReadonlySet<string> = new Set(['pin', 'puk', 'password', 'passphrase', 'passwd', 'key', 'secret', 'token', 'mk']);

/** Splits `newPin`, `new_pin`, `new-pin`, `NEW PIN` into lower-case words. */
function words(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

/** True when the details key names a secret (see SECRET_WORDS). */
export function isSecretKeyName(key: string): boolean {
  const w = words(key);
  return w.length > 0 && SECRET_WORDS.has(w[w.length - 1]!);
}

/** Maximum nesting searched; deeper details are refused outright (audit details are flat in practice). */
const MAX_DEPTH = 8;

/**
 * Throws when any key of `details` (at any depth, inside arrays too) names a secret.
 * @param details the event's details object (null/undefined: nothing to check)
 * @throws StationError INVALID_INPUT naming the offending key (never its value)
 */
export function assertNoSecrets(details: unknown, depth = 0): void {
  if (details === null || typeof details !== 'object') return;
  if (depth > MAX_DEPTH) throw new StationError('INVALID_INPUT', 'The audit event details are nested too deeply.');
  if (Array.isArray(details)) {
    for (const item of details) assertNoSecrets(item, depth + 1);
    return;
  }
  for (const [key, value] of Object.entries(details as Record<string, unknown>)) {
    if (isSecretKeyName(key)) {
      throw new StationError('INVALID_INPUT', 'An audit event may not record a secret such as a PIN, PUK, password or key.', { field: key });
    }
    assertNoSecrets(value, depth + 1);
  }
}
