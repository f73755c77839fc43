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
