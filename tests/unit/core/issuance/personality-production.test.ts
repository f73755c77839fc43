/**
 * Production on cards the station did not write (issue 9 §1, §2), in process
 * on the virtual card's personalities: each producible personality ends with
 * a verified, locked card whose capabilities are recorded; a personality that
 * lacks what no fallback replaces is refused before anything is written, with
 * a sentence naming what is missing; objects the card fixes, a refused lock,
 * a refused key generation and a key that cannot sign end as the issue says.
 * Card behaviours the personalities do not have come from a test wrapper that
 * alters one answer of a personality card.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { FactoryDefaults, Ins, KeyRef, ObjectTag, Sw, type ManagementKeyAlgorithm } from '../../../../electron/core/piv/constants.js';
import { encodeTlv, fromHex, toHex } from '../../../../electron/core/piv/tlv.js';
import { derivedKeyFor } from '../../../../electron/core/issuance/management-keys.js';
import type { VirtualPivCard } from '../../../../native/virtual-card/card.js';
import { personality, type CardPersonality, type PersonalityName } from '../../../../native/virtual-card/personality.js';
import { onTrainingCard, openTrainingStation, type TrainingStation } from '../../../support/training-station.js';

let t: TrainingStation | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const PIN = '246810';

/** Every C-APDU the card receives, as hex (recorded on the card side). */
function recordApdus(card: VirtualPivCard): string[] {
  const sent: string[] = [];
  const process = card.processApdu.bind(card);
  card.processApdu = (capdu) => {
    sent.push(toHex(capdu));
    return process(capdu);
  };
  return sent;
}

/**
 * A test wrapper over a personality card that alters answers: `answer`
 * returns the R-APDU hex to give instead, or undefined to let the card answer.
 */
function alterAnswers(card: VirtualPivCard, answer: (capdu: Uint8Array) => string | undefined): void {
  const process = card.processApdu.bind(card);
  card.processApdu = async (capdu) => {
    const altered = answer(capdu);
    return altered === undefined ? process(capdu) : fromHex(altered);
  };
}

/** GET DATA (CB) or PUT DATA (DB) of the Discovery object (7E), short form. */
const isDiscoveryGet = (c: Uint8Array) => c[1] === Ins.GET_DATA && toHex(c).includes('5C017E');
const isDiscoveryPut = (c: Uint8Array) => c[1] === Ins.PUT_DATA && c[5] === ObjectTag.DISCOVERY;
const discovery = (usage: number, primary: number) =>
  encodeTlv(ObjectTag.DISCOVERY, encodeTlv(0x4f, fromHex('A0000003080000100001 00'.replace(/ /g, ''))), encodeTlv(0x5f2f, Uint8Array.of(usage, primary)));

async function produce(ts: TrainingStation) {
  return ts.station.production.produce({ personId: ts.addPerson(), readerName: ts.readerName, pin: PIN });
}

type Report = { ok: boolean; checks: { name: string; ok: boolean; skipped?: boolean; detail: string }[]; capabilities?: unknown };

describe('a full production on every personality a default profile can use', () => {
  const expected: Record<string, { lock: ManagementKeyAlgorithm; retries: string }> = {
    'yubikey-like': { lock: 'AES192', retries: 'set by the station: PIN 3, PUK 3' },
    'fixed-objects': { lock: 'AES192', retries: 'set by the station: PIN 3, PUK 3' },
    'strict-800-73': { lock: 'AES192', retries: 'keeps its own retry counts: PIN 6, PUK unknown' },
    'tdes-only': { lock: 'TDEA', retries: 'set by the station: PIN 3, PUK 3' },
    'factory-dirty': { lock: 'AES192', retries: 'set by the station: PIN 3, PUK 3' },
  };
  for (const [name, want] of Object.entries(expected)) {
    test(`${name}: verified, locked with ${want.lock}, capabilities recorded`, async () => {
      t = await openTrainingStation({ personality: name as PersonalityName });
      const sent = recordApdus(t.card);
      const out = await produce(t);
      expect(out.job.status, out.job.error?.message).toBe('done');
      const report = out.steps.find((s) => s.name === 'verify')!.data!.report as Report;
      expect(report.ok).toBe(true);
      expect(report.checks.filter((c) => c.skipped)).toEqual([]);
      expect(report.capabilities).toEqual(out.card.capabilities && { ...out.card.capabilities, retries: undefined });
      expect(out.card).toMatchObject({ mgmtKeyState: 'locked', mgmtKeyAlg: want.lock });
      const caps = t.station.store.cards.get(out.card.id)!.capabilities!;
      // Recorded with the job too: the identify step's data holds what the card showed.
      expect(out.steps.find((s) => s.name === 'identify')!.data!.capabilities).toEqual({ ...caps, retries: undefined });
      expect(caps.retries && `${caps.retries.keptByCard ? 'keeps its own retry counts' : 'set by the station'}: PIN ${caps.retries.pin ?? 'unknown'}, PUK ${caps.retries.puk ?? 'unknown'}`).toBe(want.retries);
      // A card without extended length got nothing but short APDUs, apart from the one probe it refused.
      if (!caps.extendedLength) {
        const extended = sent.filter(isExtendedForm);
        expect(extended).toEqual(['00CB3FFF0000035C017E0000']);
      }
      // RESET is never sent during production.
      expect(sent.some((c) => c.slice(2, 4) === 'FB')).toBe(false);
      const ts = t;
      await onTrainingCard(ts, async (s) => {
        await s.authenticateManagementKey(want.lock, derivedKeyFor(ts.station.keyring, out.card, want.lock, out.card.mgmtKeyVersion!));
        await s.verifyPin(PIN);
      });
    });
  }

  test('factory-dirty: what the earlier holder left and the profile does not write is gone', async () => {
    t = await openTrainingStation({ personality: 'factory-dirty' });
    const before = await onTrainingCard(t, (s) => s.getData(ObjectTag.CERT_RETIRED_1));
    expect(before).not.toBeNull(); // the retired key certificate the earlier Key History announces
    const out = await produce(t);
    expect(out.job.status).toBe('done');
    // The card has DELETE KEY: the retired key goes with its certificate.
    expect(out.steps.find((s) => s.name === 'takeover')?.data?.deleted).toEqual(['retired certificate 1', 'key 82']);
    await onTrainingCard(t, async (s) => {
      expect(await s.getData(ObjectTag.CERT_RETIRED_1)).toBeNull();
      expect(await s.getMetadata(KeyRef.RETIRED_1)).toBeNull();
      expect(toHex((await s.getData(ObjectTag.KEY_HISTORY))!)).toBe('C10100C20100FE00');
    });
  });
});

/** True when a C-APDU hex has the extended form (a 00 byte where a short Lc or Le would be, followed by two length bytes). */
function isExtendedForm(hex: string): boolean {
  const body = fromHex(hex).subarray(4);
  if (body.length < 3 || body[0] !== 0) return false;
  if (body.length === 3) return true; // case 2E
  const lc = (body[1]! << 8) | body[2]!;
  return body.length === 3 + lc || body.length === 3 + lc + 2;
}

describe('what no fallback replaces is refused before anything is written', () => {
  test('a card that cannot change its management key', async () => {
    t = await openTrainingStation({ personality: 'fixed-management-key' });
    const before = t.card.snapshot();
    const out = await produce(t);
    expect(out.job).toMatchObject({ status: 'failed', failedStep: 'identify' });
    expect(out.job.error).toMatchObject({ code: 'CARD_INCAPABLE', retryable: false, details: { missing: 'setManagementKey' } });
    expect(out.job.error!.message).toMatch(/^This card has no command to change its management key \(SET MANAGEMENT KEY\), so the station cannot lock it to a key of its own\. Nothing was written to the card\.$/);
    expect(t.card.snapshot()).toEqual(before);
    expect(t.station.store.certificates.listByCard(out.card.id)).toEqual([]);
  });

  test('a card whose SELECT answer lists no key generation for the profile algorithm', async () => {
    t = await openTrainingStation({ personality: 'rsa-only' });
    const before = t.card.snapshot();
    const out = await produce(t);
    expect(out.job.error).toMatchObject({ code: 'CARD_INCAPABLE', retryable: false, details: { missing: 'keyGeneration:P256', slot: '9A' } });
    expect(out.job.error!.message).toContain('This card does not offer P-256 (it lists TDEA, AES128, AES192, AES256, RSA2048), so it cannot generate the PIV Authentication key (9A) the card profile asks for. Nothing was written to the card.');
    expect(t.card.snapshot()).toEqual(before);
  });

  test('a certificate too large for its container (SP 800-73-4 Part 1 Table 3) is refused before any key generation', async () => {
    t = await openTrainingStation();
    const ca = t.station.ca;
    const real = ca.certificateSize.bind(ca);
    ca.certificateSize = async (req) => (req.slot === '9C' ? 1900 : real(req));
    const before = t.card.snapshot();
    const out = await produce(t);
    expect(out.job.error).toMatchObject({ code: 'CARD_INCAPABLE', details: { missing: 'room:9C', slot: '9C', capacity: 1905 } });
    expect(out.job.error!.message).toMatch(/^The Digital Signature certificate \(9C\) would take up to 1917 bytes, more than the 1905 bytes a PIV card guarantees for it/);
    expect(t.card.snapshot()).toEqual(before);
  });
});

describe('a card whose PIN or PUK is not the factory one is refused before anything is written', () => {
  /** VERIFY C-APDUs that carry a PIN (not the no-data tries query). */
  const pinVerifies = (sent: string[]) => sent.filter((c) => c.startsWith('00200080') && c.length > 10);

  test('a card whose PIN was changed: one VERIFY with the factory PIN, refused with the tries left; nothing else changed', async () => {
    t = await openTrainingStation({ personality: 'fixed-objects' });
    await onTrainingCard(t, (s) => s.changePin(FactoryDefaults.PIN, '975310'));
    const before = t.card.snapshot();
    const sent = recordApdus(t.card);
    const out = await produce(t);
    expect(out.job).toMatchObject({ status: 'failed', failedStep: 'identify' });
    expect(out.job.error).toMatchObject({ code: 'CARD_INCAPABLE', retryable: false, details: { missing: 'transportPin', retriesLeft: 4 } });
    expect(out.job.error!.message).toBe(
      "This card's PIN is not the factory PIN the station starts from (the card refused it; 4 tries left), so the station cannot set the cardholder's PIN: reset the card to its factory state, or use another card. Nothing was written to the card.",
    );
    expect(pinVerifies(sent)).toHaveLength(1);
    expect(t.card.snapshot()).toEqual({ ...before, pin: { ...before.pin, remaining: 4 } });
    expect(t.station.store.certificates.listByCard(out.card.id)).toEqual([]);
  });

  test('a card whose PUK was changed (its tries left in GET METADATA 81): CHANGE REFERENCE DATA factory → factory refused, nothing written', async () => {
    t = await openTrainingStation({ personality: 'fixed-objects' });
    await onTrainingCard(t, (s) => s.changePuk(FactoryDefaults.PUK, '86420975'));
    const before = t.card.snapshot();
    const sent = recordApdus(t.card);
    const out = await produce(t);
    expect(out.job.error).toMatchObject({ code: 'CARD_INCAPABLE', details: { missing: 'transportPuk', retriesLeft: 2 } });
    expect(out.job.error!.message).toMatch(/^This card's PUK is not the factory PUK the station starts from \(the card refused it; 2 tries left\)/);
    expect(pinVerifies(sent)).toEqual([]);
    expect(t.card.snapshot()).toEqual({ ...before, puk: { ...before.puk, remaining: 2 } });
  });

  test('a metadata "default" flag cleared although PIN and PUK are the factory ones (observed after RESET RETRY COUNTER) is no refusal', async () => {
    t = await openTrainingStation({ personality: 'fixed-objects' });
    const observed: Record<string, string> = { '00F7008000': '050100060205059000', '00F7008100': '050100060203039000' };
    alterAnswers(t.card, (c) => observed[toHex(c)]);
    const out = await produce(t);
    expect(out.job.status, out.job.error?.message).toBe('done');
  });

  test('a 9B metadata "default" flag cleared although the factory key is back (observed after a recycle) still lets the transport key be tried', async () => {
    t = await openTrainingStation({ personality: 'fixed-objects' });
    alterAnswers(t.card, (c) => (toHex(c) === '00F7009B00' ? '01010305010002020101030100' + '9000' : undefined));
    const out = await produce(t);
    expect(out.job.status, out.job.error?.message).toBe('done');
    expect(out.steps.find((s) => s.name === 'authenticate')?.data).toMatchObject({ with: 'transport', algorithm: 'TDEA' });
  });

  test('a card without metadata: one VERIFY with the factory PIN proves it; a wrong one is refused with the tries left, nothing written', async () => {
    t = await openTrainingStation({ personality: 'strict-800-73' });
    await onTrainingCard(t, (s) => s.changePin(FactoryDefaults.PIN, '975310'));
    const before = t.card.snapshot();
    const sent = recordApdus(t.card);
    const out = await produce(t);
    expect(out.job.error).toMatchObject({ code: 'CARD_INCAPABLE', details: { missing: 'transportPin', retriesLeft: 5 } });
    expect(out.job.error!.message).toContain("This card's PIN is not the factory PIN the station starts from (the card refused it; 5 tries left)");
    expect(pinVerifies(sent)).toHaveLength(1);
    // The one VERIFY is the only change: objects, keys, PUK and management key are as they were.
    expect(t.card.snapshot()).toEqual({ ...before, pin: { ...before.pin, remaining: 5 } });
  });

  test('a card without metadata with one PIN try left is refused without trying', async () => {
    t = await openTrainingStation({ personality: 'strict-800-73' });
    await onTrainingCard(t, async (s) => {
      for (let i = 0; i < 5; i++) await s.verifyPin('000000').catch(() => undefined);
    });
    const before = t.card.snapshot();
    expect(before.pin.remaining).toBe(1);
    const sent = recordApdus(t.card);
    const out = await produce(t);
    expect(out.job.error).toMatchObject({ code: 'CARD_INCAPABLE', details: { missing: 'transportPin', retriesLeft: 1 } });
    expect(out.job.error!.message).toContain('one try is left, which the station does not spend');
    expect(pinVerifies(sent)).toEqual([]);
    expect(t.card.snapshot()).toEqual(before);
  });
});

describe('objects the card fixes', () => {
  test('an acceptable Discovery the card refuses to replace is kept as card-defined, covered by the Security Object and read back', async () => {
    t = await openTrainingStation({ personality: 'fixed-objects' });
    const cardDiscovery = discovery(0x40, 0x10); // PIV PIN, primary: acceptable, but not the station's bytes
    alterAnswers(t.card, (c) => (isDiscoveryGet(c) ? toHex(cardDiscovery) + '9000' : isDiscoveryPut(c) ? '6A80' : undefined));
    const out = await produce(t);
    expect(out.job.status, out.job.error?.message).toBe('done');
    const step = out.steps.find((s) => s.name === 'object.discovery')!;
    expect(step.data).toMatchObject({ outcome: 'card-defined', content: toHex(cardDiscovery) });
    const report = out.steps.find((s) => s.name === 'verify')!.data!.report as Report;
    expect(report.checks.find((c) => c.name === 'Discovery object read back')?.detail).toBe("the card's own (card-defined), as recorded");
    expect(report.checks.find((c) => c.name === 'Security Object')?.ok).toBe(true);
  });

  test('a Discovery whose PIN usage policy contradicts the profile is a named failure', async () => {
    t = await openTrainingStation({ personality: 'fixed-objects' });
    alterAnswers(t.card, (c) => (isDiscoveryGet(c) ? toHex(discovery(0x60, 0x20)) + '9000' : isDiscoveryPut(c) ? '6A80' : undefined));
    const out = await produce(t);
    expect(out.job).toMatchObject({ status: 'failed', failedStep: 'object.discovery' });
    expect(out.job.error).toMatchObject({ code: 'CARD_INCAPABLE', retryable: false, details: { object: '7E', sw: '6A80' } });
    expect(out.job.error!.message).toContain(
      'The card keeps its own Discovery object and refused to replace it, but that one cannot stay: its PIN usage policy makes the global PIN primary, while this station sets and verifies the PIV Card Application PIN',
    );
  });

  /** PUT DATA (DB) of the object `tagHex` (5C 03 tag), short form or the first block of a chain. */
  const isPutOf = (c: Uint8Array, tagHex: string) => c[1] === Ins.PUT_DATA && toHex(c.subarray(5, 10)) === `5C03${tagHex}`;
  const isGetOf = (c: Uint8Array, tagHex: string) => c[1] === Ins.GET_DATA && toHex(c).includes(`5C03${tagHex}`);

  // 6A80, 6A81 and 6982 are how cards refuse the write of an object they fix (issue 9 §1).
  test.each([
    ['Discovery', '6A81'],
    ['Discovery', '6982'],
    ['CCC', '6982'],
    ['CCC', '6A81'],
  ] as const)('a card that refuses the write of its acceptable %s with %s keeps it, card-defined, and the card verifies', async (object, sw) => {
    t = await openTrainingStation({ personality: 'fixed-objects' });
    let cardCcc: string | undefined;
    if (object === 'Discovery') {
      const cardDiscovery = toHex(discovery(0x40, 0x10));
      alterAnswers(t.card, (c) => (isDiscoveryGet(c) ? cardDiscovery + '9000' : isDiscoveryPut(c) ? sw : undefined));
    } else {
      cardCcc = toHex((await onTrainingCard(t, (s) => s.getData(ObjectTag.CCC)))!); // the factory CCC, another card identifier
      alterAnswers(t.card, (c) => (isPutOf(c, '5FC107') ? sw : undefined));
    }
    const out = await produce(t);
    expect(out.job.status, out.job.error?.message).toBe('done');
    const step = out.steps.find((s) => s.name === (object === 'Discovery' ? 'object.discovery' : 'object.ccc'))!;
    expect(step.data).toMatchObject({ outcome: 'card-defined', ...(cardCcc ? { content: cardCcc } : {}) });
    const report = out.steps.find((s) => s.name === 'verify')!.data!.report as Report;
    expect(report.ok).toBe(true);
  });

  test('a Key History the card refuses to replace (6A81) that announces a retired key is a named failure', async () => {
    t = await openTrainingStation({ personality: 'fixed-objects' });
    alterAnswers(t.card, (c) => (isGetOf(c, '5FC10C') ? '5308C10101C20100FE00' + '9000' : isPutOf(c, '5FC10C') ? '6A81' : undefined));
    const out = await produce(t);
    expect(out.job).toMatchObject({ status: 'failed', failedStep: 'object.key-history' });
    expect(out.job.error).toMatchObject({ code: 'CARD_INCAPABLE', retryable: false, details: { object: '5FC10C', sw: '6A81' } });
    expect(out.job.error!.message).toBe(
      'The card keeps its own Key History object and refused to replace it, but that one cannot stay: it announces 1 retired key(s) this station did not write.',
    );
  });

  test('equal bytes are not written again: one GET DATA, no PUT DATA', async () => {
    t = await openTrainingStation({ personality: 'fixed-objects' });
    const sent = recordApdus(t.card);
    const out = await produce(t);
    expect(out.steps.find((s) => s.name === 'object.key-history')?.data?.outcome).toBe('already-on-card');
    // Until the verify step reads every object back: the Security Object is the last write.
    const writing = sent.slice(0, sent.findIndex((c) => c.slice(2, 4) === 'DB' && c.includes('5C035FC106')));
    const keyHistory = writing.filter((c) => c.includes('5C035FC10C'));
    expect(keyHistory.filter((c) => c.slice(2, 4) === 'CB')).toHaveLength(1);
    expect(sent.filter((c) => c.includes('5C035FC10C') && c.slice(2, 4) === 'DB')).toEqual([]);
  });
});

describe('late failures leave the job retryable where the card allows', () => {
  test('a refused lock leaves the card on the key its record names; the retry locks it', async () => {
    t = await openTrainingStation();
    // The FF recognition probe at identify, then SET MANAGEMENT KEY itself: refused with 6A80 both.
    t.card.faults.forcedStatus = [{ ins: Ins.SET_MANAGEMENT_KEY, sw: Sw.INCORRECT_DATA, times: 2 }];
    const first = await produce(t);
    expect(first.job).toMatchObject({ status: 'failed', failedStep: 'lock' });
    expect(first.job.error).toMatchObject({ code: 'BAD_DATA', retryable: true });
    expect(first.job.error!.message).toMatch(/^The card refused to change its management key, so it is not locked; it still holds its transport key, as its record says\./);
    expect(t.station.store.cards.get(first.card.id)!.mgmtKeyState).toBe('transport');
    await onTrainingCard(t, (s) => s.authenticateManagementKey('AES192', FactoryDefaults.MANAGEMENT_KEY));
    const retried = await t.station.production.retry(first.job.id, t.readerName, PIN);
    expect(retried.job.status, retried.job.error?.message).toBe('done');
    expect(retried.card).toMatchObject({ mgmtKeyState: 'locked', mgmtKeyAlg: 'AES192' });
  });

  test('a card that refuses the preferred algorithm is locked with the algorithm its transport key has', async () => {
    t = await openTrainingStation({ personality: 'fixed-objects' }); // 3DES factory key, AES listed
    t.card.faults.forcedStatus = [{ ins: Ins.SET_MANAGEMENT_KEY, sw: Sw.INCORRECT_DATA, times: 2 }];
    const out = await produce(t);
    expect(out.job.status, out.job.error?.message).toBe('done');
    expect(out.card).toMatchObject({ mgmtKeyState: 'locked', mgmtKeyAlg: 'TDEA' });
    expect(out.steps.find((s) => s.name === 'lock')?.data).toMatchObject({ algorithm: 'TDEA', refused: 'AES192 (6A80)' });
  });
});

describe('the lock algorithm comes from the card', () => {
  test('a 3DES-only card with neither 9B metadata nor an algorithm list is locked with the algorithm its transport key authenticated with', async () => {
    // The standard's commands and SET MANAGEMENT KEY only; its SELECT answer lists nothing; its 9B is 3DES and can be nothing else.
    const quiet: CardPersonality = {
      ...personality('tdes-only'),
      name: 'custom',
      extensions: [Ins.SET_MANAGEMENT_KEY],
      application: { aid: 'pix', advertiseAlgorithms: false },
    };
    t = await openTrainingStation({ personality: quiet });
    const out = await produce(t);
    expect(out.job.status, out.job.error?.message).toBe('done');
    expect(out.card.capabilities).toMatchObject({ advertisedAlgorithms: [], extensions: { getMetadata: 'no' } });
    expect(out.steps.find((s) => s.name === 'authenticate')?.data).toMatchObject({ with: 'transport', algorithm: 'TDEA' });
    expect(out.card).toMatchObject({ mgmtKeyState: 'locked', mgmtKeyAlg: 'TDEA' });
    expect(out.steps.find((s) => s.name === 'lock')?.data).not.toHaveProperty('refused');
  });
});

describe('key generation and key use the card refuses are named in words', () => {
  test('GENERATE refused for the algorithm', async () => {
    t = await openTrainingStation({ personality: 'strict-800-73' });
    t.card.faults.forcedStatus = [{ ins: Ins.GENERATE_ASYMMETRIC_KEY_PAIR, sw: Sw.INCORRECT_DATA }];
    const out = await produce(t);
    expect(out.job.error).toMatchObject({ code: 'CARD_INCAPABLE', retryable: false, details: { slot: '9A', sw: '6A80' } });
    expect(out.job.error!.message).toMatch(/^This card cannot generate a P-256 key in 9A \(PIV Authentication\), which the card profile asks for/);
  });

  test('a generated key the card cannot sign with', async () => {
    t = await openTrainingStation({ personality: 'strict-800-73' });
    t.card.faults.forcedStatus = [{ ins: Ins.GENERAL_AUTHENTICATE, p2: 0x9a, sw: Sw.INCORRECT_P1P2 }];
    const out = await produce(t);
    expect(out.job).toMatchObject({ status: 'failed', failedStep: 'certify.9A' });
    expect(out.job.error).toMatchObject({ code: 'CARD_INCAPABLE', retryable: false });
    expect(out.job.error!.message).toMatch(/^This card generated a P-256 key in 9A but cannot sign with it/);
    expect(out.job.error!.message).not.toContain('6A86');
  });
});
