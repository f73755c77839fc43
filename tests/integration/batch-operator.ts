/**
 * The operator's side of the batch integration tests: putting a blank card in
 * a vpcd reader shared with other test runs on this machine, and OpenSC as
 * the independent judge of a produced card.
 */
import { expect } from 'vitest';
import type { VirtualPivCard } from '../../native/virtual-card/card.js';
import { attachToVpcd, type VpcdLink } from '../../native/vpcd/link.js';
import { readerHasCard, run, waitForCardPresent } from '../support/vpcd-card.js';

const ATR = '3b8880015049564150504c541f';
const INSERT_ATTEMPTS = 8;
const READER_FREE_TIMEOUT_MS = 120_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until another run's card (if any) has left the reader. */
export async function waitReaderFree(reader: string): Promise<void> {
  const end = Date.now() + READER_FREE_TIMEOUT_MS;
  while (await readerHasCard(reader)) {
    if (Date.now() > end) throw new Error(`${reader} stays occupied by another card`);
    await sleep(1000);
  }
}

/**
 * Inserts `card` into the vpcd reader on `port` and waits until pcscd reports
 * it. vpcd serves one card connection at a time: when another run's card
 * holds the slot, the card is taken out and inserted again a moment later.
 */
export async function insertCard(card: VirtualPivCard, reader: string, port: number): Promise<VpcdLink> {
  for (let attempt = 1; ; attempt++) {
    await waitReaderFree(reader);
    const link = await attachToVpcd(card, { port });
    try {
      await waitForCardPresent(reader, ATR);
      return link;
    } catch (e) {
      await link.detach();
      if (attempt >= INSERT_ATTEMPTS) throw e;
      await sleep(2000);
    }
  }
}

const BUSY_ATTEMPTS = 40;
const BUSY_DELAY_MS = 250;

/**
 * Serials (uppercase hex) of the certificates OpenSC lists on the card in
 * `reader`, sorted. The station may still hold the card for a moment after
 * its job is recorded done (closing with a reset, the readers panel's probe),
 * and other station processes on this machine may probe it: a busy reader is
 * asked again.
 */
export async function certificateSerialsByOpenSc(reader: string): Promise<string[]> {
  for (let attempt = 0; ; attempt++) {
    const listed = await run('pkcs15-tool', ['--reader', reader, '--list-certificates']);
    if (/in use by another application|sharing violation/i.test(listed.stdout + listed.stderr) && attempt < BUSY_ATTEMPTS) {
      await new Promise((r) => setTimeout(r, BUSY_DELAY_MS));
      continue;
    }
    expect(listed.code, listed.stderr).toBe(0);
    return [...listed.stdout.matchAll(/Encoded serial\s*:\s*02 [0-9A-F]{2} ([0-9A-F]+)/g)].map((m) => m[1]!).sort();
  }
}
