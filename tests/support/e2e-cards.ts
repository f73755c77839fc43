/**
 * Cards for the e2e tests, in pcscd's vpcd reader (default "Virtual PCD 00 00",
 * port 35963; PCSC_TEST_READER / PCSC_TEST_VPCD_PORT override): a virtual PIV
 * card in a separate process (pulled after N APDUs when asked, and put back
 * from the same state file), and a minimal card without the PIV application.
 */
import { Ins, Sw } from '../../electron/core/piv/constants.js';
import { VPCD_PORT, VPCD_READER, waitForCardAbsent, waitForCardPresent } from './vpcd-card.js';
import { attachCardProcess, type CardProcess } from './station-cli.js';
import { MINIMAL_VICC_ATR, startMinimalVicc, type MinimalVicc } from './minimal-vicc.js';

export { VPCD_READER, VPCD_PORT };

/** ATR of the virtual PIV card (lower-case hex, as waitForCardPresent compares it). */
export const VIRTUAL_PIV_ATR = '3b8880015049564150504c541f';
/** vpcd endpoint of the test reader, as `station virtual-card attach --vpcd` takes it. */
export const VPCD_ENDPOINT = `127.0.0.1:${VPCD_PORT}`;
/** How long to wait for another test's card to leave the shared reader. */
const READER_FREE_TIMEOUT_MS = 120_000;
/** Offset of INS in a C-APDU (ISO 7816-4 §5.1). */
const APDU_INS_OFFSET = 1;

/** Waits until the shared vpcd reader holds no card (other test files use it too). */
export function waitForReaderFree(): Promise<void> {
  return waitForCardAbsent(VPCD_READER, READER_FREE_TIMEOUT_MS);
}

/**
 * Inserts the virtual PIV card persisted in `statePath` (created blank when
 * absent) with a `station virtual-card attach` process, and waits until pcscd
 * sees it. With `removeAfter` the card is pulled after that many APDUs (the
 * process then exits).
 */
export async function insertPivCard(statePath: string, removeAfter?: number): Promise<CardProcess> {
  await waitForReaderFree();
  const extra = ['--vpcd', VPCD_ENDPOINT, ...(removeAfter !== undefined ? ['--remove-after', String(removeAfter)] : [])];
  const card = await attachCardProcess(statePath, extra);
  try {
    await waitForCardPresent(VPCD_READER, VIRTUAL_PIV_ATR);
  } catch (e) {
    await card.stop();
    throw e;
  }
  return card;
}

/** Stops a card process (if still attached) and waits until pcscd reports the reader empty. */
export async function removePivCard(card: CardProcess): Promise<void> {
  await card.stop();
  await waitForCardAbsent(VPCD_READER);
}

/**
 * Inserts a card without the PIV application: SELECT PIV answers 6A82 (file
 * not found), anything else 6D00. Waits until pcscd sees it.
 */
export async function insertNotPivCard(): Promise<MinimalVicc> {
  await waitForReaderFree();
  const card = startMinimalVicc({
    port: VPCD_PORT,
    respond: (capdu) => {
      const sw = capdu[APDU_INS_OFFSET] === Ins.SELECT ? Sw.FILE_NOT_FOUND : Sw.INS_NOT_SUPPORTED;
      return Uint8Array.of(sw >> 8, sw & 0xff);
    },
  });
  await card.connected;
  try {
    await waitForCardPresent(VPCD_READER, Buffer.from(MINIMAL_VICC_ATR).toString('hex'));
  } catch (e) {
    await card.remove();
    throw e;
  }
  return card;
}

/** Pulls the minimal card and waits until pcscd reports the reader empty. */
export async function removeNotPivCard(card: MinimalVicc): Promise<void> {
  await card.remove();
  await waitForCardAbsent(VPCD_READER);
}
