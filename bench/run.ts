/**
 * `npm run bench`: figures, not a test. Produces cards on a virtual card in
 * pcscd's vpcd reader and prints, per card, APDUs sent, bytes each way, wall
 * time per step and in total; then the same figures for yubico-piv-tool doing
 * the equivalent work (key generation in four slots, certificate import,
 * CHUID, CCC, PIN, PUK, management key) on the same kind of card.
 *
 * APDUs and bytes are counted on the card side (every C-APDU vpcd delivers),
 * so both tools are measured by the same meter.
 *
 * Then mass-production throughput, cards per hour of a batch with 1 and 2 vpcd
 * readers (bench/batch.ts), and person search latency at 100 000 and
 * 1 000 000 persons (bench/person-search.ts).
 *
 * Environment: BENCH_CARDS (default 2), BENCH_READER ("Virtual PCD 00 00"), BENCH_VPCD_PORT (35963), BENCH_PERSONS;
 * BENCH_BATCH_CARDS (6), BENCH_READER_2 ("Virtual PCD 00 01"), BENCH_VPCD_PORT_2 (35964).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualPivCard } from '../native/virtual-card/card.js';
import { attachToVpcd, type VpcdLink } from '../native/vpcd/link.js';
import { openStationRoot } from '../electron/boot/open-station.js';
import { PcscReaderProvider } from '../native/pcsc/index.js';
import { benchBatch } from './batch.js';
import { benchPersonSearch } from './person-search.js';

const execFileAsync = promisify(execFile);
const READER = process.env.BENCH_READER ?? 'Virtual PCD 00 00';
const PORT = Number(process.env.BENCH_VPCD_PORT ?? 35963);
const CARDS = Number(process.env.BENCH_CARDS ?? 2);

/** Card-side meter: wraps processApdu. */
interface Meter {
  apdus: number;
  bytesToCard: number;
  bytesFromCard: number;
}

function metered(card: VirtualPivCard): Meter {
  const meter: Meter = { apdus: 0, bytesToCard: 0, bytesFromCard: 0 };
  const original = card.processApdu.bind(card);
  card.processApdu = async (capdu: Uint8Array) => {
    meter.apdus++;
    meter.bytesToCard += capdu.length;
    const r = await original(capdu);
    meter.bytesFromCard += r.length;
    return r;
  };
  return meter;
}

const snapshot = (m: Meter): Meter => ({ ...m });
const diff = (a: Meter, b: Meter): Meter => ({ apdus: b.apdus - a.apdus, bytesToCard: b.bytesToCard - a.bytesToCard, bytesFromCard: b.bytesFromCard - a.bytesFromCard });

async function waitForCard(pcsc: PcscReaderProvider, present: boolean): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = (await pcsc.listReaders()).find((x) => x.name === READER);
    if (r && r.cardPresent === present) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`pcscd did not report the card ${present ? 'in' : 'out of'} ${READER}`);
}

async function insert(pcsc: PcscReaderProvider, card: VirtualPivCard): Promise<VpcdLink> {
  const link = await attachToVpcd(card, { port: PORT });
  await waitForCard(pcsc, true);
  return link;
}

async function remove(pcsc: PcscReaderProvider, link: VpcdLink): Promise<void> {
  await link.detach();
  await waitForCard(pcsc, false);
}

function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => String(c).padEnd(widths[i]!)).join(' ');
}

const W = [44, 7, 10, 10, 9];
const header = () => console.log(row(['step', 'APDUs', 'bytes→card', 'bytes←card', 'ms'], W));

/** The station's production job, per step. */
async function benchStation(dir: string, pcsc: PcscReaderProvider): Promise<void> {
  // The provider is shared with the yubico-piv-tool run: the station must not close it.
  const readers = { listReaders: () => pcsc.listReaders(), connect: (n: string) => pcsc.connect(n), watch: (cb: Parameters<typeof pcsc.watch>[0]) => pcsc.watch(cb), close: async () => {} };
  const station = await openStationRoot({ dataDir: join(dir, 'station'), training: true, readers });
  try {
    for (let n = 1; n <= CARDS; n++) {
      const card = VirtualPivCard.create({ managementKeyAlgorithm: 'TDEA' });
      const meter = metered(card);
      const link = await insert(pcsc, card);
      const person = station.store.persons.add({ givenName: 'Bench', surname: `Card${n}`, email: null, employeeId: null, affiliation: 'employee' });
      const labels = new Map<string, string>();
      const per: { label: string; m: Meter; ms: number }[] = [];
      let before = snapshot(meter);
      const t0 = performance.now();
      const out = await station.production.produce({ personId: person.id, readerName: READER, pin: '246810' }, (e) => {
        if (e.type === 'job.started') e.steps.forEach((s) => labels.set(s.name, s.label));
        if (e.type === 'job.step.finished') {
          const now = snapshot(meter);
          per.push({ label: labels.get(e.step) ?? e.step, m: diff(before, now), ms: e.ms });
          before = now;
        }
        if (e.type === 'job.step.skipped') before = snapshot(meter);
      });
      const total = performance.now() - t0;
      await remove(pcsc, link);
      console.log(`\nStation production, card ${n} (serial ${card.serial}): ${out.job.status}${out.job.error ? ` at ${out.job.failedStep}: ${out.job.error.message}` : ''}`);
      header();
      for (const p of per) console.log(row([p.label, p.m.apdus, p.m.bytesToCard, p.m.bytesFromCard, p.ms], W));
      console.log(row(['TOTAL', meter.apdus, meter.bytesToCard, meter.bytesFromCard, Math.round(total)], W));
    }
  } finally {
    await station.close();
  }
}

/** yubico-piv-tool doing the equivalent personalization, one invocation per action. */
async function benchYubicoPivTool(dir: string, pcsc: PcscReaderProvider): Promise<void> {
  // A throwaway CA for the imported certificates (yubico-piv-tool's own selfsign is broken with OpenSSL 3: Yubico/yubico-piv-tool#388).
  const ca = (f: string) => join(dir, f);
  await execFileAsync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', ca('ca.key'), '-out', ca('ca.pem'), '-subj', '/CN=Bench CA', '-days', '30']);
  const card = VirtualPivCard.create({ managementKeyAlgorithm: 'TDEA' });
  const meter = metered(card);
  const link = await insert(pcsc, card);
  const ypt = (args: string[]) => execFileAsync('yubico-piv-tool', ['-r', READER, ...args]);
  const actions: { label: string; run: () => Promise<unknown> }[] = [];
  for (const slot of ['9a', '9c', '9d', '9e']) {
    actions.push({ label: `generate ${slot}`, run: () => ypt(['-a', 'generate', '-s', slot, '-A', 'ECCP256', '-o', ca(`${slot}.pub`)]) });
  }
  for (const slot of ['9a', '9c', '9d', '9e']) {
    actions.push({
      label: `import certificate ${slot}`,
      run: async () => {
        await execFileAsync('openssl', ['x509', '-new', '-force_pubkey', ca(`${slot}.pub`), '-subj', `/CN=Bench ${slot}`, '-CA', ca('ca.pem'), '-CAkey', ca('ca.key'), '-days', '30', '-out', ca(`${slot}.pem`)]);
        await ypt(['-a', 'import-certificate', '-s', slot, '-i', ca(`${slot}.pem`)]);
      },
    });
  }
  actions.push({ label: 'set CHUID', run: () => ypt(['-a', 'set-chuid']) });
  actions.push({ label: 'set CCC', run: () => ypt(['-a', 'set-ccc']) });
  actions.push({ label: 'change PIN', run: () => ypt(['-a', 'change-pin', '-P', '123456', '-N', '246810']) });
  actions.push({ label: 'change PUK', run: () => ypt(['-a', 'change-puk', '-P', '12345678', '-N', '87654321']) });
  const newKey = '0a0b0c0d0e0f10111213141516171819a1a2a3a4a5a6a7a8';
  writeFileSync(ca('mgm.key'), newKey);
  actions.push({ label: 'set management key', run: () => ypt(['-a', 'set-mgm-key', '-n', newKey]) });
  console.log(`\nyubico-piv-tool, equivalent work (serial ${card.serial}); each action is one yubico-piv-tool run (SELECT/VERIFY/GET VERSION/auth per run)`);
  header();
  const t0 = performance.now();
  for (const a of actions) {
    const before = snapshot(meter);
    const s = performance.now();
    await a.run();
    const m = diff(before, snapshot(meter));
    console.log(row([a.label, m.apdus, m.bytesToCard, m.bytesFromCard, Math.round(performance.now() - s)], W));
  }
  console.log(row(['TOTAL', meter.apdus, meter.bytesToCard, meter.bytesFromCard, Math.round(performance.now() - t0)], W));
  console.log('(the station does more: CSRs signed on card, Printed Information, Discovery, Key History, a per-card derived AES-192 key, and a full read-back verification)');
  await remove(pcsc, link);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'piv-station-bench-'));
  const pcsc = await PcscReaderProvider.open();
  try {
    console.log(`PIV Station benchmark: ${CARDS} card(s) through pcscd on "${READER}"`);
    await benchStation(dir, pcsc);
    await benchYubicoPivTool(dir, pcsc);
    await benchBatch(pcsc);
  } finally {
    await pcsc.close();
    rmSync(dir, { recursive: true, force: true });
  }
  await benchPersonSearch();
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
