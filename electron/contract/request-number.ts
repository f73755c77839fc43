/**
 * The short numbers of card requests and batches, as people write them:
 * "R-000123" and "B-000012". The station numbers requests (store migration 16)
 * and batches (migration 17) in creation order; the UUIDs stay the programs'
 * keys. Officers and cardholders meet only these numbers (kiosk receipt, batch
 * files, messages, screens, the CLI). Imports nothing runtime-specific.
 */

const DIGITS = 6;

/** `n` with its prefix, padded to six digits (more digits once past 999999). */
function numberText(prefix: string, n: number): string {
  return `${prefix}-${String(n).padStart(DIGITS, '0')}`;
}

/** The number in `text` written with `prefix` ("R-000123", "r-123", "R000123"), or null. */
function parseNumber(prefix: string, text: string): number | null {
  const m = new RegExp(`^${prefix}-?0*(\\d{1,12})$`, 'i').exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n >= 1 ? n : null;
}

/** A request number in words: 123 → "R-000123" (more digits once past 999999). */
export function requestNumberText(n: number): string {
  return numberText('R', n);
}

/**
 * The request number a person typed or a file holds ("R-000123", "r-123",
 * "R000123"), or null when the text is not one.
 */
export function parseRequestNumber(text: string): number | null {
  return parseNumber('R', text);
}

/** A batch number in words: 12 → "B-000012". */
export function batchNumberText(n: number): string {
  return numberText('B', n);
}

/** The batch number a person typed ("B-000012", "b-12", "B12"), or null when the text is not one. */
export function parseBatchNumber(text: string): number | null {
  return parseNumber('B', text);
}
