/**
 * Cards for the e2e tests, in pcscd's vpcd reader (default "Virtual PCD 00 00",
 * port 35963; PCSC_TEST_READER / PCSC_TEST_VPCD_PORT override): a virtual PIV
 * card in a separate process (pulled after N APDUs when asked, and put back
 * from the same state file), and a minimal card without the PIV application.
 */
import { trackChild } from './station-cli.js';
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Ins, Sw } from '../../electron/core/piv/constants.js';
import { PivSession } from '../../electron/core/piv/session.js';
import { PcscReaderProvider } from '../../native/pcsc/index.js';
import { VPCD_PORT, VPCD_READER, type RunResult } from './vpcd-card.js';
import { ROOT, type CardProcess } from './station-cli.js';
import { stopProcess } from './e2e-harness.js';
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

/** Default time limit of one tool run. */
const TOOL_TIMEOUT_MS = 60_000;
/** Poll interval while waiting for pcscd to see a card come or go. */
const READER_POLL_MS = 250;
/** How long pcscd may take to see a card come or go. */
const CARD_EVENT_TIMEOUT_MS = 15_000;

/**
 * Runs a tool (no shell) with stdin closed from the start, so one that prompts
 * fails at once, and nothing is ever written to a pipe of a process that may
 * already have exited (EPIPE). Never throws on a non-zero exit.
 */
export function runTool(cmd: string, args: string[], timeoutMs = TOOL_TIMEOUT_MS): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : -1) : 0;
      resolve({ code, stdout, stderr: stderr || (error && code === -1 ? String(error) : '') });
    });
    child.stdin?.destroy();
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let pcsc: Promise<PcscReaderProvider> | undefined;

/**
 * The test process's own PC/SC view (the project's pcsclite provider): it
 * reads reader states without touching the card. OpenSC tools are no good
 * for polling: `opensc-tool -a` / `-l -v` connect and run OpenSC's card
 * detection (~47 APDUs), which collides with the station's own probe and
 * shifts `--remove-after` counts.
 */
function readers(): Promise<PcscReaderProvider> {
  pcsc ??= PcscReaderProvider.open();
  return pcsc;
}

/** Releases the test process's PC/SC context (call in afterAll). */
export async function closeReaders(): Promise<void> {
  const p = pcsc;
  pcsc = undefined;
  if (p) await (await p).close();
}

/** The ATR pcscd reports for `reader` (lower-case hex), or undefined when it has no card. */
export async function readerAtr(reader: string): Promise<string | undefined> {
  const status = (await (await readers()).listReaders()).find((r) => r.name === reader);
  return status?.cardPresent ? (status.atr ?? '').toLowerCase() : undefined;
}

/** Polls until pcscd reports `atrHex` in `reader`. @throws Error after `timeoutMs` */
export async function waitForCardPresent(reader: string, atrHex: string, timeoutMs = CARD_EVENT_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await readerAtr(reader))?.includes(atrHex)) {
    if (Date.now() > deadline) throw new Error(`pcscd did not see the card in ${reader}`);
    await sleep(READER_POLL_MS);
  }
}

/** Polls until pcscd reports no card in `reader`. @throws Error after `timeoutMs` */
export async function waitForCardAbsent(reader: string, timeoutMs = CARD_EVENT_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await readerAtr(reader)) !== undefined) {
    if (Date.now() > deadline) throw new Error(`pcscd still sees a card in ${reader}`);
    await sleep(READER_POLL_MS);
  }
}

/** Waits until the shared vpcd reader holds no card (other test files use it too). */
export function waitForReaderFree(): Promise<void> {
  return waitForCardAbsent(VPCD_READER, READER_FREE_TIMEOUT_MS);
}

/** The station CLI entry point (run through tsx). */
const CLI = join(ROOT, 'electron', 'cli', 'main.ts');
/** How long `station virtual-card attach` may take to print its JSON. */
const ATTACH_TIMEOUT_MS = 60_000;

/** A virtual PIV card in its own process, with the serial it reported. */
export interface PivCardProcess extends CardProcess {
  serial: number;
}

/** Starts `station virtual-card attach --state S --vpcd E [--remove-after N] --json` and resolves with the serial it prints. */
async function attachCard(statePath: string, removeAfter: number | undefined, tdes = false): Promise<PivCardProcess> {
  const args = ['--import', 'tsx', CLI, 'virtual-card', 'attach', '--state', statePath, '--vpcd', VPCD_ENDPOINT, '--json'];
  if (removeAfter !== undefined) args.push('--remove-after', String(removeAfter));
  if (tdes) args.push('--tdes');
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  try {
    const serial = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`virtual-card attach printed nothing in ${ATTACH_TIMEOUT_MS} ms: ${out}`)), ATTACH_TIMEOUT_MS);
      let json = '';
      child.stdout!.on('data', (d: Buffer) => {
        json += d.toString();
        try {
          const parsed = JSON.parse(json) as { attached?: boolean; serial?: number };
          clearTimeout(timer);
          if (parsed.attached && typeof parsed.serial === 'number') resolve(parsed.serial);
          else reject(new Error(`virtual-card attach: unexpected output ${json}`));
        } catch {
          // JSON not complete yet
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`virtual-card attach exited ${code}: ${json}${out}`));
      });
    });
    return { child, exited, serial, stop: () => stopProcess(child) };
  } catch (e) {
    await stopProcess(child);
    throw e;
  }
}

/** Options of insertPivCard. */
export interface InsertPivCardOptions {
  /**
   * Pull the card after this many APDUs counted from power-on (the station's
   * recognition probe and our two-APDU serial check included); the card
   * process then exits.
   */
  removeAfter?: number;
  /**
   * Resolves once the station has recognized the card (e.g. the readers panel
   * shows its kind): the serial check waits for it, so it never holds the
   * card while the station probes it (a busy reader reads as "unknown").
   */
  recognized?: () => Promise<unknown>;
  /** A new card's management key is 3DES (`--tdes`), as Debian's yubico-piv-tool 2.2 expects of a card it talks to. */
  tdes?: boolean;
}

/**
 * Reads the serial of the PIV card in `reader` through pcscd with exactly two
 * APDUs (SELECT PIV, GET SERIAL: YubiKey extension F8), then leaves the card
 * as it is. @returns the serial, or undefined when it cannot be read
 */
export async function readCardSerial(reader: string): Promise<number | undefined> {
  let transport;
  try {
    transport = await (await readers()).connect(reader);
  } catch {
    return undefined;
  }
  try {
    const session = new PivSession(transport);
    await session.select();
    return await session.getSerial();
  } catch {
    return undefined;
  } finally {
    await transport.close('leave');
  }
}

/**
 * Inserts the virtual PIV card persisted in `statePath` (created blank when
 * absent) with a `station virtual-card attach` process, waits until pcscd
 * sees it, and proves by its serial that the reader holds this card and not
 * another test's (vpcd queues a second card behind the first, and every
 * virtual card has the same ATR); when another card got there first, waits
 * and tries again.
 */
export async function insertPivCard(statePath: string, opts: InsertPivCardOptions = {}): Promise<PivCardProcess> {
  const deadline = Date.now() + READER_FREE_TIMEOUT_MS;
  for (;;) {
    await waitForReaderFree();
    const card = await attachCard(statePath, opts.removeAfter, opts.tdes);
    let seen: number | undefined;
    try {
      await waitForCardPresent(VPCD_READER, VIRTUAL_PIV_ATR);
      await opts.recognized?.();
      seen = await readCardSerial(VPCD_READER);
    } catch (e) {
      await card.stop();
      throw e;
    }
    if (seen === card.serial) return card;
    await card.stop();
    if (Date.now() > deadline) throw new Error(`${VPCD_READER} holds another card (serial ${seen}, expected ${card.serial}): another test is using the reader`);
  }
}

/** Stops a card process (if still attached) and waits until pcscd reports the reader empty. */
export async function removePivCard(card: CardProcess): Promise<void> {
  await card.stop();
  await waitForCardAbsent(VPCD_READER);
}

/**
 * Inserts a card without the PIV application: SELECT PIV answers 6A82 (file
 * not found), anything else 6D00. Waits until pcscd sees it and vpcd has
 * talked to it (so the reader holds this card, not one queued before it).
 */
export async function insertNotPivCard(): Promise<MinimalVicc> {
  const deadline = Date.now() + READER_FREE_TIMEOUT_MS;
  for (;;) {
    await waitForReaderFree();
    const card = startMinimalVicc({
      port: VPCD_PORT,
      respond: (capdu) => {
        const sw = capdu[APDU_INS_OFFSET] === Ins.SELECT ? Sw.FILE_NOT_FOUND : Sw.INS_NOT_SUPPORTED;
        return Uint8Array.of(sw >> 8, sw & 0xff);
      },
    });
    try {
      await card.connected;
      await waitForCardPresent(VPCD_READER, Buffer.from(MINIMAL_VICC_ATR).toString('hex'));
    } catch (e) {
      await card.remove();
      throw e;
    }
    if (card.controls.length > 0) return card;
    await card.remove();
    if (Date.now() > deadline) throw new Error(`${VPCD_READER} holds another card: another test is using the reader`);
  }
}

/** Pulls the minimal card and waits until pcscd reports the reader empty. */
export async function removeNotPivCard(card: MinimalVicc): Promise<void> {
  await card.remove();
  await waitForCardAbsent(VPCD_READER);
}
