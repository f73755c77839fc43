/**
 * StationApi, station domain: what the station is (version, organization,
 * training), its CA's trust anchors, and its readers with the card each holds.
 */
import { z } from 'zod';

/**
 * What the station recognizes about the card in a reader:
 * - `blank`: a PIV card without a CHUID (nothing issued on it);
 * - `issued`: a card this station issued that is still in use (produced, active, suspended; see `issued`);
 * - `foreign`: a PIV card whose CHUID GUID this station never issued (another issuer's card);
 * - `station-locked`: a card this station locked (its 9B key diversified) that is not in use;
 * - `piv`: a PIV card of this station that is neither (e.g. left by an unfinished job);
 * - `not-piv`: no PIV application (SELECT answered 6A82); `unknown`: not read yet or the reader is busy.
 */
export const CardKind = z.enum(['none', 'blank', 'issued', 'foreign', 'piv', 'not-piv', 'station-locked', 'unknown']);

/** The station's record of an issued card found in a reader (kind `issued`). */
export const IssuedCardInReader = z.object({
  cardId: z.string(),
  /** Card number (8 digits) of the request, or the FASC-N credential number (6 digits) of a card made without one. */
  cardNumber: z.string(),
  cardholder: z.string(),
  status: z.enum(['produced', 'active', 'suspended']),
  /** When its certificates were issued (ISO 8601), if known. */
  producedAt: z.string().nullable(),
});
export type IssuedCardInReader = z.infer<typeof IssuedCardInReader>;

export const Reader = z.object({
  name: z.string(),
  cardPresent: z.boolean(),
  atr: z.string().optional(),
  training: z.boolean().optional(),
  /** Recognized card kind; 'unknown' until probed or when the reader is busy. */
  card: CardKind,
  /** The station's record of the card when `card` is `issued`. */
  issued: IssuedCardInReader.optional(),
});
export type Reader = z.infer<typeof Reader>;

export const stationChannels = {
  'station.info': {
    input: z.object({}).strict(),
    output: z.object({
      version: z.string(),
      organization: z.string(),
      training: z.boolean(),
      /** The agency's separation-of-duties settings (electron/contract/duties.ts), so the screens offer only what the core accepts. */
      separationOfDuties: z.object({ producerDiffersFromRequester: z.boolean() }),
    }),
  },
  'readers.list': { input: z.object({}).strict(), output: z.array(Reader) },
  /** The CA certificates relying parties trust (issuing and root), as PEM (RFC 7468): public, like the CRL. */
  'ca.chain': { input: z.object({}).strict(), output: z.object({ root: z.string(), issuing: z.string() }) },
} as const;
