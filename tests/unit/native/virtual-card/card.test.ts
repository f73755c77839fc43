import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isStationError } from '../../../../electron/core/errors.js';
import { concatBytes, fromHex, toHex } from '../../../../electron/core/piv/tlv.js';
import { VirtualPivCard } from '../../../../native/virtual-card/card.js';
import { ecPublicPoint } from '../../../../native/virtual-card/slot-crypto.js';
import { DEFAULT_KEY, apdu, mutualAuth, pinField, send, transceive, verifyPin } from './helpers.js';

const APT = '61114F0600001000010079074F05A000000308';
const putObject = (tag: string, content: Uint8Array): Uint8Array =>
  concatBytes(fromHex(`5C03${tag}53`), content.length < 128 ? Uint8Array.of(content.length) : Uint8Array.of(0x82, content.length >> 8, content.length & 0xff), content);

describe('VirtualPivCard: transport behaviour', () => {
  it('has the neutral PIV ATR', () => {
    expect(toHex(VirtualPivCard.create().atr)).toBe('3B8880015049564150504C541F');
  });

  it('selects PIV by 5-byte, truncated and full AID and answers the YubiKey-layout APT', async () => {
    const card = VirtualPivCard.create();
    for (const aid of ['A000000308', 'A00000030800001000', 'A0000003080000100001 00'.replace(' ', '')]) {
      const r = await send(card, `00A40400${(aid.length / 2).toString(16).padStart(2, '0')}${aid}00`);
      expect(r.sw).toBe(0x9000);
      expect(toHex(r.data)).toBe(APT);
    }
  });

  it('answers 6A82 to an unknown AID and keeps PIV selected (Discovery still readable)', async () => {
    const card = VirtualPivCard.create();
    expect((await send(card, '00A4040006A0000005272001')).sw).toBe(0x6a82);
    const r = await send(card, '00CB3FFF035C017E00');
    expect(r.sw).toBe(0x9000);
    expect(toHex(r.data)).toBe('7E124F0BA0000003080000100001005F2F024000');
  });

  it('accepts case 1 and the 5-byte P3=00 form for commands without data', async () => {
    const card = VirtualPivCard.create();
    expect((await send(card, '00208080')).sw).toBe(0x6a86); // P1 80 is invalid
    expect((await send(card, '00200080')).sw).toBe(0x63c3);
    expect((await send(card, '0020008000')).sw).toBe(0x63c3);
    for (const v of ['00FD0000', '00FD000000']) {
      const r = await send(card, v);
      expect(r.sw).toBe(0x9000);
      expect(toHex(r.data)).toBe('050701');
    }
  });

  it('answers 6D00 to an unknown INS and 6E00 to a foreign CLA', async () => {
    const card = VirtualPivCard.create();
    expect((await send(card, '00EE000000')).sw).toBe(0x6d00);
    expect((await send(card, '80FD000000')).sw).toBe(0x6e00);
  });

  it('chains commands in 255-byte blocks and returns long objects through 61xx honouring small Le', async () => {
    const card = VirtualPivCard.create();
    expect(await mutualAuth(card)).toBe(0x9000);
    const content = new Uint8Array(700).map((_, i) => i & 0xff);
    const put = await transceive(card, 0xdb, 0x3f, 0xff, putObject('5FC105', content));
    expect(put.sw).toBe(0x9000);
    // Le 08 first (OpenSC's size probe), then GET RESPONSE with Le 0x20.
    const first = await send(card, concatBytes(fromHex('00CB3FFF055C035FC105'), Uint8Array.of(0x08)));
    expect(first.data.length).toBe(8);
    expect(first.sw).toBe(0x6100); // 696 bytes left: 61 00 = 256 or more
    const parts = [first.data];
    let r = first;
    while (r.sw >> 8 === 0x61) {
      r = await send(card, '00C0000020');
      expect(r.data.length).toBeLessThanOrEqual(0x20);
      parts.push(r.data);
    }
    expect(r.sw).toBe(0x9000);
    expect(concatBytes(...parts)).toEqual(concatBytes(fromHex('538202BC'), content));
  });

  it('accepts extended-length APDUs and returns the whole object in one response', async () => {
    const card = VirtualPivCard.create();
    expect(await mutualAuth(card)).toBe(0x9000);
    const content = new Uint8Array(600).fill(0x42);
    const body = putObject('5FC102', content);
    const put = await send(card, concatBytes(fromHex('00DB3FFF00'), Uint8Array.of(body.length >> 8, body.length & 0xff), body));
    expect(put.sw).toBe(0x9000);
    const get = await send(card, fromHex('00CB3FFF0000055C035FC1020000'));
    expect(get.sw).toBe(0x9000);
    expect(get.data.subarray(4)).toEqual(content);
  });

  it('answers 6985 to GET RESPONSE with nothing pending', async () => {
    expect((await send(VirtualPivCard.create(), '00C0000000')).sw).toBe(0x6985);
  });

  it('clears PIN and 9B status on reset, power off and power on', async () => {
    const card = VirtualPivCard.create();
    for (const cycle of [() => card.reset(), () => card.powerOff(), () => card.powerOn()]) {
      expect(await verifyPin(card)).toBe(0x9000);
      expect(await mutualAuth(card)).toBe(0x9000);
      cycle();
      expect((await send(card, '0020008000')).sw).toBe(0x63c3);
      expect((await send(card, apdu(0, 0xdb, 0x3f, 0xff, putObject('5FC107', fromHex('F500'))))).sw).toBe(0x6982);
    }
  });
});

describe('VirtualPivCard: persistence', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('keeps keys, objects, counters, the 9B key and the serial across loadOrCreate', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vcard-state-'));
    const path = join(dir, 'card.json');
    const card = VirtualPivCard.loadOrCreate(path, { serial: 4242, managementKeyAlgorithm: 'TDEA' });
    expect(await mutualAuth(card, 'TDEA')).toBe(0x9000);
    const gen = await send(card, '0047009A05AC03800111');
    expect(gen.sw).toBe(0x9000);
    expect((await send(card, apdu(0, 0xdb, 0x3f, 0xff, putObject('5FC102', fromHex('3019D4E739DA739CED39CE739D836858210842108421C84210C3EBFE00'))))).sw).toBe(0x9000);
    const newKey = fromHex('000102030405060708090A0B0C0D0E0F');
    expect((await send(card, concatBytes(fromHex('00FFFFFF13089B10'), newKey))).sw).toBe(0x9000);
    expect((await send(card, apdu(0, 0x24, 0, 0x80, concatBytes(pinField('123456'), pinField('87654321'))))).sw).toBe(0x9000);
    expect(await verifyPin(card, '000000')).toBe(0x63c2);

    const again = VirtualPivCard.loadOrCreate(path);
    expect(again.serial).toBe(4242);
    expect((await send(again, '0020008000')).sw).toBe(0x63c2);
    expect(await verifyPin(again, '87654321')).toBe(0x9000);
    expect(await mutualAuth(again, 'AES128', newKey)).toBe(0x9000);
    const meta = await send(again, '00F7009A00');
    expect(meta.sw).toBe(0x9000);
    expect(toHex(meta.data)).toContain(toHex(gen.data.subarray(3))); // 86 41 04… as in the generate response
    const chuid = await send(again, '00CB3FFF055C035FC10200');
    expect(toHex(chuid.data)).toBe('531D3019D4E739DA739CED39CE739D836858210842108421C84210C3EBFE00');
    expect(readdirSync(dir)).toEqual(['card.json']); // atomic write leaves no temp file
  });

  it('does not share state between two created cards', () => {
    expect(VirtualPivCard.create({ serial: 1 }).serial).not.toBe(VirtualPivCard.create({ serial: 2 }).serial);
  });
});

describe('VirtualPivCard: fault injection', () => {
  it('removeAfterApdus: the next APDU rejects with CARD_REMOVED and listeners fire', async () => {
    const card = VirtualPivCard.create({ faults: { removeAfterApdus: 2 } });
    let fired = 0;
    card.onRemoved(() => fired++);
    expect((await send(card, '00A4040005A000000308')).sw).toBe(0x9000);
    expect((await send(card, '00FD000000')).sw).toBe(0x9000);
    expect(card.removed).toBe(true);
    expect(fired).toBe(1);
    const err = await card.processApdu(fromHex('00FD000000')).catch((e: unknown) => e);
    expect(isStationError(err, 'CARD_REMOVED')).toBe(true);
    card.faults = {};
    card.reinsert();
    expect((await send(card, '00FD000000')).sw).toBe(0x9000);
  });

  it('forcedStatus answers the given SW for matching INS/P2, `times` times', async () => {
    const card = VirtualPivCard.create({ faults: { forcedStatus: [{ ins: 0xcb, sw: 0x6a84, times: 1 }, { ins: 0x20, p2: 0x81, sw: 0x6400 }] } });
    expect((await send(card, '00CB3FFF035C017E00')).sw).toBe(0x6a84);
    expect((await send(card, '00CB3FFF035C017E00')).sw).toBe(0x9000);
    expect((await send(card, '0020008100')).sw).toBe(0x6400);
    expect((await send(card, '0020008000')).sw).toBe(0x63c3); // P2 80 does not match
  });

  it('pullAfterInsertedApdus counts from insertion, not from power-on: a reset does not move the pull point', async () => {
    const card = VirtualPivCard.create({ faults: { pullAfterInsertedApdus: 3 } });
    card.reinsert();
    expect((await send(card, '00A4040005A000000308')).sw).toBe(0x9000);
    card.powerOn(); // the reader powered the card again: removeAfterApdus would start over here
    expect((await send(card, '00A4040005A000000308')).sw).toBe(0x9000);
    expect(card.removed).toBe(false);
    expect((await send(card, '00FD000000')).sw).toBe(0x9000); // the 3rd answer still goes out
    expect(card.removed).toBe(true);
    const err = await card.processApdu(fromHex('00FD000000')).catch((e: unknown) => e);
    expect(isStationError(err, 'CARD_REMOVED')).toBe(true);
    card.faults = {};
    card.reinsert();
    expect((await send(card, '00FD000000')).sw).toBe(0x9000);
  });

  it('statusAtApdu answers SW at exactly the Nth APDU since insertion, without executing it; onApdu records every header and SW', async () => {
    const trace: { index: number; ins: number; p2: number; sw: number }[] = [];
    const card = VirtualPivCard.create({ faults: { statusAtApdu: { index: 2, sw: 0x6f00 }, onApdu: (e) => trace.push(e) } });
    card.reinsert();
    expect((await send(card, '00A4040005A000000308')).sw).toBe(0x9000);
    expect((await send(card, '0020008008313233343536FFFF')).sw).toBe(0x6f00);
    // Not executed: the PIN was not verified, so the retry counter is still whole.
    expect((await send(card, '0020008000')).sw).toBe(0x63c3);
    expect(trace.map((e) => [e.index, e.ins, e.p2, e.sw])).toEqual([
      [1, 0xa4, 0x00, 0x9000],
      [2, 0x20, 0x80, 0x6f00],
      [3, 0x20, 0x80, 0x63c3],
    ]);
  });

  it('keygenDelayMs holds GENERATE back until the delay has passed', async () => {
    const card = VirtualPivCard.create({ faults: { keygenDelayMs: 300 } });
    expect(await mutualAuth(card)).toBe(0x9000);
    let done = false;
    const pending = send(card, '0047009E05AC03800111').then((r) => {
      done = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(done).toBe(false);
    expect((await pending).sw).toBe(0x9000);
    expect(done).toBe(true);
  });

  it('generateKey gives GENERATE its key pair: the card answers that key and asks for the algorithm of the command', async () => {
    const given = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const asked: string[] = [];
    const card = VirtualPivCard.create({
      faults: {
        generateKey: async (alg) => {
          asked.push(alg);
          return given;
        },
      },
    });
    expect(await mutualAuth(card)).toBe(0x9000);
    const r = await send(card, '0047009E05AC03800111');
    expect(r.sw).toBe(0x9000);
    expect(asked).toEqual(['P256']);
    // 7F49 43 { 86 41 04‖X‖Y }: the point of the key it was given
    expect(toHex(r.data)).toBe(`7F49438641${toHex(ecPublicPoint('P256', given))}`);
  });

  it('uses the default 9B key bytes as AES-192 unless TDEA is asked for', async () => {
    expect(await mutualAuth(VirtualPivCard.create(), 'AES192', DEFAULT_KEY)).toBe(0x9000);
    expect(await mutualAuth(VirtualPivCard.create({ managementKeyAlgorithm: 'TDEA' }), 'TDEA', DEFAULT_KEY)).toBe(0x9000);
    expect(await mutualAuth(VirtualPivCard.create(), 'TDEA', DEFAULT_KEY)).toBe(0x6a86);
  });
});
