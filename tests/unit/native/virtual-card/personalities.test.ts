/**
 * Card personalities (issue 9 §3): each named personality behaves as its
 * sources say, replayed with raw APDUs; the fixed-objects personality answers
 * every exchange committed in tests/fixtures/card-observations/; custom
 * switches build other cards; the personality survives in the state file.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isStationError } from '../../../../electron/core/errors.js';
import { concatBytes, decodeTlvs, fromHex, toHex, unwrapTlv } from '../../../../electron/core/piv/tlv.js';
import { VirtualPivCard } from '../../../../native/virtual-card/card.js';
import { PERSONALITY_NAMES, personality, type PersonalityName } from '../../../../native/virtual-card/personality.js';
import { DEFAULT_KEY, apdu, mutualAuth, pinField, send, transceive, verifyPin } from './helpers.js';

const FIXTURE = join(__dirname, '..', '..', '..', 'fixtures', 'card-observations', 'fixed-objects.json');
const VENDOR_INS = [0xfd, 0xf8, 0xf7, 0xfa, 0xfb, 0xf9, 0xf6, 0xfe, 0xff];
const DISCOVERY = '7E124F0BA0000003080000100001005F2F024000';
const AES128_DEFAULT = DEFAULT_KEY.subarray(0, 16);

const tlvMap = (data: Uint8Array): Record<number, string> => Object.fromEntries(decodeTlvs(data).map((t) => [t.tag, toHex(t.value)]));
const getData = (card: VirtualPivCard, tag: string) => transceive(card, 0xcb, 0x3f, 0xff, fromHex(`5C${(tag.length / 2).toString(16).padStart(2, '0')}${tag}`));
const putObject = (tag: string, content: Uint8Array): Uint8Array =>
  concatBytes(fromHex(`5C03${tag}53`), content.length < 128 ? Uint8Array.of(content.length) : Uint8Array.of(0x82, content.length >> 8, content.length & 0xff), content);
const selectApt = async (card: VirtualPivCard): Promise<Record<number, string>> => {
  const r = await send(card, '00A4040009A00000030800001000');
  expect(r.sw).toBe(0x9000);
  return tlvMap(unwrapTlv(r.data, 0x61));
};
/** The algorithm identifiers an APT's AC template lists. */
const advertised = (apt: Record<number, string>): string[] =>
  decodeTlvs(fromHex(apt[0xac] ?? ''))
    .filter((t) => t.tag === 0x80)
    .map((t) => toHex(t.value));

describe('every personality', () => {
  it('shows the same ATR, and the same version wherever GET VERSION answers: the station must probe, not read labels', async () => {
    const versions = new Set<string>();
    for (const name of PERSONALITY_NAMES) {
      const card = VirtualPivCard.create({ personality: name });
      expect(toHex(card.atr), name).toBe('3B8880015049564150504C541F');
      const apt = await selectApt(card);
      expect(apt[0x50], `${name} has no label`).toBeUndefined();
      const v = await send(card, '00FD000000');
      if (v.sw === 0x9000) versions.add(toHex(v.data));
      else expect(v.sw, name).toBe(0x6d00);
    }
    expect([...versions]).toEqual(['050701']);
  });

  it('keeps a fixed Discovery object, and reports the retry counts of its personality', async () => {
    const retries: Record<PersonalityName, string> = {
      'yubikey-like': '63C3',
      'tdes-only': '63C3',
      'fixed-objects': '63C5',
      'strict-800-73': '63C6',
      'factory-dirty': '63C2', // one try spent by the earlier holder
      'fixed-management-key': '63C6',
      'rsa-only': '63C3',
    };
    for (const name of PERSONALITY_NAMES) {
      const card = VirtualPivCard.create({ personality: name });
      expect(toHex((await getData(card, '7E')).data), name).toBe(DISCOVERY);
      expect((await send(card, '0020008000')).sw.toString(16).toUpperCase(), name).toBe(retries[name]);
    }
  });
});

describe('yubikey-like (Yubico PIV documentation)', () => {
  it('answers SELECT with the YubiKey APT and GET METADATA in the documented shapes', async () => {
    const card = VirtualPivCard.create({ personality: 'yubikey-like' });
    const r = await send(card, '00A4040009A00000030800001000');
    expect(toHex(r.data)).toBe('61114F0600001000010079074F05A000000308');
    expect(toHex((await send(card, '00F7008000')).data)).toBe('0101FF05010106020303');
    expect(toHex((await send(card, '00F7008100')).data)).toBe('0101FF05010106020303');
    expect(toHex((await send(card, '00F7009B00')).data)).toBe('01010A02020001050101');
  });

  it('has the AES-192 default key from firmware 5.7, or the 3DES one on request', async () => {
    expect(await mutualAuth(VirtualPivCard.create({ personality: 'yubikey-like' }), 'AES192')).toBe(0x9000);
    const older = VirtualPivCard.create({ personality: 'yubikey-like', managementKeyAlgorithm: 'TDEA' });
    expect(await mutualAuth(older, 'TDEA')).toBe(0x9000);
    expect(tlvMap((await send(older, '00F7009B00')).data)[1]).toBe('03');
  });

  it('stores objects up to about 3 KB (6A84 beyond) and accepts extended-length APDUs', async () => {
    const card = VirtualPivCard.create({ personality: 'yubikey-like' });
    await mutualAuth(card);
    expect((await transceive(card, 0xdb, 0x3f, 0xff, putObject('5FC105', new Uint8Array(3063)))).sw).toBe(0x9000);
    expect((await transceive(card, 0xdb, 0x3f, 0xff, putObject('5FC105', new Uint8Array(3064)))).sw).toBe(0x6a84);
    const get = await send(card, '00CB3FFF0000055C035FC1050000');
    expect(get.sw).toBe(0x9000);
    expect(get.data.length).toBe(4 + 3063);
  });
});

describe('tdes-only', () => {
  it('has only a 3DES management key: AES is refused for authentication and by SET MANAGEMENT KEY', async () => {
    const card = VirtualPivCard.create({ personality: 'tdes-only' });
    expect(tlvMap((await send(card, '00F7009B00')).data)[1]).toBe('03');
    expect(await mutualAuth(card, 'AES192')).toBe(0x6a86);
    expect(await mutualAuth(card, 'TDEA')).toBe(0x9000);
    for (const [alg, len] of [['08', 16], ['0A', 24], ['0C', 32]] as const) {
      const set = concatBytes(fromHex(`00FFFFFF${(len + 3).toString(16).padStart(2, '0')}${alg}9B${len.toString(16).padStart(2, '0')}`), new Uint8Array(len).fill(0x42));
      expect((await send(card, set)).sw, alg).toBe(0x6a80);
    }
    const tdes = fromHex('0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123');
    expect((await send(card, concatBytes(fromHex('00FFFFFF1B039B18'), tdes))).sw).toBe(0x9000);
    card.reset();
    expect(await mutualAuth(card, 'TDEA', tdes)).toBe(0x9000);
  });

  it('advertises 3DES as its only management key algorithm in the SELECT answer', async () => {
    const apt = await selectApt(VirtualPivCard.create({ personality: 'tdes-only' }));
    const algs = advertised(apt);
    expect(algs).toContain('03');
    for (const aes of ['08', '0A', '0C']) expect(algs).not.toContain(aes);
    expect(algs).toEqual(expect.arrayContaining(['07', '11', '14']));
  });

  it('has no MOVE / DELETE KEY (firmware before 5.7)', async () => {
    const card = VirtualPivCard.create({ personality: 'tdes-only' });
    await mutualAuth(card, 'TDEA');
    expect((await send(card, '00F6FF9A00')).sw).toBe(0x6d00);
  });
});

interface Exchange {
  what: string;
  /** What the card must accept first: 'authenticate-9B', or a C-APDU (hex) answered 9000. */
  before?: string[];
  command: string;
  response?: string;
  responsePattern?: string;
  sw: string;
}
const observations = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { exchanges: Exchange[]; present: { objects: string[] } };

describe('fixed-objects (observed on an independent applet)', () => {
  it.each(observations.exchanges.map((e) => [e.what, e] as const))('%s', async (_what, e) => {
    const card = VirtualPivCard.create({ personality: 'fixed-objects' });
    const factory = card.snapshot();
    for (const step of e.before ?? []) {
      if (step === 'authenticate-9B') expect(await mutualAuth(card, 'TDEA')).toBe(0x9000);
      else expect((await transceive(card, ...splitCommand(step))).sw).toBe(0x9000);
    }
    const r = await transceive(card, ...splitCommand(e.command));
    expect(r.sw.toString(16).toUpperCase().padStart(4, '0')).toBe(e.sw);
    if (e.response !== undefined) expect(toHex(r.data)).toBe(e.response);
    if (e.responsePattern !== undefined) expect(toHex(r.data)).toMatch(new RegExp(e.responsePattern));
    if (e.sw !== '9000') expect(card.snapshot().objects).toEqual(factory.objects);
  });

  it('holds the observed factory objects', () => {
    const card = VirtualPivCard.create({ personality: 'fixed-objects' });
    expect(Object.keys(card.snapshot().objects).sort()).toEqual([...observations.present.objects].sort());
  });

  it('refuses to delete its Discovery object too, and answers the full AID and an algorithm list', async () => {
    const card = VirtualPivCard.create({ personality: 'fixed-objects' });
    await mutualAuth(card, 'TDEA');
    expect((await send(card, '00DB3FFF027E00')).sw).toBe(0x6a80);
    expect(toHex((await getData(card, '7E')).data)).toBe(DISCOVERY);
    const apt = await selectApt(card);
    expect(apt[0x4f]).toBe('A0000003080000100001' + '00');
    expect(advertised(apt)).toEqual(expect.arrayContaining(['03', '0A', '07', '11']));
  });

  it('locks with an AES key although its factory key is 3DES', async () => {
    const card = VirtualPivCard.create({ personality: 'fixed-objects' });
    await mutualAuth(card, 'TDEA');
    const aes = new Uint8Array(24).map((_, i) => 0x30 + i);
    expect((await send(card, concatBytes(fromHex('00FFFFFF1B0A9B18'), aes))).sw).toBe(0x9000);
    card.reset();
    expect(await mutualAuth(card, 'AES192', aes)).toBe(0x9000);
  });
});

/** A C-APDU hex as the (ins, p1, p2, data) transceive sends with short APDUs. */
function splitCommand(hex: string): [number, number, number, Uint8Array] {
  const b = fromHex(hex);
  const data = b.length > 5 ? b.subarray(5, 5 + b[4]!) : new Uint8Array(0);
  return [b[1]!, b[2]!, b[3]!, data];
}

describe('strict-800-73 (the standard only)', () => {
  it('answers 6D00 to every vendor extension except SET MANAGEMENT KEY', async () => {
    const card = VirtualPivCard.create({ personality: 'strict-800-73' });
    for (const ins of VENDOR_INS) {
      const sw = (await send(card, Uint8Array.of(0x00, ins, 0x00, 0x9b, 0x00))).sw;
      if (ins === 0xff) expect(sw, 'FF').not.toBe(0x6d00);
      else expect(sw, ins.toString(16)).toBe(0x6d00);
    }
  });

  it('refuses extended length (6700) and serves long objects with short APDUs: chaining in, 61xx out, at most 256 bytes each', async () => {
    const card = VirtualPivCard.create({ personality: 'strict-800-73' });
    expect((await send(card, '00CB3FFF0000055C035FC1020000')).sw).toBe(0x6700);
    expect((await send(card, '00CB3FFF000100')).sw).toBe(0x6700);
    expect(await mutualAuth(card, 'AES128', AES128_DEFAULT)).toBe(0x9000);
    const content = new Uint8Array(1500).map((_, i) => i & 0xff);
    expect((await transceive(card, 0xdb, 0x3f, 0xff, putObject('5FC105', content))).sw).toBe(0x9000);
    const first = await send(card, '00CB3FFF055C035FC10500');
    expect(first.data.length).toBe(256);
    expect(first.sw).toBe(0x6100);
    const back = await transceive(card, 0xcb, 0x3f, 0xff, fromHex('5C035FC105'));
    expect(back.data).toEqual(concatBytes(fromHex('538205DC'), content));
  });

  it('has a fixed Discovery (6A81), factory CHUID, CCC and Key History, an AES-128 factory key and an algorithm list', async () => {
    const card = VirtualPivCard.create({ personality: 'strict-800-73' });
    expect(await mutualAuth(card, 'AES128', AES128_DEFAULT)).toBe(0x9000);
    expect((await send(card, apdu(0, 0xdb, 0x3f, 0xff, fromHex(DISCOVERY)))).sw).toBe(0x6a81);
    const chuid = tlvMap(unwrapTlv((await getData(card, '5FC102')).data, 0x53));
    expect(chuid[0x30]).toBe('00'.repeat(25));
    expect(chuid[0x3e]).toBe('');
    expect(tlvMap(unwrapTlv((await getData(card, '5FC107')).data, 0x53))[0xf5]).toBe('10');
    expect(toHex(unwrapTlv((await getData(card, '5FC10C')).data, 0x53))).toBe('C10100C20100FE00');
    expect(advertised(await selectApt(card))).toEqual(['08', '0A', '0C', '07', '11', '14']);
  });

  it('changes its management key with SET MANAGEMENT KEY, its one extension', async () => {
    const card = VirtualPivCard.create({ personality: 'strict-800-73' });
    await mutualAuth(card, 'AES128', AES128_DEFAULT);
    const key = new Uint8Array(32).map((_, i) => 0x60 + i);
    expect((await send(card, concatBytes(fromHex('00FFFFFF230C9B20'), key))).sw).toBe(0x9000);
    expect((await send(card, concatBytes(fromHex('00FFFFFF1B039B18'), DEFAULT_KEY))).sw).toBe(0x6a80); // no 3DES
    card.reset();
    expect(await mutualAuth(card, 'AES256', key)).toBe(0x9000);
  });

  it('counts other retry defaults than a YubiKey: PIN 6, PUK 10', async () => {
    const card = VirtualPivCard.create({ personality: 'strict-800-73' });
    expect(await verifyPin(card, '000000')).toBe(0x63c5);
    expect((await send(card, apdu(0, 0x2c, 0, 0x80, concatBytes(pinField('00000000'), pinField('111111'))))).sw).toBe(0x63c9);
  });
});

describe('factory-dirty (a returned card)', () => {
  it('arrives with keys and the certificates of an earlier holder, a 9C certificate without its key, and stale objects', async () => {
    const card = VirtualPivCard.create({ personality: 'factory-dirty' });
    for (const [slot, tag] of [['9A', '5FC105'], ['9D', '5FC10B'], ['82', '5FC10D']] as const) {
      const meta = tlvMap((await send(card, `00F700${slot}00`)).data);
      const container = decodeTlvs(unwrapTlv((await getData(card, tag)).data, 0x53));
      expect(container.map((t) => t.tag), tag).toEqual([0x70, 0x71, 0xfe]);
      const cert = new X509Certificate(Buffer.from(container[0]!.value));
      const point = fromHex(meta[4]!).subarray(2);
      expect(toHex(cert.publicKey.export({ format: 'der', type: 'spki' }).subarray(-65)), slot).toBe(toHex(point));
    }
    expect((await send(card, '00F7009C00')).sw).toBe(0x6a88);
    expect((await getData(card, '5FC10A')).sw).toBe(0x9000);
    const chuid = tlvMap(unwrapTlv((await getData(card, '5FC102')).data, 0x53));
    expect(chuid[0x30]).toBe('D0439458210C2C19A0846D83685A1082108CE73984108CA3FC');
    expect(toHex(unwrapTlv((await getData(card, '5FC10C')).data, 0x53))).toBe('C10101C20100FE00');
    for (const tag of ['5FC107', '5FC106']) expect((await getData(card, tag)).sw, tag).toBe(0x9000);
    // PIN, PUK and 9B are still the transport values.
    expect(await verifyPin(card)).toBe(0x9000);
    expect(await mutualAuth(card)).toBe(0x9000);
  });

  it('is clean after FB RESET: the leftovers do not come back', async () => {
    const card = VirtualPivCard.create({ personality: 'factory-dirty' });
    for (let i = 0; i < 2; i++) await verifyPin(card, '000000');
    for (let i = 0; i < 3; i++) await send(card, apdu(0, 0x2c, 0, 0x80, concatBytes(pinField('00000000'), pinField('111111'))));
    expect((await send(card, '00FB000000')).sw).toBe(0x9000);
    expect(Object.keys(card.snapshot().objects)).toEqual(['7E']);
    expect(card.snapshot().keys).toEqual({});
  });
});

describe('cards a default production cannot use', () => {
  it('fixed-management-key: no way to change 9B, even authenticated', async () => {
    const card = VirtualPivCard.create({ personality: 'fixed-management-key' });
    expect(await mutualAuth(card, 'AES128', AES128_DEFAULT)).toBe(0x9000);
    expect((await send(card, concatBytes(fromHex('00FFFFFF130A9B10'), AES128_DEFAULT))).sw).toBe(0x6d00);
  });

  it('rsa-only: generates RSA-2048 only and says so in its SELECT answer', async () => {
    const card = VirtualPivCard.create({ personality: 'rsa-only' });
    await mutualAuth(card);
    expect((await send(card, '0047009A05AC03800111')).sw).toBe(0x6a80);
    expect((await send(card, '0047009A05AC03800114')).sw).toBe(0x6a80);
    expect((await transceive(card, 0x47, 0, 0x9a, fromHex('AC03800107'))).sw).toBe(0x9000);
    expect(advertised(await selectApt(card)).filter((a) => !['03', '08', '0A', '0C'].includes(a))).toEqual(['07']);
  });
});

describe('custom personalities and persistence', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('builds a card from switches: a YubiKey-like card with short APDUs only, PIN 5 / PUK 5 and small objects', async () => {
    const card = VirtualPivCard.create({
      personality: { ...personality('yubikey-like'), name: 'custom', extendedLength: false, retries: { pin: 5, puk: 5 }, maxObjectSize: 1000 },
    });
    expect((await send(card, '00CB3FFF0000035C017E0000')).sw).toBe(0x6700);
    expect(tlvMap((await send(card, '00F7008000')).data)[6]).toBe('0505');
    await mutualAuth(card);
    expect((await transceive(card, 0xdb, 0x3f, 0xff, putObject('5FC105', new Uint8Array(1001)))).sw).toBe(0x6a84);
  });

  it('refuses a factory 9B algorithm the personality does not allow, and an unknown name', () => {
    const bad = (f: () => unknown): unknown => {
      try {
        f();
      } catch (e) {
        return e;
      }
      return undefined;
    };
    expect(isStationError(bad(() => VirtualPivCard.create({ personality: 'tdes-only', managementKeyAlgorithm: 'AES192' })), 'INVALID_INPUT')).toBe(true);
    const unknown = bad(() => VirtualPivCard.create({ personality: 'no-such-card' as PersonalityName }));
    expect(isStationError(unknown, 'INVALID_INPUT')).toBe(true);
    expect((unknown as Error).message).toContain('strict-800-73');
  });

  it('keeps its personality in the state file; another name for an existing file is refused; an old file is the default', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vcard-personality-'));
    const path = join(dir, 'card.json');
    VirtualPivCard.loadOrCreate(path, { personality: 'strict-800-73' });
    const again = VirtualPivCard.loadOrCreate(path);
    expect(again.personality.name).toBe('strict-800-73');
    expect((await send(again, '00FD000000')).sw).toBe(0x6d00);
    expect(VirtualPivCard.loadOrCreate(path, { personality: 'strict-800-73' }).personality.name).toBe('strict-800-73');
    let refused: unknown;
    try {
      VirtualPivCard.loadOrCreate(path, { personality: 'yubikey-like' });
    } catch (e) {
      refused = e;
    }
    expect(isStationError(refused, 'INVALID_INPUT')).toBe(true);

    const old = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    delete old.personality;
    writeFileSync(path, JSON.stringify(old));
    const legacy = VirtualPivCard.loadOrCreate(path);
    expect(legacy.personality.name).toBe('yubikey-like');
    expect((await send(legacy, '00FD000000')).sw).toBe(0x9000);
  });
});
