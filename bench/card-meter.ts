/**
 * The card-side meter of the benchmark (issue 14): every C-APDU a virtual card
 * processes, its R-APDU and the time the card spent answering it, measured
 * inside the card (VirtualPivCard.processApdu), so the station and
 * yubico-piv-tool are measured by the same meter and "host time" is the wall
 * time minus the card's. From a run's log, {@link minimumApdus} computes the
 * issue's minimum APDU count for the same work, term by term, and
 * {@link stationTerms} the station's own counts beside each term.
 */
import { Ins, KeyRef, SLOT_CERT_OBJECT } from '../electron/core/piv/constants.js';
import { toHex } from '../electron/core/piv/tlv.js';
import type { VirtualPivCard } from '../native/virtual-card/card.js';
import { parseCommandApdu, type CommandApdu } from '../native/virtual-card/apdu.js';

/** One APDU as the card saw it. */
export interface MeteredApdu {
  command: CommandApdu;
  request: number;
  response: number;
  sw: number;
  responseData: number;
  cardMs: number;
  /** What the caller was doing (e.g. production, verification). */
  phase: string;
}

/** Totals of a part of a run. */
export interface MeterTotals {
  apdus: number;
  bytesToCard: number;
  bytesFromCard: number;
  cardMs: number;
}

/** A meter on one card; `phase` labels the APDUs that follow. */
export interface CardMeter {
  log: MeteredApdu[];
  phase: string;
}

/** Wraps the card's processApdu: every APDU is logged with the time the card took to answer it. */
export function meterCard(card: VirtualPivCard, phase = 'run'): CardMeter {
  const meter: CardMeter = { log: [], phase };
  const original = card.processApdu.bind(card);
  card.processApdu = async (capdu: Uint8Array) => {
    const t0 = performance.now();
    const r = await original(capdu);
    const cardMs = performance.now() - t0;
    let command: CommandApdu;
    try {
      command = parseCommandApdu(capdu);
    } catch {
      command = { cla: capdu[0] ?? 0, ins: capdu[1] ?? 0, p1: 0, p2: 0, data: new Uint8Array(0), le: undefined, extended: false };
    }
    const sw = (r[r.length - 2]! << 8) | r[r.length - 1]!;
    meter.log.push({ command, request: capdu.length, response: r.length, sw, responseData: r.length - 2, cardMs, phase: meter.phase });
    return r;
  };
  return meter;
}

/** Totals of the log entries `keep` selects. */
export function totals(log: readonly MeteredApdu[], keep: (a: MeteredApdu) => boolean = () => true): MeterTotals {
  const t: MeterTotals = { apdus: 0, bytesToCard: 0, bytesFromCard: 0, cardMs: 0 };
  for (const a of log) {
    if (!keep(a)) continue;
    t.apdus++;
    t.bytesToCard += a.request;
    t.bytesFromCard += a.response;
    t.cardMs += a.cardMs;
  }
  return t;
}

const CHAIN = 0x10;
const SHORT_BLOCK = 255;
const CERT_TAGS = new Set(Object.values(SLOT_CERT_OBJECT).map((t) => t.toString(16).toUpperCase()));
const SLOT_REFS = new Set<number>([0x9a, 0x9c, 0x9d, 0x9e]);

/** A whole command: chained blocks put together, with its answer's total data (GET RESPONSE parts added). */
interface LogicalCommand {
  ins: number;
  p1: number;
  p2: number;
  data: Uint8Array;
  blocks: number;
  responseData: number;
  continuations: number;
  phase: string;
}

function logical(log: readonly MeteredApdu[]): LogicalCommand[] {
  const out: LogicalCommand[] = [];
  let chain: LogicalCommand | undefined;
  for (const a of log) {
    const c = a.command;
    if (c.ins === Ins.GET_RESPONSE) {
      const last = out[out.length - 1];
      if (last) {
        last.responseData += a.responseData;
        last.continuations++;
      }
      continue;
    }
    if (chain && chain.ins === c.ins && chain.p1 === c.p1 && chain.p2 === c.p2) {
      chain.data = Uint8Array.from([...chain.data, ...c.data]);
      chain.blocks++;
      if (!(c.cla & CHAIN)) {
        chain.responseData = a.responseData;
        out.push(chain);
        chain = undefined;
      }
      continue;
    }
    const cmd: LogicalCommand = { ins: c.ins, p1: c.p1, p2: c.p2, data: c.data, blocks: 1, responseData: a.responseData, continuations: 0, phase: a.phase };
    if (c.cla & CHAIN) chain = cmd;
    else out.push(cmd);
  }
  return out;
}

/** The object a GET DATA / PUT DATA names (5C tag list, or a Discovery 7E template), as hex. */
function objectTag(c: LogicalCommand): string {
  if (c.data[0] === 0x7e) return '7E';
  return toHex(c.data.subarray(2, 2 + (c.data[1] ?? 0)));
}

/** The minimum for the work a run did, term by term. */
export interface MinimumTerms {
  select: number;
  managementKeyAuthentication: number;
  generate: number;
  certificatePutData: number;
  csrSignatures: number;
  pinVerify: number;
  objectPutData: number;
  pinChange: number;
  pukChange: number;
  managementKeyChange: number;
  verificationGetData: number;
  verificationKeyOperations: number;
  total: number;
}

/**
 * The minimum APDUs for the work in `log` (issue 14): 1 SELECT + 2 for the
 * management-key authentication + per slot (1 GENERATE + ⌈cert/255⌉ PUT DATA +
 * 1 GENERAL AUTHENTICATE for a slot whose key signed a CSR) + 1 VERIFY when a
 * slot needs the PIN + per object ⌈size/255⌉ PUT DATA + 1 PIN change + 1 PUK
 * change + 1 management-key change + for verification, per object on the card
 * ⌈size/Le_max⌉ GET DATA (Le_max 65 536 with extended length, else 256) and 1
 * GENERAL AUTHENTICATE per slot. Sizes are those on the card in this run.
 */
export function minimumApdus(log: readonly MeteredApdu[], extendedLength: boolean): MinimumTerms {
  const commands = logical(log);
  const leMax = extendedLength ? 0x10000 : 256;
  const sizeOnCard = new Map<string, number>();
  let certificatePutData = 0;
  let objectPutData = 0;
  const slots = new Set<number>();
  const signed = new Set<number>();
  for (const c of commands) {
    if (c.ins === Ins.PUT_DATA) {
      const tag = objectTag(c);
      const blocks = Math.ceil(c.data.length / SHORT_BLOCK);
      if (CERT_TAGS.has(tag)) certificatePutData += blocks;
      else objectPutData += blocks;
      sizeOnCard.set(tag, tag === '7E' ? c.data.length : c.data.length - 2 - (c.data[1] ?? 0));
    }
    if (c.ins === Ins.GET_DATA && c.responseData > 0) sizeOnCard.set(objectTag(c), c.responseData);
    if (c.ins === Ins.GENERATE_ASYMMETRIC_KEY_PAIR) slots.add(c.p2);
    if (c.ins === Ins.GENERAL_AUTHENTICATE && c.phase === 'production' && SLOT_REFS.has(c.p2) && c.data.includes(0x81)) signed.add(c.p2);
  }
  const pinSlots = [...slots].some((s) => s !== 0x9e);
  const terms = {
    select: 1,
    managementKeyAuthentication: 2,
    generate: slots.size,
    certificatePutData,
    csrSignatures: signed.size,
    pinVerify: pinSlots ? 1 : 0,
    objectPutData,
    pinChange: 1,
    pukChange: 1,
    managementKeyChange: 1,
    verificationGetData: [...sizeOnCard.values()].reduce((n, size) => n + Math.max(1, Math.ceil(size / leMax)), 0),
    verificationKeyOperations: slots.size,
  };
  return { ...terms, total: Object.values(terms).reduce((a, b) => a + b, 0) };
}

/** The station's own APDUs under the same headings (GET RESPONSE, chaining and probes counted where they fall). */
export function stationTerms(log: readonly MeteredApdu[]): Record<keyof Omit<MinimumTerms, 'total'> | 'otherProduction' | 'otherVerification', number> & { total: number } {
  const t = {
    select: 0,
    managementKeyAuthentication: 0,
    generate: 0,
    certificatePutData: 0,
    csrSignatures: 0,
    pinVerify: 0,
    objectPutData: 0,
    pinChange: 0,
    pukChange: 0,
    managementKeyChange: 0,
    verificationGetData: 0,
    verificationKeyOperations: 0,
    otherProduction: 0,
    otherVerification: 0,
  };
  let lastGetData = false;
  let lastPutTag = '';
  for (const a of log) {
    const c = a.command;
    const verification = a.phase === 'verification';
    // The first block of a chained PUT DATA names the object; the blocks after it belong to it.
    if (c.ins === Ins.PUT_DATA && lastPutTag === '') lastPutTag = objectTag({ data: c.data } as LogicalCommand);
    if (c.ins === Ins.GET_RESPONSE) {
      if (verification && lastGetData) t.verificationGetData++;
      else if (verification) t.otherVerification++;
      else t.otherProduction++;
      continue;
    }
    lastGetData = c.ins === Ins.GET_DATA;
    if (c.ins === Ins.SELECT && !verification) t.select++;
    else if (c.ins === Ins.GENERAL_AUTHENTICATE && c.p2 === KeyRef.MANAGEMENT && !verification) t.managementKeyAuthentication++;
    else if (c.ins === Ins.GENERATE_ASYMMETRIC_KEY_PAIR) t.generate++;
    else if (c.ins === Ins.PUT_DATA) {
      if (CERT_TAGS.has(lastPutTag)) t.certificatePutData++;
      else t.objectPutData++;
      if (!(c.cla & CHAIN)) lastPutTag = '';
    } else if (c.ins === Ins.GENERAL_AUTHENTICATE && SLOT_REFS.has(c.p2)) {
      if (verification) t.verificationKeyOperations++;
      else t.csrSignatures++;
    } else if (c.ins === Ins.VERIFY && c.data.length > 0) t.pinVerify++;
    else if (c.ins === Ins.CHANGE_REFERENCE_DATA && c.p2 === KeyRef.PIN) t.pinChange++;
    else if (c.ins === Ins.CHANGE_REFERENCE_DATA && c.p2 === KeyRef.PUK) t.pukChange++;
    else if (c.ins === Ins.SET_MANAGEMENT_KEY && c.data.length > 0) t.managementKeyChange++;
    else if (c.ins === Ins.GET_DATA && verification) t.verificationGetData++;
    else if (verification) t.otherVerification++;
    else t.otherProduction++;
  }
  return { ...t, total: log.length };
}
