/**
 * `npm run bench`: figures, not a test (issue 14). Runs under /work/bin/vpcd-lock
 * on this machine (the cards part uses pcscd's vpcd readers).
 *
 * - cards (bench/cards.ts): per card through pcscd's vpcd reader, the
 *   station's production and its verification counted separately (APDUs, bytes,
 *   wall, card and host time; card time measured inside the virtual card),
 *   yubico-piv-tool doing the same writes, and the minimum APDU count
 *   term by term beside the station's; once on cards answering at once and
 *   once on cards answering as real cards do (native/virtual-card/timing.ts;
 *   not with BENCH_QUICK). Then the batch on 1 and 2 vpcd readers
 *   (bench/batch.ts; not with BENCH_QUICK).
 * - scale (bench/scale.ts): batches on 1, 2, 4, 8 in-process readers of
 *   realistic cards, and the speed-up; P-256 and RSA-2048 keys (BENCH_QUICK:
 *   1 and 4 readers, P-256 only).
 * - persons (bench/person-search.ts): person search and browse at 100 000 and
 *   1 000 000 persons.
 * - startup (bench/startup.ts): `station --help` and the browser host's first screen.
 *
 * Every section goes to bench/results/latest.json with the machine (bench/results.ts).
 *
 * Environment: BENCH_ONLY (parts, comma-separated: cards, scale, persons,
 * startup; default all), BENCH_QUICK=1 (about a minute for the whole run),
 * BENCH_CARDS (station cards per mode; 2, quick 1), BENCH_SCALE_CARDS (cards
 * per reader; 3, quick 1), BENCH_SCALE_READERS ("1,2,4,8", quick "1,4"), BENCH_READER ("Virtual PCD 00 00"),
 * BENCH_VPCD_PORT (35963), BENCH_PERSONS; BENCH_BATCH_CARDS (6),
 * BENCH_READER_2 ("Virtual PCD 00 01"), BENCH_VPCD_PORT_2 (35964).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PcscReaderProvider } from '../native/pcsc/index.js';
import { PUBLISHED_CARD_TIMING, type CardTiming } from '../native/virtual-card/timing.js';
import { benchBatch } from './batch.js';
import { benchStationCards, benchYubicoPivTool, objectsWritten, printStationCard, printTool, type StationCardFigures, type ToolFigures } from './cards.js';
import { benchPersonSearch } from './person-search.js';
import { writeResultsSection } from './results.js';
import { benchScale } from './scale.js';
import { benchStartup } from './startup.js';

const QUICK = process.env.BENCH_QUICK === '1';
const READER = { name: process.env.BENCH_READER ?? 'Virtual PCD 00 00', port: Number(process.env.BENCH_VPCD_PORT ?? 35963) };
const CARDS = Number(process.env.BENCH_CARDS ?? (QUICK ? 1 : 2));
const SCALE_CARDS_PER_READER = Number(process.env.BENCH_SCALE_CARDS ?? (QUICK ? 1 : 3));
/** Reader counts of the scale section: the 1, 2, 4, 8; quick mode keeps 1 and 4 (the 3.6× target). */
const SCALE_READERS = (process.env.BENCH_SCALE_READERS ?? (QUICK ? '1,4' : '1,2,4,8')).split(',').map(Number);

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

/** The mean of a figure over the station's cards. */
function mean(cards: StationCardFigures[], pick: (c: StationCardFigures) => number): number {
  return Math.round(cards.reduce((n, c) => n + pick(c), 0) / cards.length);
}

/**
 * The station's cards and yubico-piv-tool on one card, on vpcd cards that
 * answer at once or (`timing`) as real cards do; prints them and returns the
 * figures with the ratios of the issue.
 */
async function cardsSection(dir: string, pcsc: PcscReaderProvider, timing: CardTiming | undefined): Promise<Record<string, unknown>> {
  const mode = timing ? 'realistic cards (published delays, native/virtual-card/timing.ts)' : 'vpcd cards answering at once';
  console.log(`
=== Per card, ${mode}: ${CARDS} station card(s) through pcscd on "${READER.name}" ===`);
  const station = await benchStationCards(dir, pcsc, READER, CARDS, timing);
  station.cards.forEach((c, i) => printStationCard(`Station production and verification, card ${i + 1}`, c));
  const objects = objectsWritten(station.log);
  const tool: ToolFigures = await benchYubicoPivTool(dir, pcsc, READER, objects, timing);
  printTool(`yubico-piv-tool, the same writes (write-object ${tool.objectsWritten.join(', ')}); one run per action, no verification`, tool);
  const last = station.cards[station.cards.length - 1]!;
  const figures = {
    mode: timing ? 'realistic' : 'vpcd',
    timing: timing ?? null,
    station: {
      cards: station.cards,
      meanApdus: mean(station.cards, (c) => c.total.apdus),
      meanProductionApdus: mean(station.cards, (c) => c.production.apdus),
      meanVerificationApdus: mean(station.cards, (c) => c.verification.apdus),
      meanWallMs: mean(station.cards, (c) => c.total.wallMs),
      meanVerificationWallMs: mean(station.cards, (c) => c.verification.wallMs),
      meanHostMs: mean(station.cards, (c) => c.total.hostMs),
    },
    yubicoPivTool: tool,
    minimum: last.minimum,
    ratios: {
      apdusStationToTool: ratio(last.total.apdus, tool.apdus),
      apdusStationToMinimum: ratio(last.total.apdus, last.minimum.total),
      hostTimeStationToTool: ratio(last.total.hostMs, tool.hostMs),
      wallTimeStationToTool: ratio(last.total.wallMs, tool.wallMs),
    },
  };
  console.log(
    `
Ratios (${figures.mode}): APDUs station/yubico-piv-tool ${figures.ratios.apdusStationToTool}, station/minimum ${figures.ratios.apdusStationToMinimum}; host time station/yubico-piv-tool ${figures.ratios.hostTimeStationToTool}; wall time ${figures.ratios.wallTimeStationToTool}`,
  );
  return figures;
}

/** The parts of the bench BENCH_ONLY may name. */
const PARTS = ['cards', 'scale', 'persons', 'startup'] as const;

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(',').map((p) => p.trim());
  const unknown = only?.filter((p) => !(PARTS as readonly string[]).includes(p)) ?? [];
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: no part ${unknown.join(', ')} (parts: ${PARTS.join(', ')})`);
  const runs = (part: (typeof PARTS)[number]) => !only || only.includes(part);
  if (runs('cards')) {
    const dir = mkdtempSync(join(tmpdir(), 'piv-station-bench-'));
    const pcsc = await PcscReaderProvider.open();
    try {
      const vpcd = await cardsSection(dir, pcsc, undefined);
      // Quick mode: the APDU counts and ratios come from the vpcd cards; the realistic cards' desk time waits for the full run.
      const realistic = QUICK ? null : await cardsSection(dir, pcsc, PUBLISHED_CARD_TIMING);
      writeResultsSection('cards', { vpcd, realistic });
      if (!QUICK) await benchBatch(pcsc);
    } finally {
      await pcsc.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (runs('scale')) {
    const p256 = await benchScale(PUBLISHED_CARD_TIMING, SCALE_CARDS_PER_READER, SCALE_READERS, 'P256');
    // RSA-2048 key generation takes 8 s per key on a real card: minutes of batches, left to the full run.
    const rsa2048 = QUICK ? null : await benchScale(PUBLISHED_CARD_TIMING, SCALE_CARDS_PER_READER, SCALE_READERS, 'RSA2048');
    writeResultsSection('scale', { timing: PUBLISHED_CARD_TIMING, p256, rsa2048 });
  }
  if (runs('persons')) writeResultsSection('personSearch', await benchPersonSearch());
  if (runs('startup')) writeResultsSection('startup', await benchStartup());
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
