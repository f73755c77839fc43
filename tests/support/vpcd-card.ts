/**
 * Integration-test helpers: put a VirtualPivCard into a vpcd reader of the
 * real pcscd, wait until pcscd sees it, run the test, pull it out again.
 *
 * Everything here is asynchronous on purpose: the card answers vpcd from this
 * process's event loop, so a synchronous child process would deadlock it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { VirtualPivCard, type VirtualCardOptions } from '../../native/virtual-card/card.js';
import { attachToVpcd, type VpcdLink } from '../../native/vpcd/link.js';
import { Ins, ObjectTag, Sw } from '../../electron/core/piv/constants.js';
import { objectId } from '../../native/virtual-card/state.js';

const execFileAsync = promisify(execFile);

/** Reader used by integration tests (override with PCSC_TEST_READER). */
export const VPCD_READER = process.env.PCSC_TEST_READER ?? 'Virtual PCD 00 00';
/** vpcd port of that reader (override with PCSC_TEST_VPCD_PORT). */
export const VPCD_PORT = Number(process.env.PCSC_TEST_VPCD_PORT ?? 35963);

/** Result of a child process; never throws on a non-zero exit. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command asynchronously and captures its output (no shell). */
export async function run(cmd: string, args: string[], opts: { timeoutMs?: number; input?: string; env?: Record<string, string> } = {}): Promise<RunResult> {
  try {
    const env = opts.env ? { env: { ...process.env, ...opts.env } } : {};
    const child = execFileAsync(cmd, args, { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024, ...env });
    // Always close stdin: a tool that prompts must fail at once, not hang. A tool
    // that already exited makes that write fail with EPIPE: not an error of the test.
    child.child.stdin?.on('error', () => undefined);
    child.child.stdin?.end(opts.input ?? '');
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? String(e) };
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `opensc-tool -r <reader> -a` until the reader reports the ATR `atrHex` (colon-free, lower case) or times out. */
export async function waitForCardPresent(reader: string, atrHex: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await run('opensc-tool', ['-r', reader, '-a'], { timeoutMs: 10_000 });
    if (r.code === 0 && r.stdout.replace(/[:\s]/g, '').toLowerCase().includes(atrHex)) return;
    if (Date.now() > deadline) throw new Error(`pcscd did not see the card in ${reader}: ${r.stderr.trim()}`);
    await sleep(250);
  }
}

/** Polls until the reader reports no card (or times out). */
export async function waitForCardAbsent(reader: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await run('opensc-tool', ['-r', reader, '-a'], { timeoutMs: 10_000 });
    if (r.code !== 0 && /not present/i.test(r.stdout + r.stderr)) return;
    if (Date.now() > deadline) throw new Error(`pcscd still sees a card in ${reader}`);
    await sleep(250);
  }
}

/** True when `reader` currently reports a card. */
export async function readerHasCard(reader: string): Promise<boolean> {
  const r = await run('opensc-tool', ['-r', reader, '-a'], { timeoutMs: 10_000 });
  return r.code === 0;
}

/**
 * Reads the serial (SELECT PIV, then F8) of the card in `reader` through pcscd,
 * so a test can prove it talks to its own card and not to another process's.
 * @returns the serial, or undefined when it cannot be read
 */
export async function readSerialThroughPcscd(reader: string): Promise<number | undefined> {
  const r = await run('opensc-tool', ['-r', reader, '-s', '00:A4:04:00:05:A0:00:00:03:08', '-s', '00:F8:00:00:00'], { timeoutMs: 10_000 });
  const m = /Sending: 00 F8 00 00 00\s+Received \(SW1=0x90, SW2=0x00\):\s*\n?([0-9A-F]{2}) ([0-9A-F]{2}) ([0-9A-F]{2}) ([0-9A-F]{2})/i.exec(r.stdout);
  if (!m) return undefined;
  return parseInt(m.slice(1, 5).join(''), 16);
}

/**
 * The answers to every APDU opensc-tool sent with `-s`: its output is
 * `Sending: …` / `Received (SW1=0x.., SW2=0x..):` then a hex dump of 16 bytes a
 * line ("XX " each) followed by an ASCII column.
 */
export function parseOpenscToolApdus(stdout: string): { sw: number; data: Uint8Array }[] {
  const out: { sw: number; data: Uint8Array }[] = [];
  for (const block of stdout.split(/^Sending: /m).slice(1)) {
    const head = /Received \(SW1=0x([0-9a-f]{2}), SW2=0x([0-9a-f]{2})\):?[^\n]*\n?/i.exec(block);
    if (!head) continue;
    const bytes: number[] = [];
    for (const line of block.slice(head.index + head[0].length).split('\n')) {
      const m = /^((?:[0-9A-F]{2} ){1,16})/i.exec(line);
      if (!m) break;
      for (const b of m[1]!.trim().split(' ')) bytes.push(parseInt(b, 16));
    }
    out.push({ sw: parseInt(head[1]! + head[2]!, 16), data: Uint8Array.from(bytes) });
  }
  return out;
}

/**
 * Reads the CHUID (SELECT PIV, GET DATA 5FC102) of the card in `reader` through pcscd,
 * for cards without GET SERIAL.
 * @returns the object as the card returned it (53 L content), upper-case hex, or undefined when it cannot be read
 */
export async function readChuidThroughPcscd(reader: string): Promise<string | undefined> {
  const r = await run('opensc-tool', ['-r', reader, '-s', '00:A4:04:00:05:A0:00:00:03:08', '-s', '00:CB:3F:FF:05:5C:03:5F:C1:02:00'], { timeoutMs: 10_000 });
  const answer = parseOpenscToolApdus(r.stdout)[1];
  return answer?.sw === Sw.SUCCESS ? Buffer.from(answer.data).toString('hex').toUpperCase() : undefined;
}

/**
 * Proves the card pcscd reports in `reader` is `card` and not another process's:
 * by its serial (F8) where the card answers GET SERIAL, else by its CHUID.
 * @throws Error when it is another card, or when the card has neither
 */
async function expectOwnCard(reader: string, card: VirtualPivCard): Promise<void> {
  if (card.personality.extensions.includes(Ins.GET_SERIAL)) {
    const serial = await readSerialThroughPcscd(reader);
    if (serial !== card.serial) throw new Error(`${reader} holds another card (serial ${serial}, expected ${card.serial})`);
    return;
  }
  const own = card.snapshot().objects[objectId(ObjectTag.CHUID)];
  if (own === undefined) throw new Error('a card without GET SERIAL needs a CHUID for the test to recognise it');
  const seen = await readChuidThroughPcscd(reader);
  if (!seen?.endsWith(own.toUpperCase())) throw new Error(`${reader} holds another card (CHUID ${seen ?? 'unreadable'})`);
}

/** What withVpcdCard gives the test body. */
export interface VpcdCardContext {
  card: VirtualPivCard;
  link: VpcdLink;
  reader: string;
}

/**
 * Attaches a card (given, loaded from `statePath`, or fresh from `cardOptions`)
 * to the vpcd reader, waits until pcscd reports it present, runs `fn`, then
 * detaches and waits until pcscd reports it gone (also when `fn` throws).
 */
export async function withVpcdCard<T>(
  opts: { card?: VirtualPivCard; statePath?: string; cardOptions?: VirtualCardOptions; reader?: string; port?: number },
  fn: (ctx: VpcdCardContext) => Promise<T>,
): Promise<T> {
  const reader = opts.reader ?? VPCD_READER;
  const port = opts.port ?? VPCD_PORT;
  const card =
    opts.card ?? (opts.statePath ? VirtualPivCard.loadOrCreate(opts.statePath, opts.cardOptions) : VirtualPivCard.create(opts.cardOptions));
  // vpcd queues a second card behind the first, and every virtual card has the
  // same ATR: refuse to start rather than run the test against someone else's card.
  if (await readerHasCard(reader)) throw new Error(`${reader} already holds a card (another test or process is using it)`);
  const link = await attachToVpcd(card, { port });
  let result: T;
  try {
    await waitForCardPresent(reader, Buffer.from(card.atr).toString('hex'));
    await expectOwnCard(reader, card);
    result = await fn({ card, link, reader });
  } catch (e) {
    await link.detach();
    // Best effort only: the test's own failure is the one to report.
    await waitForCardAbsent(reader).catch(() => undefined);
    throw e;
  }
  await link.detach();
  await waitForCardAbsent(reader);
  return result;
}
