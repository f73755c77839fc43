/**
 * What a card showed it can do (issue 9 "the card is the authority"): probed
 * once when the card is identified (electron/core/piv/capabilities.ts),
 * recorded with the job and the card record, shown on the card's detail and in
 * the production result. One schema for the store, the StationApi and the
 * screens; the sentences the screens show are written here once. Imports
 * nothing but zod (it is part of the contract).
 *
 * SP 800-73-4 defines no command to read a version or serial, read key
 * metadata, set retry counts or change the management key; the optional
 * vendor extensions below (YubiKey PIV extensions, piv-reference §2) are used
 * only where the card answers them, each with a standard fallback.
 */
import { z } from 'zod';

/**
 * Optional vendor extensions the station knows, by the name of their command,
 * in the order of the compatibility table (docs/card-compatibility.md).
 */
export const VENDOR_EXTENSIONS = ['getVersion', 'getSerial', 'getMetadata', 'setPinRetries', 'setManagementKey', 'attest', 'reset', 'moveKey'] as const;
export type VendorExtension = (typeof VENDOR_EXTENSIONS)[number];

/** The command name and INS byte of each extension, for sentences. */
export const VENDOR_EXTENSION_COMMANDS: Record<VendorExtension, string> = {
  getVersion: 'GET VERSION (FD)',
  getSerial: 'GET SERIAL (F8)',
  getMetadata: 'GET METADATA (F7)',
  setPinRetries: 'SET PIN RETRIES (FA)',
  setManagementKey: 'SET MANAGEMENT KEY (FF)',
  attest: 'ATTEST (F9)',
  reset: 'RESET (FB)',
  moveKey: 'MOVE/DELETE KEY (F6)',
};

/**
 * 'yes': the card answered the probe the way a card with the command does;
 * 'no': absent, refused or answered in an unexpected shape (the fallback is used);
 * 'unknown': not probed (RESET has no harmless probe; write extensions are not
 * probed on a session that already holds a security status).
 */
export const CapabilityStateShape = z.enum(['yes', 'no', 'unknown']);
export type CapabilityState = z.infer<typeof CapabilityStateShape>;

/** Retry counts of a produced card: set by the station (SET PIN RETRIES) or kept as the card's own. */
export const RetryCountsShape = z.object({
  keptByCard: z.boolean(),
  /** PIN retry count; null when the card does not say. */
  pin: z.number().int().min(0).max(255).nullable(),
  /** PUK retry count; null when the card does not say. */
  puk: z.number().int().min(0).max(255).nullable(),
});
export type RetryCounts = z.infer<typeof RetryCountsShape>;

export const CardCapabilitiesShape = z.object({
  extensions: z.object({
    getVersion: CapabilityStateShape,
    getSerial: CapabilityStateShape,
    getMetadata: CapabilityStateShape,
    setPinRetries: CapabilityStateShape,
    setManagementKey: CapabilityStateShape,
    attest: CapabilityStateShape,
    reset: CapabilityStateShape,
    moveKey: CapabilityStateShape,
  }),
  /** ISO 7816-4 extended Lc/Le, from the ATR's card capabilities or a probe. The station itself always frames short APDUs. */
  extendedLength: z.boolean(),
  /** Algorithms the SELECT answer lists (APT tag AC, SP 800-73-4 Part 2 Table 3), by name; empty when the card lists none. */
  advertisedAlgorithms: z.array(z.string().max(16)).max(32),
  /** PIV application version from the SELECT answer (APT 4F), e.g. "1.0". */
  applicationVersion: z.string().max(16).optional(),
  /** What GET VERSION answered: recorded and shown, never used to decide anything. */
  version: z.string().max(16).optional(),
  /** The management key (9B) algorithm the card's metadata reports. */
  managementKeyAlgorithm: z.string().max(16).optional(),
  /** Filled by production: who keeps the PIN and PUK retry counts, and their values. */
  retries: RetryCountsShape.optional(),
});
export type CardCapabilities = z.infer<typeof CardCapabilitiesShape>;

/** Words for a capability state in a list. */
const STATE_WORDS: Record<CapabilityState, string> = { yes: 'yes', no: 'no (standard fallback)', unknown: 'not probed' };

/** "PIN 3, PUK unknown". */
function retryWords(r: RetryCounts): string {
  const n = (v: number | null) => (v === null ? 'unknown' : String(v));
  return `PIN ${n(r.pin)}, PUK ${n(r.puk)}`;
}

/**
 * The sentence about retry counts for the production result and the card
 * detail, e.g. "This card keeps its own retry counts: PIN 3, PUK 3."
 */
export function retryCountsSentence(r: RetryCounts): string {
  return r.keptByCard ? `This card keeps its own retry counts: ${retryWords(r)}.` : `Retry counts set by the station: ${retryWords(r)}.`;
}

/**
 * What the screens show about a card's capabilities: the retry counts first
 * (when production recorded them), then one line per probed fact.
 */
export function capabilityLines(c: CardCapabilities): { label: string; value: string }[] {
  const lines: { label: string; value: string }[] = [];
  if (c.retries) lines.push({ label: 'Retry counts', value: retryCountsSentence(c.retries) });
  for (const ext of VENDOR_EXTENSIONS) lines.push({ label: VENDOR_EXTENSION_COMMANDS[ext], value: STATE_WORDS[c.extensions[ext]] });
  lines.push({ label: 'Extended-length APDUs', value: c.extendedLength ? 'yes (objects are read in one extended APDU; commands are sent short, with chaining)' : 'no (short APDUs: chaining, GET RESPONSE)' });
  lines.push({ label: 'Algorithms in the SELECT answer', value: c.advertisedAlgorithms.length > 0 ? c.advertisedAlgorithms.join(', ') : 'none listed' });
  if (c.managementKeyAlgorithm) lines.push({ label: 'Management key algorithm (metadata)', value: c.managementKeyAlgorithm });
  if (c.version) lines.push({ label: 'Reported version', value: `${c.version} (recorded, not used to decide)` });
  return lines;
}
