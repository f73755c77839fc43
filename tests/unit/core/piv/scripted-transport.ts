/**
 * Test transports for PivSession unit tests:
 * - ScriptedTransport: an exact conversation (expected C-APDU hex → canned R-APDU hex);
 *   any other C-APDU fails the test with both byte strings.
 * - HandlerTransport: a function plays the card (for cryptographic exchanges).
 */
import type { CardTransport } from '../../../../electron/core/piv/transport.js';
import { fromHex, toHex } from '../../../../electron/core/piv/tlv.js';

/** An ATR with proprietary historical bytes ("PIVAPPLT"): it declares nothing about extended length. */
export const SILENT_ATR = '3B8880015049564150504C541F';

export class ScriptedTransport implements CardTransport {
  readonly readerName = 'Scripted Reader';
  readonly atr: Uint8Array;
  readonly sent: string[] = [];
  private step = 0;
  private readonly script: Array<[string, string]>;

  /**
   * @param script pairs of [expected C-APDU hex, R-APDU hex]; spaces allowed.
   * @param atrHex the card's ATR (default {@link SILENT_ATR})
   */
  constructor(script: Array<[string, string]>, atrHex = SILENT_ATR) {
    this.script = script.map(([c, r]) => [c.replace(/\s+/g, '').toUpperCase(), r.replace(/\s+/g, '').toUpperCase()]);
    this.atr = fromHex(atrHex);
  }

  async transmit(capdu: Uint8Array): Promise<Uint8Array> {
    const got = toHex(capdu);
    this.sent.push(got);
    const entry = this.script[this.step];
    if (!entry) throw new Error(`unexpected extra APDU ${got}`);
    if (entry[0] !== got) throw new Error(`APDU ${this.step}: expected ${entry[0]}, got ${got}`);
    this.step++;
    return fromHex(entry[1]);
  }

  /** True when every scripted exchange happened. */
  get finished(): boolean {
    return this.step === this.script.length;
  }

  async close(): Promise<void> {}
}

export class HandlerTransport implements CardTransport {
  readonly readerName = 'Handler Reader';
  readonly atr = fromHex(SILENT_ATR);
  readonly sent: Uint8Array[] = [];
  constructor(private readonly handler: (capdu: Uint8Array) => Uint8Array | Promise<Uint8Array>) {}
  async transmit(capdu: Uint8Array): Promise<Uint8Array> {
    this.sent.push(capdu.slice());
    return this.handler(capdu);
  }
  async close(): Promise<void> {}
}
