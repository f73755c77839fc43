/**
 * The station and cards of the fault sweeps (issue 13, "Fault sweeps"), all
 * through the real pcscd and vpcd: the core runs in the test process on a
 * real PC/SC reader provider (one per file, so one pcscd connection is reused
 * across hundreds of productions), and each card is a VirtualPivCard linked to
 * vpcd from the test process with its card-side fault hooks (card.ts
 * CardFaults: pull after the Nth APDU since insertion, a status word at the
 * Nth, and a trace of every answered APDU). Nothing here waits for time: reader
 * changes are PC/SC events (the provider's watch), card removal is the link's
 * close.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from '@peculiar/x509';
import { isStationError } from '../../../electron/core/errors.js';
import { openStationRoot, type Station } from '../../../electron/boot/open-station.js';
import { DEFAULT_CONFIG } from '../../../electron/core/config/station-config.js';
import { SLOT_CERT_OBJECT } from '../../../electron/core/piv/constants.js';
import { decodeTlvs } from '../../../electron/core/piv/tlv.js';
import type { ReaderProvider, ReaderStatus } from '../../../electron/core/piv/transport.js';
import { ROLES } from '../../../electron/core/workflow/types.js';
import { PcscReaderProvider } from '../../../native/pcsc/index.js';
import { VirtualPivCard, type ApduTraceEntry, type CardFaults } from '../../../native/virtual-card/card.js';
import type { PersonalityName } from '../../../native/virtual-card/personality.js';
import { objectId } from '../../../native/virtual-card/state.js';
import { attachToVpcd, type VpcdLink } from '../../../native/vpcd/link.js';
import { VPCD_PORT, VPCD_READER } from '../../support/vpcd-card.js';

/** The cardholder PIN every sweep uses (the default profiles' length). */
export const SWEEP_PIN = '246810';
/** The officer the sweeps log in as on the core (card.verify goes through the door, as `station verify` does). */
export const SWEEP_OFFICER = { username: 'sweeper', displayName: 'Sweep Officer', password: 'fault sweep officer password' } as const;
const CONNECTION = 'sweeps';

/**
 * pcscd's process id, read from the pid file it writes (so a sweep stops or
 * watches that process, not processes by name; the file ends in a NUL), or
 * undefined when pcscd is not running.
 */
export function pcscdPid(): number | undefined {
  let pid: number;
  try {
    pid = parseInt(readFileSync('/run/pcscd/pcscd.pid', 'utf8'), 10);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (e) {
    // EPERM: the process exists but belongs to root.
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

/** Why a reader wait may have failed: pcscd gone or replaced since `pid` (the sweep's own pcscd), else nothing. */
function pcscdNote(pid: number | undefined): string {
  const now = pcscdPid();
  if (now === undefined) return ' (pcscd is not running: something stopped it)';
  return pid !== undefined && now !== pid ? ` (pcscd was restarted meanwhile: pid ${pid} → ${now})` : '';
}

/**
 * Resolves once `reader` reports a card (present true) or none (false), from
 * PC/SC reader events; at once when it already does.
 * @throws Error after `timeoutMs` without that event: a sweep that went wrong
 *         must fail, not hang while it holds the machine-wide reader lock
 */
export function readerState(readers: ReaderProvider, reader: string, present: boolean, timeoutMs = 60_000): Promise<void> {
  const pid = pcscdPid();
  return new Promise<void>((resolve, reject) => {
    let done = false;
    let unwatch: (() => void) | undefined;
    const finish = (error?: Error) => {
      done = true;
      clearTimeout(timer);
      unwatch?.();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(() => finish(new Error(`${reader} did not report ${present ? 'a card' : 'no card'} within ${timeoutMs} ms${pcscdNote(pid)}`)), timeoutMs);
    const check = (list: ReaderStatus[]) => {
      if (done || list.find((r) => r.name === reader)?.cardPresent !== present) return;
      finish();
    };
    const off = readers.watch(check);
    if (done) off();
    else unwatch = off;
    void readers.listReaders().then(check, () => undefined);
  });
}

/**
 * Resolves once `reader` can be connected to again: after a station process
 * died holding its card session, pcscd frees the reader only when it has seen
 * that client's socket close, and no PC/SC event says so. Polls a connection
 * (every 100 ms, bounded) as the officer's next try would.
 * @throws Error when the reader stays busy for `timeoutMs`
 */
export async function readerFree(readers: ReaderProvider, reader: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const t = await readers.connect(reader);
      await t.close('leave');
      return;
    } catch (e) {
      if (!isStationError(e, 'READER_BUSY') || Date.now() > deadline) throw e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A card in the vpcd reader, and its card-side record of every APDU since insertion. */
export interface InsertedCard {
  card: VirtualPivCard;
  link: VpcdLink;
  trace: ApduTraceEntry[];
  /** Takes the card out (if the fault did not already) and waits until pcscd reports the reader empty. */
  remove(): Promise<void>;
}

/** A data dir's station opened in this process on the real pcscd. */
export interface SweepStation {
  station: Station;
  readers: PcscReaderProvider;
  dataDir: string;
  /** A second officer with every role (first use creates it): a batch must be started by someone else than the requester. */
  secondOfficer(): Promise<{ username: string; password: string }>;
  /** Logs the sweep officer in on the core (first use creates it). */
  login(): Promise<void>;
  /** Adds a person to produce a card for. */
  addPerson(label: string): string;
  /**
   * Puts the card stored at `statePath` (created with `personality` on first
   * use) into the vpcd reader with `faults` and waits until pcscd sees it.
   */
  insert(statePath: string, personality: PersonalityName, faults?: CardFaults): Promise<InsertedCard>;
  /** One StationApi call through the core as the sweep officer. @throws Error with the code and message when refused */
  call<T>(channel: string, input: unknown): Promise<T>;
  /** `station verify` through the same door (card.verify), with `pin` (default {@link SWEEP_PIN}): the report's ok and failed checks. */
  verify(pin?: string): Promise<{ ok: boolean; failed: string[] }>;
  close(): Promise<void>;
}

/**
 * Writes a config where no profile needs approval (direct production, as
 * tests/support/station-cli.ts does) and opens the station on the real pcscd.
 * @param opts.now the station's clock (a restart after a crash passes time with it: job leases run out)
 * @param opts.background run the core's background work (a batch resumes at start), as a desk's station does
 */
export async function openSweepStation(dataDir: string, opts: { now?: () => Date; background?: boolean } = {}): Promise<SweepStation> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const profiles = DEFAULT_CONFIG.profiles.map((q) => ({ ...q, approvalRequired: false }));
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ ...DEFAULT_CONFIG, profiles }, null, 2), { mode: 0o600 });
  const readers = await PcscReaderProvider.open();
  const station = await openStationRoot({ dataDir, training: true, readers, background: opts.background ?? false, ...(opts.now ? { now: opts.now } : {}) });
  let persons = 0;
  let loggedIn = false;
  const self: SweepStation = {
    station,
    readers,
    dataDir,
    async login() {
      if (loggedIn) return;
      if (!station.store.officers.getByUsername(SWEEP_OFFICER.username)) await station.officers.add({ ...SWEEP_OFFICER, roles: [...ROLES] }, { kind: 'anonymous' });
      const r = await station.core().dispatch('auth.login', { username: SWEEP_OFFICER.username, password: SWEEP_OFFICER.password }, CONNECTION);
      if (!r.ok) throw new Error(`sweep login failed: ${r.error.code}`);
      loggedIn = true;
    },
    async secondOfficer() {
      const second = { username: 'sweeper-two', displayName: 'Second Sweep Officer', password: 'second fault sweep officer password' };
      // Added by the sweep officer (an administrator): only the first officer may be added without one.
      if (!station.store.officers.getByUsername(second.username)) await self.call('officers.add', { ...second, roles: [...ROLES] });
      return { username: second.username, password: second.password };
    },
    addPerson(label) {
      persons++;
      return station.store.persons.add({ givenName: 'Sweep', surname: `${label} ${persons}`, email: `sweep${persons}@example.test`, employeeId: null, affiliation: 'employee' }).id;
    },
    async insert(statePath, personality, faults = {}) {
      const trace: ApduTraceEntry[] = [];
      const onApdu = (e: ApduTraceEntry) => {
        trace.push(e);
        faults.onApdu?.(e);
      };
      const card = VirtualPivCard.loadOrCreate(statePath, { personality, faults: { ...faults, onApdu } });
      const link = await attachToVpcd(card, { port: VPCD_PORT });
      await readerState(readers, VPCD_READER, true);
      return {
        card,
        link,
        trace,
        async remove() {
          await link.detach();
          await readerState(readers, VPCD_READER, false);
        },
      };
    },
    async call<T>(channel: string, input: unknown) {
      await self.login();
      const r = await station.core().dispatch(channel, input, CONNECTION);
      if (!r.ok) throw new Error(`${channel}: [${r.error.code}] ${r.error.message}`);
      return r.value as T;
    },
    async verify(pin = SWEEP_PIN) {
      await self.login();
      const r = await station.core().dispatch('card.verify', { readerName: VPCD_READER, pin }, CONNECTION);
      if (!r.ok) return { ok: false, failed: [`${r.error.code}: ${r.error.message}`] };
      const report = r.value as { ok: boolean; checks: { name: string; ok: boolean; detail?: string }[] };
      return { ok: report.ok, failed: report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail ?? ''}`) };
    },
    async close() {
      await station.close();
      await readers.close();
    },
  };
  return self;
}

/**
 * The cardholder PIN the card holds (its reference data, FF padding removed):
 * a batch generates each card's PIN, which only the card and the PIN mailer
 * then know; the sweep, which runs the card, reads it there to verify the card.
 */
export function pinOnCard(card: VirtualPivCard): string {
  const bytes = Buffer.from(card.snapshot().pin.value, 'hex');
  const end = bytes.indexOf(0xff);
  return bytes.subarray(0, end < 0 ? bytes.length : end).toString('ascii');
}

/**
 * Failing management-key authentications in a card-side trace: GENERAL
 * AUTHENTICATE (87) to key reference 9B that the card answered 6982 (it
 * compared the key and refused it: SP 800-73-4 Part 2 §3.2.4) or 63Cx (a card
 * that counts tries). A 6A86 is not one: the card refused the algorithm in P1
 * before comparing any key, which is how the station finds a strict card's
 * 9B algorithm (transport-key.ts).
 */
export function failedManagementAuthentications(trace: readonly ApduTraceEntry[]): number {
  return trace.filter((e) => e.ins === 0x87 && e.p2 === 0x9b && (e.sw === 0x6982 || e.sw >> 4 === 0x63c)).length;
}

/** SubjectPublicKeyInfo (DER hex, upper case) of the key the card holds in `slot`, or undefined. */
function slotSpki(card: VirtualPivCard, slot: string): string | undefined {
  const key = card.snapshot().keys[slot];
  if (!key) return undefined;
  const pub = createPublicKey(createPrivateKey({ key: Buffer.from(key.pkcs8, 'base64'), format: 'der', type: 'pkcs8' }));
  return Buffer.from(pub.export({ type: 'spki', format: 'der' })).toString('hex').toUpperCase();
}

/** Serial (hex, upper case, no leading zero byte) of the certificate in each slot's object on the card. */
function certificateSerialsOnCard(card: VirtualPivCard): Record<string, string> {
  const objects = card.snapshot().objects;
  const out: Record<string, string> = {};
  for (const [slot, tag] of Object.entries(SLOT_CERT_OBJECT)) {
    const content = objects[objectId(tag)];
    if (!content) continue;
    const outer = decodeTlvs(Uint8Array.from(Buffer.from(content, 'hex')));
    const inner = outer.find((t) => t.tag === 0x53)?.value ?? Uint8Array.from(Buffer.from(content, 'hex'));
    const der = decodeTlvs(inner).find((t) => t.tag === 0x70)?.value;
    if (der) out[slot] = new X509Certificate(der).serialNumber.toUpperCase().replace(/^(00)+(?=.)/, '');
  }
  return out;
}

/**
 * The CA's side of "no valid certificate whose key is not on a card", for the
 * cards the sweep made: every certificate the store holds as valid for one of
 * `cards` (card record id → the card) is for the key the card holds in that
 * slot, and is the certificate in the slot's object; and each card holds a
 * valid certificate in every slot that has a key.
 * @returns the problems found (empty when none)
 */
export function caAgreesWithCards(station: Station, cards: ReadonlyMap<string, VirtualPivCard>): string[] {
  const problems: string[] = [];
  const strip = (s: string) => s.toUpperCase().replace(/^(00)+(?=.)/, '');
  for (const [cardId, card] of cards) {
    const valid = station.store.certificates.listByCard(cardId).filter((c) => c.status === 'valid');
    const onCard = certificateSerialsOnCard(card);
    for (const cert of valid) {
      const spki = slotSpki(card, cert.slot);
      if (spki !== cert.publicKeySpki.toUpperCase()) problems.push(`card ${cardId}: valid certificate ${cert.serial} (${cert.slot}) is for a key the card does not hold`);
      if (onCard[cert.slot] !== strip(cert.serial)) problems.push(`card ${cardId}: valid certificate ${cert.serial} (${cert.slot}) is not the one in the slot's object (${onCard[cert.slot] ?? 'none'})`);
    }
    for (const slot of Object.keys(card.snapshot().keys)) {
      if (!valid.some((c) => c.slot === slot)) problems.push(`card ${cardId}: slot ${slot} holds a key without a valid certificate`);
    }
  }
  return problems;
}
