/**
 * A hostile or broken card (issue 13 "Bad input"): BER-TLV, R-APDUs, the
 * PivSession's framing and every data-object decoder fed random bytes and
 * mutations of what a real production wrote. Each must answer with a
 * StationError (never a foreign exception, never a crash), finish within a
 * bounded number of APDUs (no hang: counted, not timed) and never expand a
 * response beyond the station's limits (bounded memory).
 *
 * Seeds: the objects of one card produced on the in-process training reader.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTlvs, encodeTlv, readTlv, unwrapTlv, fromHex, concatBytes } from '../../../../electron/core/piv/tlv.js';
import { parseResponseApdu } from '../../../../electron/core/piv/apdu.js';
import { statusToError, PivCommand } from '../../../../electron/core/piv/status-words.js';
import { PivSession } from '../../../../electron/core/piv/session.js';
import { KeyRef, ObjectTag, Tag } from '../../../../electron/core/piv/constants.js';
import { decodeChuid } from '../../../../electron/core/piv/objects/chuid.js';
import { decodeCcc } from '../../../../electron/core/piv/objects/ccc.js';
import { decodeDiscovery } from '../../../../electron/core/piv/objects/discovery.js';
import { decodePrintedInformation } from '../../../../electron/core/piv/objects/printed-information.js';
import { decodeKeyHistory } from '../../../../electron/core/piv/objects/key-history.js';
import { decodeSecurityObject } from '../../../../electron/core/piv/objects/security-object.js';
import { decodeFascn } from '../../../../electron/core/piv/objects/fascn.js';
import { CERT_INFO_GZIP, decodeCertContainer, MAX_CERTIFICATE_BYTES } from '../../../../electron/core/piv/objects/cert-container.js';
import { parseKeyMetadata } from '../../../../electron/core/piv/metadata.js';
import { publicKeyFromTemplate } from '../../../../electron/core/piv/public-key.js';
import { StationError } from '../../../../electron/core/errors.js';
import { onTrainingCard, openTrainingStation, type TrainingStation } from '../../../support/training-station.js';
import { assertTypedOnHostileInput, hostileBytes, typedOutcome } from '../../../support/hostile-bytes.js';
import { HandlerTransport } from './scripted-transport.js';

const PIN = '246810';
let t: TrainingStation;
/** Objects of a produced card, by ObjectTag name. */
const objects: Partial<Record<keyof typeof ObjectTag, Uint8Array>> = {};

beforeAll(async () => {
  t = await openTrainingStation();
  await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName, pin: PIN }, () => {});
  await onTrainingCard(t, async (s) => {
    await s.verifyPin(PIN);
    for (const [name, tag] of Object.entries(ObjectTag) as [keyof typeof ObjectTag, number][]) {
      const content = await s.getData(tag).catch(() => null);
      if (content) objects[name] = content;
    }
  });
}, 120_000);
afterAll(() => t?.close());

const seed = (name: keyof typeof ObjectTag): Uint8Array => {
  const bytes = objects[name];
  if (!bytes) throw new Error(`the produced card holds no ${name}`);
  return bytes;
};

describe('BER-TLV', () => {
  it('random and mutated objects decode or fail with MALFORMED_RESPONSE', async () => {
    const seeds = [seed('CHUID'), seed('CERT_PIV_AUTH'), seed('SECURITY_OBJECT')];
    await fc.assert(
      fc.asyncProperty(hostileBytes(seeds), async (bytes) => {
        for (const parse of [() => decodeTlvs(bytes), () => readTlv(bytes, 0), () => unwrapTlv(bytes, 0x53)]) {
          const r = await typedOutcome(parse);
          if (!r.ok) expect(r.error.code).toBe('MALFORMED_RESPONSE');
        }
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['indefinite length', '5380'],
    ['length field of 4 bytes', '538400000001FF'],
    ['length beyond the input (16 MiB announced)', '5383FFFFFF00'],
    ['tag of 4 bytes', '5FFFFFFF0100'],
    ['tag cut short', '5F'],
    ['length cut short', '5382FF'],
  ])('%s is MALFORMED_RESPONSE without allocating what it announces', (_what, hex) => {
    expect(() => decodeTlvs(fromHex(hex))).toThrow(expect.objectContaining({ code: 'MALFORMED_RESPONSE' }));
  });
});

describe('R-APDU', () => {
  it('any response is data plus a status word, or MALFORMED_RESPONSE when it has no status word', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (r) => {
        const outcome = await typedOutcome(() => parseResponseApdu(r));
        expect(outcome.ok).toBe(r.length >= 2);
      }),
      { numRuns: 500 },
    );
  });

  it('every one of the 65 536 status words maps to a StationError carrying it', () => {
    const wrong: string[] = [];
    for (let sw = 0; sw <= 0xffff; sw++) {
      if (sw === 0x9000) continue;
      const e = statusToError(sw, { command: PivCommand.GET_DATA, keyRef: KeyRef.PIV_AUTHENTICATION });
      if (!(e instanceof StationError) || e.details.sw !== sw.toString(16).toUpperCase().padStart(4, '0')) wrong.push(sw.toString(16));
    }
    expect(wrong).toEqual([]);
  });
});

/** What the fake card answers: a cycle of R-APDUs. */
function hostileCard(responses: Uint8Array[]): HandlerTransport {
  let i = 0;
  return new HandlerTransport(() => responses[i++ % responses.length]!);
}

/** The commands a production or a desk operation sends, each on a fresh session. */
const COMMANDS: Record<string, (s: PivSession) => Promise<unknown>> = {
  select: (s) => s.select(),
  identify: (s) => s.identify(),
  'get data CHUID': (s) => s.getData(ObjectTag.CHUID),
  'get data Discovery': (s) => s.getData(ObjectTag.DISCOVERY),
  'get metadata 9A': (s) => s.getMetadata(KeyRef.PIV_AUTHENTICATION),
  'verify PIN': (s) => s.verifyPin(PIN),
  'PIN status': (s) => s.pinStatus(),
  'generate P256': (s) => s.generateKeyPair('9A', 'P256'),
  'generate RSA2048': (s) => s.generateKeyPair('9A', 'RSA2048'),
  'sign P256': (s) => s.authenticateSign('9C', 'P256', new Uint8Array(32)),
  'get serial': (s) => s.getSerial(),
  'get version': (s) => s.getVersion(),
};

/** Most APDUs one command may exchange with any card: a 64 KiB response chain in 128-byte rounds, plus the command and a 6Cxx resend. */
const MAX_APDUS_PER_EXCHANGE = 512 + 3;
/** identify sends up to four commands. */
const MAX_APDUS_PER_COMMAND = 4 * MAX_APDUS_PER_EXCHANGE;

describe('PivSession against a hostile card', () => {
  const chained = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.constantFrom(fromHex('6100'), fromHex('61FF'), fromHex('6C00'), fromHex('6C10'), fromHex('9000'), fromHex('63C0'), fromHex('6A82')),
    fc.uint8Array({ minLength: 1, maxLength: 255 }).map((d) => concatBytes(d, fromHex('6100'))),
  );

  it.each(Object.keys(COMMANDS))('%s: a typed answer within a bounded number of APDUs', async (name) => {
    await fc.assert(
      fc.asyncProperty(fc.array(chained, { minLength: 1, maxLength: 12 }), async (responses) => {
        const card = hostileCard(responses);
        await typedOutcome(() => COMMANDS[name]!(new PivSession(card)));
        expect(card.sent.length).toBeLessThanOrEqual(MAX_APDUS_PER_COMMAND);
      }),
      { numRuns: 150 },
    );
  });

  it('a card announcing more data (61xx) but sending none is refused at once, not asked forever', async () => {
    const card = hostileCard([fromHex('6100')]);
    await expect(new PivSession(card).getData(ObjectTag.CHUID)).rejects.toMatchObject({ code: 'MALFORMED_RESPONSE' });
    expect(card.sent.length).toBe(2);
  });

  it('a card whose response chain never ends is refused after 64 KiB (bounded memory)', async () => {
    const chunk = concatBytes(new Uint8Array(255).fill(0x53), fromHex('61FF'));
    const card = hostileCard([chunk]);
    await expect(new PivSession(card).getData(ObjectTag.CHUID)).rejects.toMatchObject({ code: 'MALFORMED_RESPONSE' });
    expect(card.sent.length).toBeLessThanOrEqual(Math.ceil(0x10000 / 255) + 2);
  });

  it('a card dribbling one byte per GET RESPONSE is refused after a bounded number of rounds', async () => {
    const card = hostileCard([fromHex('AA6101')]);
    await expect(new PivSession(card).getData(ObjectTag.CHUID)).rejects.toMatchObject({ code: 'MALFORMED_RESPONSE' });
    expect(card.sent.length).toBeLessThanOrEqual(MAX_APDUS_PER_EXCHANGE);
  });
});

describe('PIV data objects from a hostile card', () => {
  const decoders: [keyof typeof ObjectTag, (b: Uint8Array) => unknown][] = [
    ['CHUID', decodeChuid],
    ['CCC', decodeCcc],
    ['DISCOVERY', decodeDiscovery],
    ['PRINTED_INFORMATION', decodePrintedInformation],
    ['KEY_HISTORY', decodeKeyHistory],
    ['SECURITY_OBJECT', decodeSecurityObject],
    ['CERT_PIV_AUTH', decodeCertContainer],
    ['CERT_CARD_AUTH', decodeCertContainer],
  ];

  it.each(decoders)('%s decodes or fails typed on random and mutated content', async (name, decode) => {
    await assertTypedOnHostileInput([seed(name)], decode);
  });

  it('FASC-N, key metadata and public-key templates decode or fail typed', async () => {
    await assertTypedOnHostileInput([decodeChuid(seed('CHUID')).fascn], decodeFascn);
    await assertTypedOnHostileInput([fromHex('0101110202010103010105034104') ], parseKeyMetadata);
    const p256 = concatBytes(fromHex('8641'), Uint8Array.of(4), new Uint8Array(64).fill(7));
    await assertTypedOnHostileInput([p256], (b) => publicKeyFromTemplate('P256', b));
    const rsa = concatBytes(fromHex('81820100'), new Uint8Array(256).fill(0xc1), fromHex('8203010001'));
    await assertTypedOnHostileInput([rsa], (b) => publicKeyFromTemplate('RSA2048', b));
  });

  it('a gzip "bomb" in a certificate container is refused without expanding it', () => {
    // 16 MiB that start like a DER certificate (SEQUENCE), compressed to a few KiB.
    const expanded = Buffer.alloc(16 * 1024 * 1024);
    expanded[0] = 0x30;
    const bomb = gzipSync(expanded);
    expect(bomb.length).toBeLessThan(MAX_CERTIFICATE_BYTES);
    const container = concatBytes(encodeTlv(Tag.CERTIFICATE, bomb), encodeTlv(Tag.CERT_INFO, Uint8Array.of(CERT_INFO_GZIP)), encodeTlv(Tag.ERROR_DETECTION_CODE));
    expect(() => decodeCertContainer(container)).toThrow(expect.objectContaining({ code: 'MALFORMED_RESPONSE' }));
  });
});
