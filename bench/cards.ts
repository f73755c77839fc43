/**
 * Per card, through pcscd's vpcd reader (issue 14): the station's production
 * and its verification, counted separately, beside yubico-piv-tool doing the
 * same writes (key generation in four slots, certificate import, CHUID, CCC,
 * and with write-object every other object the station wrote: Printed
 * Information, Key History, the Security Object, Discovery when written), and
 * beside the minimum APDU count for that work, term by term.
 *
 * Everything is measured on the card side (card-meter.ts); host time is wall
 * time minus the card's. With `timing` (realistic-card mode) the virtual cards
 * wait as real cards do (native/virtual-card/timing.ts), so the figures
 * estimate desk time on real cards.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualPivCard } from '../native/virtual-card/card.js';
import { attachToVpcd, type VpcdLink } from '../native/vpcd/link.js';
import { openStationRoot } from '../electron/boot/open-station.js';
import type { PcscReaderProvider } from '../native/pcsc/index.js';
import type { CardTiming } from '../native/virtual-card/timing.js';
import { Ins, ObjectTag, SLOT_CERT_OBJECT } from '../electron/core/piv/constants.js';
import { personality } from '../native/virtual-card/personality.js';
import { toHex } from '../electron/core/piv/tlv.js';
import { meterCard, minimumApdus, stationTerms, totals, type MeteredApdu, type MeterTotals, type MinimumTerms } from './card-meter.js';

const execFileAsync = promisify(execFile);

/** Where the bench's cards go. */
export interface VpcdReader {
  name: string;
  port: number;
}

/** Figures of one part of a run (production, verification, a whole tool run). */
export interface PartFigures extends MeterTotals {
  wallMs: number;
  hostMs: number;
}

/** One station card. */
export interface StationCardFigures {
  status: string;
  production: PartFigures;
  verification: PartFigures;
  total: PartFigures;
  minimum: MinimumTerms;
  station: ReturnType<typeof stationTerms>;
  steps: { label: string; apdus: number; ms: number }[];
}

/** The yubico-piv-tool run. */
export interface ToolFigures extends PartFigures {
  actions: { label: string; apdus: number; ms: number }[];
  objectsWritten: string[];
}

const round = (n: number) => Math.round(n);

function part(log: readonly MeteredApdu[], wallMs: number, keep?: (a: MeteredApdu) => boolean): PartFigures {
  const t = totals(log, keep);
  return { ...t, cardMs: round(t.cardMs), wallMs: round(wallMs), hostMs: round(wallMs - t.cardMs) };
}

async function waitForCard(pcsc: PcscReaderProvider, reader: string, present: boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const r = (await pcsc.listReaders()).find((x) => x.name === reader);
    if (r && r.cardPresent === present) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`pcscd did not report the card ${present ? 'in' : 'out of'} ${reader}`);
}

async function insert(pcsc: PcscReaderProvider, reader: VpcdReader, card: VirtualPivCard): Promise<VpcdLink> {
  const link = await attachToVpcd(card, { port: reader.port });
  await waitForCard(pcsc, reader.name, true);
  return link;
}

async function remove(pcsc: PcscReaderProvider, reader: VpcdReader, link: VpcdLink): Promise<void> {
  await link.detach();
  await waitForCard(pcsc, reader.name, false);
}

/** The objects (other than certificates, CHUID and CCC) the station's run wrote, with their content (inside 53, or the 7E template). */
export function objectsWritten(log: readonly MeteredApdu[]): { tag: number; content: Uint8Array }[] {
  const skip = new Set<number>([ObjectTag.CHUID, ObjectTag.CCC, ...Object.values(SLOT_CERT_OBJECT)]);
  const out = new Map<number, Uint8Array>();
  let data: number[] | undefined;
  for (const a of log) {
    if (a.command.ins !== Ins.PUT_DATA) continue;
    data = [...(data ?? []), ...a.command.data];
    if (a.command.cla & 0x10) continue;
    const bytes = Uint8Array.from(data);
    data = undefined;
    if (bytes[0] === 0x7e) {
      out.set(ObjectTag.DISCOVERY, bytes);
      continue;
    }
    const tag = Number.parseInt(toHex(bytes.subarray(2, 2 + bytes[1]!)), 16);
    if (skip.has(tag)) continue;
    // 53 L content: the length is one byte below 80, else 81 L or 82 L L.
    let i = 2 + bytes[1]! + 1;
    const first = bytes[i]!;
    i += first < 0x80 ? 1 : 1 + (first & 0x7f);
    if (bytes.length > i) out.set(tag, bytes.subarray(i));
  }
  return [...out].map(([tag, content]) => ({ tag, content }));
}

/** The station produces `cards` cards on `reader`, each a fresh blank virtual card. */
export async function benchStationCards(dir: string, pcsc: PcscReaderProvider, reader: VpcdReader, cards: number, timing?: CardTiming): Promise<{ cards: StationCardFigures[]; log: MeteredApdu[] }> {
  // The provider is shared with the other runs: the station must not close it.
  const readers = { listReaders: () => pcsc.listReaders(), connect: (n: string) => pcsc.connect(n), watch: (cb: Parameters<typeof pcsc.watch>[0]) => pcsc.watch(cb), close: async () => {} };
  const station = await openStationRoot({ dataDir: join(dir, `station${timing ? '-realistic' : ''}`), training: true, readers });
  const out: StationCardFigures[] = [];
  let lastLog: MeteredApdu[] = [];
  try {
    for (let n = 1; n <= cards; n++) {
      const card = VirtualPivCard.create({ managementKeyAlgorithm: 'TDEA', ...(timing ? { faults: { timing } } : {}) });
      const meter = meterCard(card, 'production');
      const link = await insert(pcsc, reader, card);
      meter.log.length = 0; // pcscd's own APDUs at insertion are not the station's
      const person = station.store.persons.add({ givenName: 'Bench', surname: `Card${n}`, email: null, employeeId: null, affiliation: 'employee' });
      const labels = new Map<string, string>();
      const steps: StationCardFigures['steps'] = [];
      let stepFrom = 0;
      let verifyStart = 0;
      let verifyEnd = 0;
      const t0 = performance.now();
      const result = await station.production.produce({ personId: person.id, readerName: reader.name, pin: '246810' }, (e) => {
        if (e.type === 'job.started') e.steps.forEach((s) => labels.set(s.name, s.label));
        if (e.type === 'job.step.started') {
          stepFrom = meter.log.length;
          meter.phase = e.step === 'verify' ? 'verification' : 'production';
          if (e.step === 'verify') verifyStart = performance.now();
        }
        if (e.type === 'job.step.finished') {
          steps.push({ label: labels.get(e.step) ?? e.step, apdus: meter.log.length - stepFrom, ms: e.ms });
          if (e.step === 'verify') verifyEnd = performance.now();
        }
      });
      const wall = performance.now() - t0;
      await remove(pcsc, reader, link);
      const verifyWall = verifyEnd - verifyStart;
      out.push({
        status: result.job.status + (result.job.error ? ` at ${result.job.failedStep}: ${result.job.error.message}` : ''),
        production: part(meter.log, wall - verifyWall, (a) => a.phase === 'production'),
        verification: part(meter.log, verifyWall, (a) => a.phase === 'verification'),
        total: part(meter.log, wall),
        minimum: minimumApdus(meter.log, personality().extendedLength),
        station: stationTerms(meter.log),
        steps,
      });
      lastLog = meter.log;
    }
  } finally {
    await station.close();
  }
  return { cards: out, log: lastLog };
}

/**
 * yubico-piv-tool doing the station's writes, one invocation per action (each
 * run selects, authenticates and verifies on its own, as an operator's script does).
 * `objects`: what the station wrote with PUT DATA besides certificates, CHUID and CCC.
 */
export async function benchYubicoPivTool(dir: string, pcsc: PcscReaderProvider, reader: VpcdReader, objects: { tag: number; content: Uint8Array }[], timing?: CardTiming): Promise<ToolFigures> {
  const file = (f: string) => join(dir, f);
  // A throwaway CA for the imported certificates (yubico-piv-tool's own selfsign is broken with OpenSSL 3: Yubico/yubico-piv-tool#388).
  await execFileAsync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', file('ca.key'), '-out', file('ca.pem'), '-subj', '/CN=Bench CA', '-days', '30']);
  const card = VirtualPivCard.create({ managementKeyAlgorithm: 'TDEA', ...(timing ? { faults: { timing } } : {}) });
  const meter = meterCard(card, 'tool');
  const link = await insert(pcsc, reader, card);
  meter.log.length = 0;
  const ypt = (args: string[]) => execFileAsync('yubico-piv-tool', ['-r', reader.name, ...args]);
  const actions: { label: string; run: () => Promise<unknown> }[] = [];
  for (const slot of ['9a', '9c', '9d', '9e']) {
    actions.push({ label: `generate ${slot}`, run: () => ypt(['-a', 'generate', '-s', slot, '-A', 'ECCP256', '-o', file(`${slot}.pub`)]) });
  }
  for (const slot of ['9a', '9c', '9d', '9e']) {
    actions.push({
      label: `import certificate ${slot}`,
      run: async () => {
        await execFileAsync('openssl', ['x509', '-new', '-force_pubkey', file(`${slot}.pub`), '-subj', `/CN=Bench ${slot}`, '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-days', '30', '-out', file(`${slot}.pem`)]);
        await ypt(['-a', 'import-certificate', '-s', slot, '-i', file(`${slot}.pem`)]);
      },
    });
  }
  actions.push({ label: 'set CHUID', run: () => ypt(['-a', 'set-chuid']) });
  actions.push({ label: 'set CCC', run: () => ypt(['-a', 'set-ccc']) });
  for (const o of objects) {
    const id = `0x${o.tag.toString(16)}`;
    writeFileSync(file(`${o.tag.toString(16)}.bin`), o.content);
    actions.push({ label: `write-object ${id}`, run: () => ypt(['-a', 'write-object', `--id=${id}`, '-f', 'binary', '-i', file(`${o.tag.toString(16)}.bin`)]) });
  }
  actions.push({ label: 'change PIN', run: () => ypt(['-a', 'change-pin', '-P', '123456', '-N', '246810']) });
  actions.push({ label: 'change PUK', run: () => ypt(['-a', 'change-puk', '-P', '12345678', '-N', '87654321']) });
  const newKey = '0a0b0c0d0e0f10111213141516171819a1a2a3a4a5a6a7a8';
  actions.push({ label: 'set management key', run: () => ypt(['-a', 'set-mgm-key', '-n', newKey]) });
  const done: ToolFigures['actions'] = [];
  const t0 = performance.now();
  for (const a of actions) {
    const from = meter.log.length;
    const s = performance.now();
    await a.run();
    done.push({ label: a.label, apdus: meter.log.length - from, ms: round(performance.now() - s) });
  }
  const wall = performance.now() - t0;
  await remove(pcsc, reader, link);
  return { ...part(meter.log, wall), actions: done, objectsWritten: objects.map((o) => `0x${o.tag.toString(16)}`) };
}

/** Prints a station card's figures: steps, production / verification, and the minimum beside the station's counts. */
export function printStationCard(title: string, f: StationCardFigures): void {
  console.log(`\n${title}: ${f.status}`);
  for (const s of f.steps) console.log(`  ${s.label.padEnd(48)} ${String(s.apdus).padStart(4)} APDUs ${String(s.ms).padStart(6)} ms`);
  console.log('  part          APDUs  bytes→card  bytes←card  wall ms  card ms  host ms');
  for (const [name, p] of [['production', f.production], ['verification', f.verification], ['total', f.total]] as const) {
    console.log(`  ${name.padEnd(13)} ${String(p.apdus).padStart(5)}  ${String(p.bytesToCard).padStart(10)}  ${String(p.bytesFromCard).padStart(10)}  ${String(p.wallMs).padStart(7)}  ${String(p.cardMs).padStart(7)}  ${String(p.hostMs).padStart(7)}`);
  }
  console.log('  minimum formula term            minimum  station');
  for (const k of Object.keys(f.minimum) as (keyof MinimumTerms)[]) {
    if (k === 'total') continue;
    console.log(`  ${k.padEnd(32)} ${String(f.minimum[k]).padStart(7)}  ${String(f.station[k]).padStart(7)}`);
  }
  console.log(`  ${'other (probes, reads before write)'.padEnd(32)} ${'0'.padStart(7)}  ${String(f.station.otherProduction + f.station.otherVerification).padStart(7)}`);
  console.log(`  ${'TOTAL'.padEnd(32)} ${String(f.minimum.total).padStart(7)}  ${String(f.station.total).padStart(7)}  (station/minimum ${(f.station.total / f.minimum.total).toFixed(2)})`);
}

/** Prints the yubico-piv-tool run. */
export function printTool(title: string, f: ToolFigures): void {
  console.log(`\n${title}`);
  for (const a of f.actions) console.log(`  ${a.label.padEnd(48)} ${String(a.apdus).padStart(4)} APDUs ${String(a.ms).padStart(6)} ms`);
  console.log(`  TOTAL ${f.apdus} APDUs, ${f.bytesToCard} bytes→card, ${f.bytesFromCard} bytes←card, wall ${f.wallMs} ms, card ${f.cardMs} ms, host ${f.hostMs} ms`);
}
