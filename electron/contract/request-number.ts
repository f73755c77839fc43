/**
 * The short number of a card request, as people write it: "R-000123". The
 * station numbers requests in creation order (store migration 16); the UUID
 * stays the programs' key. Officers and cardholders meet only this number
 * (kiosk receipt, batch files, messages, screens). Imports nothing runtime-specific.
 */

const PREFIX = 'R-';
const DIGITS = 6;

/** A request number in words: 123 → "R-000123" (more digits once past 999999). */
export function requestNumberText(n: number): string {
  return `${PREFIX}${String(n).padStart(DIGITS, '0')}`;
}

/**
 * The request number a person typed or a file holds ("R-000123", "r-123",
 * "R000123"), or null when the text is not one.
 */
export function parseRequestNumber(text: string): number | null {
  const m = /^R-?0*(\d{1,12})$/i.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n >= 1 ? n : null;
}
