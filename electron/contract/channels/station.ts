/**
 * StationApi, station domain: what the station is (version, organization,
 * training), its CA's trust anchors, and its readers with the card each holds.
 */
import { z } from 'zod';

/** What the station recognizes about the card in a reader. */
export const CardKind = z.enum(['none', 'piv', 'not-piv', 'station-locked', 'unknown']);

export const Reader = z.object({
  name: z.string(),
  cardPresent: z.boolean(),
  atr: z.string().optional(),
  training: z.boolean().optional(),
  /** Recognized card kind; 'unknown' until probed or when the reader is busy. */
  card: CardKind,
});
export type Reader = z.infer<typeof Reader>;

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
