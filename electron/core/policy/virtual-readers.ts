/**
 * Virtual (vpcd) readers on real stations (issue 13 "Hardening: vpcd").
 *
 * Debian's vsmartcard-vpcd driver makes pcscd offer readers whose card lives
 * in another program, reached over TCP: in its server mode vpcd listens on
 * 0.0.0.0:35963 ("Virtual PCD 00 00") and :35964 ("Virtual PCD 00 01"), and
 * cannot be bound to loopback without leaving that mode. Anyone who can reach
 * those ports can therefore put a card of their making into this station's
 * reader: produced on, it would receive the cardholder's PIN and obtain
 * certificates from the station's CA for keys its maker holds; at the desk it
 * would receive an escrowed PUK.
 *
 * So on a data dir that is not a training station, the core refuses every
 * card session on a vpcd reader (production, retries, batches, desk
 * operations, verification, the card probe) before a single APDU is sent,
 * unless config.json says `"allowVirtualReaders": true` (for stations that
 * take cards through vpcd on purpose, e.g. a phone as a remote reader, with
 * the ports firewalled as SECURITY.md shows). Training stations use vpcd for
 * their virtual cards and are not refused.
 *
 * A vpcd reader is recognized by the reader name the vpcd driver registers
 * with pcscd: its FRIENDLYNAME "Virtual PCD" followed by the slot numbers.
 * This names the reader's driver, never a card (no ATR or card label is
 * looked at). A reader renamed in pcscd's reader.conf is not recognized: the
 * firewall rule in SECURITY.md is the first protection, this check the second.
 */
import { StationError } from '../errors.js';
import type { CardTransport, ReaderProvider } from '../piv/transport.js';

/** The start of every reader name vsmartcard's vpcd driver gives pcscd ("Virtual PCD 00 00"). */
export const VPCD_READER_NAME_PREFIX = 'Virtual PCD ';

/** What decides whether virtual readers may be used. */
export interface VirtualReaderPolicy {
  /** A training data dir (virtual cards are its purpose). */
  training: boolean;
  /** config.json `allowVirtualReaders`. */
  allowVirtualReaders: boolean;
}

/** True when `readerName` is a reader of the vpcd driver. */
export function isVirtualReader(readerName: string): boolean {
  return readerName.startsWith(VPCD_READER_NAME_PREFIX);
}

/**
 * Refuses a card session on a virtual reader this station may not use.
 * @throws StationError FORBIDDEN (details.rule 'virtualReader', details.reader) naming the reader and the way out
 */
export function assertReaderAllowed(readerName: string, policy: VirtualReaderPolicy): void {
  if (!isVirtualReader(readerName) || policy.training || policy.allowVirtualReaders) return;
  throw new StationError(
    'FORBIDDEN',
    `${readerName} is a virtual (vpcd) reader, which anyone on the network may put a card into: this station does not use it. ` +
      'Use a hardware reader, or set "allowVirtualReaders": true in config.json after firewalling the vpcd ports (see SECURITY.md).',
    { rule: 'virtualReader', reader: readerName },
  );
}

/**
 * `provider` with {@link assertReaderAllowed} in front of every connect: a refused reader is
 * never opened, so nothing reaches its card. Listing and watching are unchanged.
 */
export function guardVirtualReaders(provider: ReaderProvider, policy: VirtualReaderPolicy): ReaderProvider {
  return {
    listReaders: () => provider.listReaders(),
    watch: (onChange) => provider.watch(onChange),
    close: () => provider.close(),
    connect: async (readerName: string): Promise<CardTransport> => {
      assertReaderAllowed(readerName, policy);
      return provider.connect(readerName);
    },
  };
}
