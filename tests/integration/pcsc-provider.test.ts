/**
 * PcscReaderProvider through the real pcscd and vsmartcard's vpcd reader
 * (default "Virtual PCD 00 00" on 127.0.0.1:35963; override with
 * PCSC_TEST_READER / PCSC_TEST_VPCD_PORT). The card is tests/support/minimal-vicc.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isStationError, type StationError } from '../../electron/core/errors.js';
import type { ReaderStatus } from '../../electron/core/piv/transport.js';
import { PIV_AID } from '../../electron/core/piv/constants.js';
import { PcscReaderProvider } from '../../native/pcsc/index.js';
import { MINIMAL_VICC_ATR, startMinimalVicc, type MinimalVicc } from '../support/minimal-vicc.js';
import { toHex } from '../../electron/core/piv/tlv.js';

const READER = process.env.PCSC_TEST_READER ?? 'Virtual PCD 00 00';
const VPCD_PORT = Number(process.env.PCSC_TEST_VPCD_PORT ?? 35963);
/** SELECT PIV: 00 A4 04 00 Lc AID (SP 800-73-4 Part 2 §3.1.1). */
const SELECT_PIV = Uint8Array.of(0x00, 0xa4, 0x04, 0x00, PIV_AID.length, ...PIV_AID);
const SW_SUCCESS = [0x90, 0x00];

async function rejection(p: Promise<unknown>): Promise<StationError> {
  try {
    await p;
  } catch (err) {
    if (isStationError(err)) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

/** Waits until the provider's watch() reports `predicate` true for the test reader. */
function waitForReader(provider: PcscReaderProvider, predicate: (r: ReaderStatus | undefined) => boolean, timeoutMs = 10_000): Promise<ReaderStatus[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`reader ${READER} did not reach the expected state`));
    }, timeoutMs);
    const off = provider.watch((readers) => {
      if (predicate(readers.find((r) => r.name === READER))) {
        clearTimeout(timer);
        off();
        resolve(readers);
      }
    });
  });
}

describe('PcscReaderProvider (real pcscd + vpcd)', () => {
  let provider: PcscReaderProvider;
  let vicc: MinimalVicc | undefined;

  beforeAll(async () => {
    provider = await PcscReaderProvider.open();
    // vpcd takes one card per port: a card someone else inserted would make every insert here wait forever.
    if ((await provider.listReaders()).find((r) => r.name === READER)?.cardPresent) {
      await provider.close();
      throw new Error(`${READER} already holds another test's card; run again later or set PCSC_TEST_READER / PCSC_TEST_VPCD_PORT to a free vpcd reader.`);
    }
  });
  afterEach(async () => {
    await vicc?.remove();
    vicc = undefined;
  });
  afterAll(async () => {
    await provider.close();
  });

  async function insertCard(respond?: (capdu: Uint8Array) => Uint8Array | Promise<Uint8Array>): Promise<void> {
    const arrived = waitForReader(provider, (r) => r?.cardPresent === true);
    vicc = startMinimalVicc({ port: VPCD_PORT, ...(respond ? { respond } : {}) });
    await vicc.connected;
    await arrived;
  }

  it('lists the vpcd readers', async () => {
    const readers = await provider.listReaders();
    expect(readers.map((r) => r.name)).toContain(READER);
  });

  it('watch() sees the card arrive (with its ATR) and leave', async () => {
    const arrived = waitForReader(provider, (r) => r?.cardPresent === true);
    vicc = startMinimalVicc({ port: VPCD_PORT });
    const readers = await arrived;
    expect(readers.find((r) => r.name === READER)?.atr).toBe(toHex(MINIMAL_VICC_ATR).toUpperCase());
    const left = waitForReader(provider, (r) => r?.cardPresent === false);
    await vicc.remove();
    vicc = undefined;
    await left;
    expect((await provider.listReaders()).find((r) => r.name === READER)?.cardPresent).toBe(false);
  });

  it('connects exclusively and transmits an APDU to the card', async () => {
    await insertCard();
    const session = await provider.connect(READER);
    try {
      expect(session.readerName).toBe(READER);
      expect(Array.from(session.atr)).toEqual(Array.from(MINIMAL_VICC_ATR));
      expect(Array.from(await session.transmit(SELECT_PIV))).toEqual(SW_SUCCESS);
      expect(Array.from(vicc!.apdus.at(-1)!)).toEqual(Array.from(SELECT_PIV));
    } finally {
      await session.close('reset');
    }
    // The reader is free again after close.
    const again = await provider.connect(READER);
    await again.close('leave');
  });

  it('refuses a second exclusive session with READER_BUSY, from this provider and from another context', async () => {
    await insertCard();
    const session = await provider.connect(READER);
    const other = await PcscReaderProvider.open();
    try {
      expect((await rejection(provider.connect(READER))).code).toBe('READER_BUSY');
      const fromOther = await rejection(other.connect(READER));
      expect(fromOther.code).toBe('READER_BUSY');
      expect(fromOther.message).toContain(`Another program is using the reader ${READER}`);
      expect(fromOther.details.pcscCode).toBe('8010000B');
    } finally {
      await session.close('reset');
      await other.close();
    }
  });

  it('rejects a transmit with CARD_REMOVED after the card is pulled mid-session', async () => {
    await insertCard();
    const session = await provider.connect(READER);
    try {
      expect(Array.from(await session.transmit(SELECT_PIV))).toEqual(SW_SUCCESS);
      await vicc!.remove();
      vicc = undefined;
      const err = await rejection(session.transmit(SELECT_PIV));
      expect(err.code).toBe('CARD_REMOVED');
      expect(err.retryable).toBe(true);
    } finally {
      await session.close('reset');
    }
  });

  it('rejects a transmit in flight with CARD_REMOVED when the card is pulled before answering', async () => {
    let answered: () => void = () => undefined;
    let received: () => void = () => undefined;
    const apduReceived = new Promise<void>((resolve) => (received = resolve));
    // The card never answers the second APDU until the test pulls it.
    await insertCard((capdu) => {
      if (capdu[1] !== SELECT_PIV[1]) {
        received();
        return new Promise<Uint8Array>((resolve) => (answered = () => resolve(Uint8Array.of(...SW_SUCCESS))));
      }
      return Uint8Array.of(...SW_SUCCESS);
    });
    const session = await provider.connect(READER);
    try {
      await session.transmit(SELECT_PIV);
      const inFlight = rejection(session.transmit(Uint8Array.of(0x00, 0xcb, 0x3f, 0xff, 0x00)));
      await apduReceived;
      await vicc!.remove();
      vicc = undefined;
      expect((await inFlight).code).toBe('CARD_REMOVED');
    } finally {
      answered();
      await session.close('reset');
    }
  });

  it('connect to an unknown reader → NO_READER; to an empty reader → NO_CARD', async () => {
    expect((await rejection(provider.connect('No Such Reader 99'))).code).toBe('NO_READER');
    // pcscd notices a pulled card on its next presence poll: wait for the monitor to agree.
    if ((await provider.listReaders()).find((r) => r.name === READER)?.cardPresent) await waitForReader(provider, (r) => r?.cardPresent === false);
    expect((await rejection(provider.connect(READER))).code).toBe('NO_CARD');
  });
});

describe('PcscReaderProvider lifecycle', () => {
  it('lets the process exit after close() (native monitor threads released)', async () => {
    // A child process that opens, watches, lists and closes; if a native thread or handle stayed alive it would never exit.
    const script = [
      "import { PcscReaderProvider } from './native/pcsc/index.js';",
      'const p = await PcscReaderProvider.open();',
      'p.watch(() => undefined);',
      'const readers = await p.listReaders();',
      'await p.close();',
      'console.log(JSON.stringify(readers.map((r) => r.name)));',
    ].join('\n');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: process.cwd(),
      timeout: 20_000,
    });
    expect(JSON.parse(stdout.trim())).toContain(READER);
  });
});
