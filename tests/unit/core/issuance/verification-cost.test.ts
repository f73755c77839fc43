/**
 * What the verify step of a production run costs the card (issue 14), counted
 * on the card side of the in-process training reader: each object and
 * certificate on the card is known from exactly one read in the run — the
 * verify step's own GET DATA, or production's read of an object it then left
 * as it was — never two; each slot key signs or agrees once; on a card that
 * takes extended length every read is one extended GET DATA (no GET
 * RESPONSE), and on one that does not, the short reads still verify the card.
 * And what identifying the card costs: the PIN's tries read once, each vendor
 * extension probed once.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { Ins, ObjectTag, SLOT_CERT_OBJECT, SLOT_KEY_REF, Sw } from '../../../../electron/core/piv/constants.js';
import { toHex } from '../../../../electron/core/piv/tlv.js';
import { parseCommandApdu, type CommandApdu } from '../../../../native/virtual-card/apdu.js';
import type { PersonalityName } from '../../../../native/virtual-card/personality.js';
import { openTrainingStation, type TrainingStation } from '../../../support/training-station.js';

let t: TrainingStation | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Every object the default profile leaves on the card, by tag (hex). */
const OBJECTS = [
  ObjectTag.CHUID,
  ...Object.values(SLOT_CERT_OBJECT),
  ObjectTag.CCC,
  ObjectTag.DISCOVERY,
  ObjectTag.PRINTED_INFORMATION,
  ObjectTag.KEY_HISTORY,
  ObjectTag.SECURITY_OBJECT,
].map((tag) => tag.toString(16).toUpperCase());

/** The object a GET DATA or PUT DATA names in its tag list (5C, short length), as hex; the first block of a chain carries it. */
function requestedTag(c: CommandApdu): string {
  return toHex(c.data.subarray(2, 2 + c.data[1]!));
}

/** A production run's C-APDUs split by step, and the tags PUT DATA wrote per step. */
async function produceAndRecord(personality: PersonalityName): Promise<{ status: string; cardId: string; jobId: string; byStep: Map<string, CommandApdu[]>; sent: CommandApdu[]; verifyFrom: number }> {
  t = await openTrainingStation({ personality });
  const sent: CommandApdu[] = [];
  const original = t.card.processApdu.bind(t.card);
  t.card.processApdu = (capdu: Uint8Array) => {
    sent.push(parseCommandApdu(capdu));
    return original(capdu);
  };
  const byStep = new Map<string, CommandApdu[]>();
  let from = 0;
  let verifyFrom = -1;
  const out = await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName, pin: '246810' }, (e) => {
    if (e.type === 'job.step.started') from = sent.length;
    if (e.type === 'job.step.started' && e.step === 'verify') verifyFrom = sent.length;
    if (e.type === 'job.step.finished') byStep.set(e.step, sent.slice(from));
  });
  return { status: out.job.status, cardId: out.card.id, jobId: out.job.id, byStep, sent, verifyFrom };
}

/** Tags read (GET DATA answered with the object, not rewritten afterwards) before the verify step. */
function provenBeforeVerify(byStep: Map<string, CommandApdu[]>): Set<string> {
  const proven = new Set<string>();
  for (const [step, apdus] of byStep) {
    if (step === 'verify') continue;
    for (const c of apdus) {
      if (c.ins === Ins.GET_DATA) proven.add(requestedTag(c));
      // A chained PUT DATA names its object in the first block; every block but the last has the chaining bit.
      if (c.ins === Ins.PUT_DATA && (c.data[0] === 0x5c || c.data[0] === 0x7e)) proven.delete(c.data[0] === 0x7e ? '7E' : requestedTag(c));
    }
  }
  return proven;
}

describe('the cost of verification in a production run', () => {
  test('an extended-length card: every object read once in the run, one extended GET DATA each, one key operation per slot in the run', async () => {
    const { status, byStep, sent } = await produceAndRecord('yubikey-like');
    expect(status).toBe('done');
    const verify = byStep.get('verify')!;
    const reads = verify.filter((c) => c.ins === Ins.GET_DATA).map(requestedTag);
    expect(new Set(reads).size, 'no object read twice by verify').toBe(reads.length);
    expect(verify.filter((c) => c.ins === Ins.GET_DATA).every((c) => c.extended && c.le === 0x10000)).toBe(true);
    expect(verify.some((c) => c.ins === Ins.GET_RESPONSE)).toBe(false);

    const proven = provenBeforeVerify(byStep);
    const known = [...reads, ...[...proven].filter((tag) => OBJECTS.includes(tag))];
    expect(known.sort(), 'each object known from exactly one read in the run').toEqual([...OBJECTS].sort());

    // Each slot key signs or agrees once in the card session: 9A, 9C and 9E signed their CSRs (checked against the
    // key their certificate, read back, carries), so verify has only 9D (ECDH, no CSR) agree.
    const slotRefs: number[] = Object.values(SLOT_KEY_REF);
    const keyUses = sent.filter((c) => c.ins === Ins.GENERAL_AUTHENTICATE && slotRefs.includes(c.p2)).map((c) => c.p2);
    expect(keyUses.sort()).toEqual([...slotRefs].sort());
    expect(verify.filter((c) => c.ins === Ins.GENERAL_AUTHENTICATE).map((c) => c.p2)).toEqual([SLOT_KEY_REF['9D']]);
    // The PIN step's VERIFY of the cardholder's PIN in this session proves it: verify sends none.
    expect(verify.filter((c) => c.ins === Ins.VERIFY)).toEqual([]);
  });

  test('a card without extended length: short reads with GET RESPONSE, and the card still verifies', async () => {
    const { status, byStep } = await produceAndRecord('strict-800-73');
    expect(status).toBe('done');
    const verify = byStep.get('verify')!;
    expect(verify.some((c) => c.extended)).toBe(false);
    expect(verify.some((c) => c.ins === Ins.GET_RESPONSE)).toBe(true);
    const reads = verify.filter((c) => c.ins === Ins.GET_DATA).map(requestedTag);
    expect(new Set(reads).size).toBe(reads.length);
  });
});

describe('what production reads before it writes (issue 14)', () => {
  test('yubikey-like: a certificate of a key generated in the run, a fresh CCC and a fresh Security Object are written without a read before them; Discovery, each GET METADATA read once in the run', async () => {
    const { status, byStep, sent, verifyFrom } = await produceAndRecord('yubikey-like');
    expect(status).toBe('done');
    // Every C-APDU before the verify step, the steps' isDone reads (sent between steps) included.
    const beforeVerify = sent.slice(0, verifyFrom);
    const certTags = Object.values(SLOT_CERT_OBJECT).map((tag) => tag.toString(16).toUpperCase());
    const reads = beforeVerify.filter((c) => c.ins === Ins.GET_DATA).map(requestedTag);
    const fresh = [...certTags, ObjectTag.CCC.toString(16).toUpperCase(), ObjectTag.SECURITY_OBJECT.toString(16).toUpperCase()];
    expect(reads.filter((tag) => fresh.includes(tag)), 'no read before writing bytes no card can hold yet').toEqual([]);
    expect(beforeVerify.filter((c) => c.ins === Ins.PUT_DATA && c.data[0] === 0x5c).map(requestedTag)).toEqual(expect.arrayContaining(fresh));
    // Objects whose bytes a card may already hold are still read first (issue 9): CHUID, Printed Information, Key History.
    const mayHold = [ObjectTag.CHUID, ObjectTag.PRINTED_INFORMATION, ObjectTag.KEY_HISTORY].map((tag) => tag.toString(16).toUpperCase());
    expect(reads).toEqual(expect.arrayContaining(mayHold));
    // The extended-length probe of identify is a GET DATA of Discovery: the run's one read of it.
    const all = sent;
    expect(all.filter((c) => c.ins === Ins.GET_DATA && requestedTag(c) === '7E')).toHaveLength(1);
    // 9B, 80 (tries and total), 81 (PUK tries and total): each once; verify asks none (the lock's authentication
    // proved 9B, the PIN step's VERIFY left the PIN's tries full).
    const metadata = all.filter((c) => c.ins === Ins.GET_METADATA).map((c) => c.p2);
    expect(metadata.sort()).toEqual([0x80, 0x81, 0x9b]);
    expect(byStep.get('verify')!.filter((c) => c.ins === Ins.GET_METADATA || (c.ins === Ins.VERIFY && c.data.length === 0))).toEqual([]);
  });
});

describe('the cost of identifying the card in a production run', () => {
  const isPin = (c: CommandApdu) => c.p2 === 0x80;
  const triesByVerify = (c: CommandApdu) => isPin(c) && c.ins === Ins.VERIFY && c.p1 === 0x00 && c.data.length === 0;
  const pinMetadata = (c: CommandApdu) => isPin(c) && c.ins === Ins.GET_METADATA;

  // yubikey-like answers GET METADATA: identify reads the PIN's tries (and their total, which the retries step then
  // needs) with GET METADATA 80. strict-800-73 refuses GET METADATA (identify probes it on the PIN once, as the
  // capability rule asks): its tries come from VERIFY without data (73-2 §3.2.1).
  test.each([
    ['yubikey-like', 1, 0],
    ['strict-800-73', 1, 1],
  ] as const)('%s: the PIN tries read once, before the transport PIN is tried; each extension probed once', async (personality, metadataReads, verifyReads) => {
    const { status, byStep } = await produceAndRecord(personality);
    expect(status).toBe('done');
    const identify = byStep.get('identify')!;
    expect(identify.filter(triesByVerify)).toHaveLength(verifyReads);
    expect(identify.filter(pinMetadata)).toHaveLength(metadataReads);
    const transportPin = identify.findIndex((c) => isPin(c) && c.ins === Ins.VERIFY && c.data.length > 0);
    expect(transportPin).toBeGreaterThan(identify.findIndex(verifyReads ? triesByVerify : pinMetadata));
    const extensions: readonly number[] = [Ins.GET_VERSION, Ins.GET_SERIAL, Ins.SET_PIN_RETRIES, Ins.SET_MANAGEMENT_KEY, Ins.ATTEST, Ins.MOVE_KEY];
    const probes = identify.filter((c) => extensions.includes(c.ins));
    expect(new Set(probes.map((c) => c.ins)).size, 'no extension probed twice').toBe(probes.length);
  });
});

describe('proofs from this card session only (issue 14)', () => {
  const slotRefs: number[] = Object.values(SLOT_KEY_REF);

  test('a job whose verify step failed is verified in full by its retry: a new card session signs with every slot again', async () => {
    t = await openTrainingStation();
    const ts = t;
    let lastIndex = 0;
    ts.card.faults.onApdu = (e) => {
      lastIndex = e.index;
    };
    // Pulled after the third APDU of the verify step.
    const first = await ts.station.production.produce({ personId: ts.addPerson(), readerName: ts.readerName, pin: '246810' }, (e) => {
      if (e.type === 'job.step.started' && e.step === 'verify') ts.card.faults.pullAfterInsertedApdus = lastIndex + 3;
    });
    expect(first.job.status).toBe('failed');
    expect(first.job.failedStep).toBe('verify');

    ts.card.faults.pullAfterInsertedApdus = undefined;
    ts.reader.insert(ts.card);
    const sent: CommandApdu[] = [];
    const original = ts.card.processApdu.bind(ts.card);
    ts.card.processApdu = (capdu: Uint8Array) => {
      sent.push(parseCommandApdu(capdu));
      return original(capdu);
    };
    let verifyFrom = -1;
    const retried = await ts.station.production.retry(first.job.id, ts.readerName, '246810', (e) => {
      if (e.type === 'job.step.started' && e.step === 'verify') verifyFrom = sent.length;
    });
    expect(retried.job.status, retried.job.error?.message).toBe('done');
    const verify = sent.slice(verifyFrom);
    expect(verify.filter((c) => c.ins === Ins.GENERAL_AUTHENTICATE).map((c) => c.p2).sort()).toEqual([...slotRefs].sort());
    // The PIN is proven in this session too: its one VERIFY, the Digital Signature key right after it.
    const pinVerifies = verify.flatMap((c, i) => (c.ins === Ins.VERIFY && c.data.length > 0 ? [i] : []));
    expect(pinVerifies).toHaveLength(1);
    expect(verify[pinVerifies[0]! + 1]).toMatchObject({ ins: Ins.GENERAL_AUTHENTICATE, p2: SLOT_KEY_REF['9C'] });
  });

  test('a card that drops the PIN status (6982 where the run knew the PIN verified) gets the VERIFY then, and the command once more', async () => {
    // 9A's CSR signature in production and 9D's key agreement in verify are the first uses of those keys.
    t = await openTrainingStation({
      faults: {
        forcedStatus: [
          { ins: Ins.GENERAL_AUTHENTICATE, p2: SLOT_KEY_REF['9A'], sw: Sw.SECURITY_STATUS_NOT_SATISFIED, times: 1 },
          { ins: Ins.GENERAL_AUTHENTICATE, p2: SLOT_KEY_REF['9D'], sw: Sw.SECURITY_STATUS_NOT_SATISFIED, times: 1 },
        ],
      },
    });
    const sent: CommandApdu[] = [];
    const original = t.card.processApdu.bind(t.card);
    t.card.processApdu = (capdu: Uint8Array) => {
      sent.push(parseCommandApdu(capdu));
      return original(capdu);
    };
    const out = await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName, pin: '246810' });
    expect(out.job.status, out.job.error?.message).toBe('done');
    const around = (ref: number) => {
      const at = sent.findIndex((c) => c.ins === Ins.GENERAL_AUTHENTICATE && c.p2 === ref);
      return sent.slice(at, at + 3).map((c) => [c.ins, c.p2]);
    };
    expect(around(SLOT_KEY_REF['9A'])).toEqual([
      [Ins.GENERAL_AUTHENTICATE, SLOT_KEY_REF['9A']],
      [Ins.VERIFY, 0x80],
      [Ins.GENERAL_AUTHENTICATE, SLOT_KEY_REF['9A']],
    ]);
    expect(around(SLOT_KEY_REF['9D'])).toEqual([
      [Ins.GENERAL_AUTHENTICATE, SLOT_KEY_REF['9D']],
      [Ins.VERIFY, 0x80],
      [Ins.GENERAL_AUTHENTICATE, SLOT_KEY_REF['9D']],
    ]);
    const report = out.steps.find((s) => s.name === 'verify')!.data!.report as { checks: { name: string; ok: boolean; detail: string }[] };
    expect(report.checks.find((c) => c.name === '9D key matches its certificate')).toMatchObject({ ok: true });
  });

  test('9C gets a VERIFY right before each use (PIN Always), and no other key does in a production on a card that keeps the PIN status', async () => {
    const { status, sent } = await produceAndRecord('yubikey-like');
    expect(status).toBe('done');
    const pinVerifies = sent.flatMap((c, i) => (c.ins === Ins.VERIFY && c.data.length > 0 ? [i] : []));
    const nineC = sent.flatMap((c, i) => (c.ins === Ins.GENERAL_AUTHENTICATE && c.p2 === SLOT_KEY_REF['9C'] ? [i] : []));
    for (const i of nineC) expect(pinVerifies, 'a VERIFY right before the 9C signature').toContain(i - 1);
    // The transport PIN (preflight), before 9C, and the cardholder's PIN once set: no more.
    expect(pinVerifies).toHaveLength(3);
  });
});

describe('extensions a production does not probe (issue 14)', () => {
  test('yubikey-like: no GET VERSION, ATTEST, MOVE KEY or SET PIN RETRIES probe; the card record says "unknown" for them', async () => {
    const { status, sent, cardId } = await produceAndRecord('yubikey-like');
    expect(status).toBe('done');
    const unprobed: readonly number[] = [Ins.GET_VERSION, Ins.ATTEST, Ins.MOVE_KEY, Ins.SET_PIN_RETRIES];
    expect(sent.filter((c) => unprobed.includes(c.ins))).toEqual([]);
    const card = t!.station.store.cards.get(cardId)!;
    expect(card.capabilities?.extensions).toMatchObject({ getVersion: 'unknown', attest: 'unknown', moveKey: 'unknown', setPinRetries: 'unknown', setManagementKey: 'yes', getSerial: 'yes', getMetadata: 'yes' });
  });

  test('strict-800-73 (its counts differ from the station\'s): SET PIN RETRIES is tried by its step, which says the card has none', async () => {
    const { status, sent, cardId, jobId } = await produceAndRecord('strict-800-73');
    expect(status).toBe('done');
    expect(sent.filter((c) => c.ins === Ins.SET_PIN_RETRIES)).toHaveLength(1);
    const card = t!.station.store.cards.get(cardId)!;
    expect(card.capabilities?.retries).toMatchObject({ keptByCard: true, pin: 6 }); // its PUK count it does not say
    expect(t!.station.store.jobs.steps(jobId).find((s) => s.name === 'pin-retries')?.data).toMatchObject({ keptByCard: true, note: 'the card has no SET PIN RETRIES' });
  });
});
