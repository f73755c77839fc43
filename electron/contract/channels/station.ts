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

/** The desk's counts (station.counts); null: the officer's roles do not reach that task. */
export const DeskCountsShape = z.object({
  approvals: z.number().int().nullable(),
  produce: z.number().int().nullable(),
  queue: z.object({ pending: z.number().int(), running: z.number().int(), failed: z.number().int() }).nullable(),
  notifications: z.object({ pending: z.number().int(), dead: z.number().int() }).nullable(),
});
export type DeskCountsView = z.infer<typeof DeskCountsShape>;

/** What a passphrase change sealed again, by kind, and the scrypt parameters (RFC 7914) now in use. */
export const PassphraseChange = z.object({
  caKeys: z.number().int(),
  escrowedPuks: z.number().int(),
  pukRotations: z.number().int(),
  notificationSecret: z.number().int(),
  auditKeys: z.number().int(),
  kdf: z.object({ N: z.number().int(), r: z.number().int(), p: z.number().int() }),
});
export type PassphraseChange = z.infer<typeof PassphraseChange>;

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
  /**
   * What waits at the desk, counted by the core in one look (issue 12, observation 8), for the menu
   * and the screens: each count only for an officer whose roles may open what it counts (null
   * otherwise): requests waiting for approval (requests.approve), approved requests waiting for
   * production (requests.produce), unfinished production jobs (jobs.list), notifications pending
   * or dead (outbox.list).
   */
  'station.counts': {
    input: z.object({}).strict(),
    output: DeskCountsShape,
  },
  /** The CA certificates relying parties trust (issuing and root), as PEM (RFC 7468): public, like the CRL. */
  'ca.chain': { input: z.object({}).strict(), output: z.object({ root: z.string(), issuing: z.string() }) },
  /**
   * A new passphrase for a protected data dir (administrators): checked for
   * strength, derived with today's scrypt cost, every secret sealed again
   * under it. Only a one-shot face (the CLI's `station passphrase change`)
   * offers it: the station is closed afterwards and opens with the new one.
   */
  'station.changePassphrase': {
    input: z.object({ newPassphrase: z.string().min(1).max(1024) }).strict(),
    output: PassphraseChange,
  },
} as const;
