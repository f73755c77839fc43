import { createCipheriv, createDecipheriv, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FactoryDefaults, KeyRef, ObjectTag, type ManagementKeyAlgorithm } from '../../../../electron/core/piv/constants.js';
import { publicKeyToTemplate } from '../../../../electron/core/piv/public-key.js';
import { PivSession } from '../../../../electron/core/piv/session.js';
import { concatBytes, decodeTlvs, encodeTlv, findTlv, fromHex, toHex, unwrapTlv } from '../../../../electron/core/piv/tlv.js';
import { HandlerTransport, ScriptedTransport } from './scripted-transport.js';

const SELECT = '00A404000BA00000030800001000010000';
/** YubiKey APT (piv-reference §1.1). */
const APT_OK = '61114F0600001000010079074F05A0000003089000';
const hex = (n: number, byte = 0) => Buffer.alloc(n, byte).toString('hex').toUpperCase();
const bytesHex = (b: Uint8Array) => toHex(b);

function session(script: Array<[string, string]>): { s: PivSession; t: ScriptedTransport } {
  const t = new ScriptedTransport(script);
  return { s: new PivSession(t), t };
}

/** The recognition probes of the write extensions and RESET-free order of identify (capabilities.ts). */
const PROBE_FA = '00FA0000';
const PROBE_FF = '00FFFFFF';
const PROBE_F9 = '00F90000';
const PROBE_F6 = '00F60000';
/** GET DATA Discovery as an extended case 4 APDU: the extended-length probe. */
const PROBE_EXTENDED = '00CB3FFF0000035C017E0000';
const PIN_STATUS = '00200080';
const DISCOVERY_9000 = '7E124F0BA0000003080000100001005F2F0240009000';
/** The probes of a card whose only vendor instruction is SET MANAGEMENT KEY (6982 without 9B; 6D00 for the rest). */
const ONLY_SET_MANAGEMENT_KEY: Array<[string, string]> = [
  ['00FD000000', '6D00'],
  ['00F8000000', '6D00'],
  ['00F7009B00', '6D00'],
  ['00F7008000', '6D00'],
  [PROBE_FA, '6D00'],
  [PROBE_FF, '6982'],
  [PROBE_F9, '6D00'],
  [PROBE_F6, '6D00'],
];

describe('select and identify', () => {
  it('maps 6A82 on SELECT to NOT_PIV', async () => {
    const { s } = session([[SELECT, '6A82']]);
    await expect(s.select()).rejects.toMatchObject({ code: 'NOT_PIV' });
  });
  it('a card of the standard only: every vendor extension off but the management key change, algorithms from its SELECT answer, tries from VERIFY', async () => {
    // APT with the full AID and a cryptographic algorithms template listing 3TDEA, P-256 and RSA-2048 (73-2 Table 3).
    const apt = '61244F0BA00000030800001000010079074F05A000000308AC0C800103800111800107060100' + '9000';
    const { s, t } = session([
      [SELECT, apt],
      ...ONLY_SET_MANAGEMENT_KEY,
      [PROBE_EXTENDED, '6700'],
      [PIN_STATUS, '63C3'],
    ]);
    const id = await s.identify();
    expect(id).toEqual({
      capabilities: {
        extensions: { getVersion: 'no', getSerial: 'no', getMetadata: 'no', setPinRetries: 'no', setManagementKey: 'yes', attest: 'no', reset: 'unknown', moveKey: 'no' },
        extendedLength: false,
        advertisedAlgorithms: ['TDEA', 'P256', 'RSA2048'],
        applicationVersion: '1.0',
      },
      managementKey: {},
      advertisedAlgorithmIds: [0x03, 0x11, 0x07],
      pinTriesLeft: 3,
    });
    expect(t.finished).toBe(true);
  });
  it('a YubiKey-compatible card: version, serial, 9B metadata, every probe recognized; RESET is never sent', async () => {
    const { s, t } = session([
      [SELECT, APT_OK],
      ['00FD000000', '0507019000'],
      ['00F8000000', '00BC614E9000'],
      ['00F7009B00', '01010A020200010501019000'],
      ['00F7008000', '0101FF02020101050101060203039000'], // the PIN's tries (and total) from its metadata: no VERIFY without data
      [PROBE_FA, '6982'],
      [PROBE_FF, '6982'],
      [PROBE_F9, '6A86'],
      [PROBE_F6, '6982'],
      [PROBE_EXTENDED, DISCOVERY_9000],
    ]);
    const id = await s.identify();
    expect(id).toEqual({
      serial: 12345678,
      capabilities: {
        extensions: { getVersion: 'yes', getSerial: 'yes', getMetadata: 'yes', setPinRetries: 'yes', setManagementKey: 'yes', attest: 'yes', reset: 'unknown', moveKey: 'yes' },
        extendedLength: true,
        advertisedAlgorithms: [],
        applicationVersion: '1.0',
        version: '5.7.1',
        managementKeyAlgorithm: 'AES192',
      },
      managementKey: { algorithm: 'AES192', isDefault: true },
      advertisedAlgorithmIds: [],
      pinTriesLeft: 3,
      pinRetryTotal: 3,
    });
    expect(t.sent.some((c) => c.startsWith('00FB'))).toBe(false);
    expect(t.finished).toBe(true);
  });
  it('malformed answers to optional probes turn capabilities off and are never fatal; PIN metadata without the algorithm tag counts', async () => {
    const { s, t } = session([
      [SELECT, '9000'], // an empty APT: still a PIV card, version unknown
      ['00FD000000', '059000'], // a version of one byte
      ['00F8000000', '0102030405069000'], // a serial of six bytes
      ['00F7009B00', 'FF9000'], // not BER-TLV
      ['00F7008000', '050101060205059000'], // as observed on an independent applet: no tag 01
      [PROBE_FA, '9000'], // executing a probe is not how a card with the command answers it
      [PROBE_FF, '6D00'],
      [PROBE_F9, '6E00'],
      [PROBE_F6, '6A81'],
      [PROBE_EXTENDED, '6F00'],
    ]); // the PIN's metadata gave its tries: no VERIFY without data
    const id = await s.identify();
    expect(id.capabilities).toEqual({
      extensions: { getVersion: 'no', getSerial: 'no', getMetadata: 'yes', setPinRetries: 'no', setManagementKey: 'no', attest: 'no', reset: 'unknown', moveKey: 'no' },
      extendedLength: false,
      advertisedAlgorithms: [],
    });
    expect(id.managementKey).toEqual({});
    expect(id.pinTriesLeft).toBe(5);
    expect(id.serial).toBeUndefined();
    expect(t.finished).toBe(true);
  });
  it('an ATR declaring extended Lc/Le in its card capabilities is believed: no probe', async () => {
    // 3B 87 80 01 | 80 (compact-TLV) 31 FE (card service) 73 00 00 40 (card capabilities: extended Lc/Le) | TCK 7A
    const t = new ScriptedTransport(
      [
        [SELECT, APT_OK],
        ...ONLY_SET_MANAGEMENT_KEY,
        [PIN_STATUS, '63C3'],
      ],
      '3B8780018031FE730000407A',
    );
    expect((await new PivSession(t).identify()).capabilities.extendedLength).toBe(true);
    expect(t.finished).toBe(true);
  });
  it('propagates transport failures instead of treating them as missing capabilities', async () => {
    const t = new HandlerTransport((c) => {
      if (c[1] === 0xa4) return fromHex(APT_OK);
      throw Object.assign(new Error('gone'), { code: 'CARD_REMOVED' });
    });
    await expect(new PivSession(t).identify()).rejects.toThrow('gone');
  });
});

describe('GET DATA', () => {
  it('collects 61xx continuations with GET RESPONSE using the announced length', async () => {
    const content = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    const resp = encodeTlv(0x53, content); // 304 bytes
    const { s, t } = session([
      ['00CB3FFF055C035FC10200', bytesHex(resp.subarray(0, 256)) + '6130'],
      ['00C0000030', bytesHex(resp.subarray(256)) + '9000'],
    ]);
    expect(await s.getData(ObjectTag.CHUID)).toEqual(content);
    expect(t.finished).toBe(true);
    expect(s.stats).toEqual({ apdus: 2, bytesSent: 11 + 5, bytesReceived: 258 + 50 });
  });
  it('resends with the corrected Le on 6Cxx', async () => {
    const { s, t } = session([
      ['00CB3FFF055C035FC10700', '6C04'],
      ['00CB3FFF055C035FC10704', '5302AABB9000'],
    ]);
    expect(bytesHex((await s.getData(ObjectTag.CCC))!)).toBe('AABB');
    expect(t.finished).toBe(true);
  });
  it('returns null on 6A82 and the raw 7E TLV for Discovery', async () => {
    const disc = '7E124F0BA0000003080000100001005F2F024000';
    const { s } = session([
      ['00CB3FFF055C035FC10B00', '6A82'],
      ['00CB3FFF035C017E00', disc + '9000'],
    ]);
    expect(await s.getData(ObjectTag.CERT_KEY_MANAGEMENT)).toBeNull();
    expect(bytesHex((await s.getData(ObjectTag.DISCOVERY))!)).toBe(disc);
  });
  it('maps 6982 to SECURITY_STATUS with the object tag', async () => {
    const { s } = session([['00CB3FFF055C035FC10900', '6982']]);
    await expect(s.getData(ObjectTag.PRINTED_INFORMATION)).rejects.toMatchObject({
      code: 'SECURITY_STATUS',
      details: { object: '5FC109' },
    });
  });
});

describe('PUT DATA', () => {
  it('chains long data in 255-byte blocks, byte-exact', async () => {
    const content = Uint8Array.from({ length: 500 }, (_, i) => (i * 7) & 0xff);
    const data = concatBytes(fromHex('5C035FC10A'), encodeTlv(0x53, content)); // 5 + 4 + 500 = 509
    const { s, t } = session([
      ['10DB3FFFFF' + bytesHex(data.subarray(0, 255)), '9000'],
      ['00DB3FFFFE' + bytesHex(data.subarray(255)), '9000'],
    ]);
    await s.putData(ObjectTag.CERT_DIGITAL_SIGNATURE, content);
    expect(t.finished).toBe(true);
  });
  it('deletes with 53 00 and writes Discovery unwrapped', async () => {
    const disc = fromHex('7E124F0BA0000003080000100001005F2F024000');
    const { s, t } = session([
      ['00DB3FFF075C035FC10A5300', '9000'],
      ['00DB3FFF14' + bytesHex(disc), '9000'], // 73-2 §3.3.1: Discovery goes as its own 7E TLV, no tag list
    ]);
    await s.putData(ObjectTag.CERT_DIGITAL_SIGNATURE, null);
    await s.putData(ObjectTag.DISCOVERY, disc);
    expect(t.finished).toBe(true);
  });
  it('stops the chain when a block is refused', async () => {
    const { s, t } = session([['10DB3FFFFF' + '5C035FC10A538201F4' + hex(246), '6982']]);
    await expect(s.putData(ObjectTag.CERT_DIGITAL_SIGNATURE, new Uint8Array(500))).rejects.toMatchObject({
      code: 'SECURITY_STATUS',
    });
    expect(t.finished).toBe(true);
  });
});

describe('PIN and PUK', () => {
  it('refuses a PIN outside 6–8 digits before sending anything', async () => {
    const { s, t } = session([]);
    for (const bad of ['12345', '123456789', '12345a', '', '１２３４５６']) {
      await expect(s.verifyPin(bad)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    await expect(s.changePin('123456', '12')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(s.resetRetryCounter('12345678', 'abcdef')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(t.sent).toEqual([]);
  });
  it('never puts the PIN into the error', async () => {
    const { s } = session([]);
    const e = (await s.verifyPin('12345').catch((x: unknown) => x)) as Error;
    expect(JSON.stringify(e)).not.toContain('12345');
    expect(e.message).not.toContain('12345');
  });
  it('VERIFY pads with FF; 63Cx → WRONG_PIN with retries, 6983 → PIN_BLOCKED', async () => {
    const { s } = session([
      ['0020008008313233343536FFFF', '9000'],
      ['002000800831323334353637FF', '63C2'],
      ['00200080083132333435363738', '6983'],
    ]);
    await s.verifyPin('123456');
    await expect(s.verifyPin('1234567')).rejects.toMatchObject({ code: 'WRONG_PIN', details: { retriesLeft: 2 } });
    await expect(s.verifyPin('12345678')).rejects.toMatchObject({ code: 'PIN_BLOCKED' });
  });
  it('reads PIN status without spending a try', async () => {
    const { s, t } = session([
      ['00200080', '63C3'],
      ['00200080', '6983'],
      ['00200080', '9000'],
      ['00F7008000', '0101FF0202010005010106020303' + '9000'],
    ]);
    expect(await s.pinStatus()).toEqual({ verified: false, retriesLeft: 3, blocked: false });
    expect(await s.pinStatus()).toEqual({ verified: false, retriesLeft: 0, blocked: true });
    expect(await s.pinStatus()).toEqual({ verified: true, retriesLeft: 3, blocked: false });
    expect(t.finished).toBe(true);
  });
  it('logs out with VERIFY P1=FF and tolerates 6A86', async () => {
    const { s, t } = session([
      ['0020FF80', '9000'],
      ['0020FF80', '6A86'],
      ['0020FF80', '6F00'],
    ]);
    await s.logout();
    await s.logout();
    await expect(s.logout()).rejects.toMatchObject({ code: 'SW' });
    expect(t.finished).toBe(true);
  });
  it('changes PIN and PUK and resets the retry counter with padded reference data', async () => {
    const { s, t } = session([
      ['0024008010313233343536FFFF3837363534333231', '9000'],
      ['00240081103132333435363738' + '3837363534333231', '63C1'],
      ['002C0080103132333435363738' + '313131313131FFFF', '6983'],
    ]);
    await s.changePin('123456', '87654321');
    await expect(s.changePuk('12345678', '87654321')).rejects.toMatchObject({
      code: 'WRONG_PUK',
      details: { retriesLeft: 1 },
    });
    await expect(s.resetRetryCounter('12345678', '111111')).rejects.toMatchObject({ code: 'PUK_BLOCKED' });
    expect(t.finished).toBe(true);
  });
});

/** A minimal 9B responder for mutual authentication (73-2 A.2), cryptograms computed with node:crypto. */
function mutualAuthCard(alg: ManagementKeyAlgorithm, key: Uint8Array, opts: { badProof?: boolean } = {}) {
  const cipher = { TDEA: 'des-ede3-ecb', AES128: 'aes-128-ecb', AES192: 'aes-192-ecb', AES256: 'aes-256-ecb' }[alg];
  const p1 = { TDEA: 0x03, AES128: 0x08, AES192: 0x0a, AES256: 0x0c }[alg];
  const bl = alg === 'TDEA' ? 8 : 16;
  const enc = (b: Uint8Array) => {
    const c = createCipheriv(cipher, key, null).setAutoPadding(false);
    return Buffer.concat([c.update(b), c.final()]);
  };
  let witness: Buffer | undefined;
  let authenticated = false;
  const transport = new HandlerTransport((capdu) => {
    if (capdu[1] !== 0x87 || capdu[3] !== 0x9b) return fromHex('6D00');
    if (capdu[2] !== p1) return fromHex('6A86');
    const body = decodeTlvs(unwrapTlv(capdu.subarray(5, 5 + capdu[4]!), 0x7c));
    const w = findTlv(body, 0x80);
    const c = findTlv(body, 0x81);
    if (w && w.length === 0) {
      witness = randomBytes(bl);
      return concatBytes(encodeTlv(0x7c, encodeTlv(0x80, enc(witness))), fromHex('9000'));
    }
    if (w && c && witness && Buffer.compare(Buffer.from(w), witness) === 0) {
      authenticated = true;
      const proof = opts.badProof ? Buffer.alloc(bl) : enc(c);
      return concatBytes(encodeTlv(0x7c, encodeTlv(0x82, proof)), fromHex('9000'));
    }
    return fromHex('6982');
  });
  return { transport, isAuthenticated: () => authenticated };
}

describe('management key mutual authentication', () => {
  it.each<[ManagementKeyAlgorithm, number]>([
    ['TDEA', 24],
    ['AES128', 16],
    ['AES192', 24],
    ['AES256', 32],
  ])('authenticates with %s', async (alg, len) => {
    const key = alg === 'TDEA' ? FactoryDefaults.MANAGEMENT_KEY : new Uint8Array(randomBytes(len));
    const card = mutualAuthCard(alg, key);
    const s = new PivSession(card.transport);
    await s.authenticateManagementKey(alg, key);
    expect(card.isAuthenticated()).toBe(true);
    const p1 = { TDEA: 3, AES128: 8, AES192: 0x0a, AES256: 0x0c }[alg];
    const bl = alg === 'TDEA' ? 8 : 16;
    // Step 2 data: 7C L { 80 bl w, 81 bl c } → Lc = 2 + 2 × (2 + bl); both steps ask for a response (Le 00).
    expect(card.transport.sent.map((c) => toHex(c.subarray(0, 5)))).toEqual([
      toHex(Uint8Array.of(0, 0x87, p1, 0x9b, 4)),
      toHex(Uint8Array.of(0, 0x87, p1, 0x9b, 2 + 2 * (2 + bl))),
    ]);
    expect(card.transport.sent[1]!.at(-1)).toBe(0);
    expect(toHex(card.transport.sent[0]!)).toBe(toHex(card.transport.sent[0]!.subarray(0, 5)) + '7C02800000');
  });
  it('sends the witness decrypted with the key: A.2 step 2 carries D_K(E_K(w)) = w', async () => {
    const key = new Uint8Array(randomBytes(24));
    const fixedWitness = fromHex('0102030405060708');
    const c = createCipheriv('des-ede3-ecb', key, null).setAutoPadding(false);
    const encWitness = Buffer.concat([c.update(fixedWitness), c.final()]);
    let step2: Uint8Array | undefined;
    const t = new HandlerTransport((capdu) => {
      if (capdu[4] === 4) return concatBytes(fromHex('7C0A8008'), encWitness, fromHex('9000'));
      step2 = capdu;
      const challenge = findTlv(decodeTlvs(unwrapTlv(capdu.subarray(5, 5 + capdu[4]!), 0x7c)), 0x81)!;
      const e = createCipheriv('des-ede3-ecb', key, null).setAutoPadding(false);
      return concatBytes(fromHex('7C0A8208'), Buffer.concat([e.update(challenge), e.final()]), fromHex('9000'));
    });
    await new PivSession(t).authenticateManagementKey('TDEA', key);
    expect(toHex(step2!.subarray(0, 11))).toBe('0087039B167C1480080102');
    expect(toHex(step2!.subarray(5, 17))).toBe('7C1480080102030405060708');
    const d = createDecipheriv('des-ede3-ecb', key, null).setAutoPadding(false);
    expect(toHex(Buffer.concat([d.update(encWitness), d.final()]))).toBe('0102030405060708');
  });
  it('a wrong key → MGMT_KEY_REJECTED after exactly one attempt (2 APDUs), no key bytes in the error', async () => {
    const card = mutualAuthCard('AES192', FactoryDefaults.MANAGEMENT_KEY);
    const wrong = new Uint8Array(24).fill(0x42);
    const e = await new PivSession(card.transport).authenticateManagementKey('AES192', wrong).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'MGMT_KEY_REJECTED', details: { sw: '6982' } });
    expect(card.transport.sent.length).toBe(2);
    expect(JSON.stringify(e)).not.toMatch(/4242/);
  });
  it('a key of another algorithm (6A86 on step 1) → MGMT_KEY_REJECTED', async () => {
    const card = mutualAuthCard('AES192', FactoryDefaults.MANAGEMENT_KEY);
    await expect(
      new PivSession(card.transport).authenticateManagementKey('TDEA', FactoryDefaults.MANAGEMENT_KEY),
    ).rejects.toMatchObject({ code: 'MGMT_KEY_REJECTED', details: { algorithm: 'TDEA' } });
    expect(card.transport.sent.length).toBe(1);
  });
  it('a card that cannot prove the key → MGMT_KEY_REJECTED', async () => {
    const card = mutualAuthCard('TDEA', FactoryDefaults.MANAGEMENT_KEY, { badProof: true });
    await expect(
      new PivSession(card.transport).authenticateManagementKey('TDEA', FactoryDefaults.MANAGEMENT_KEY),
    ).rejects.toMatchObject({ code: 'MGMT_KEY_REJECTED' });
  });
  it('refuses a key of the wrong length before any APDU', async () => {
    const { s, t } = session([]);
    await expect(s.authenticateManagementKey('AES128', new Uint8Array(24))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(t.sent).toEqual([]);
  });
  it('SET MANAGEMENT KEY sends alg 9B len key', async () => {
    const key = fromHex('000102030405060708090A0B0C0D0E0F1011121314151617');
    const { s, t } = session([['00FFFFFF1B0A9B18' + toHex(key), '9000']]);
    await s.setManagementKey('AES192', key);
    expect(t.finished).toBe(true);
  });
});

describe('keys', () => {
  it('GENERATE P-256 on 9A (73-2 §3.3.2) returns the SPKI of the card key', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
    const template = publicKeyToTemplate({ algorithm: 'P256', spki });
    const { s, t } = session([['0047009A05AC0380011100', '7F4943' + toHex(template) + '9000']]);
    const key = await s.generateKeyPair('9A', 'P256');
    expect(key).toEqual({ algorithm: 'P256', spki });
    expect(t.finished).toBe(true);
  });
  it('GENERATE RSA-2048 collects the 270-byte response over 61 0E', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
    const resp = encodeTlv(0x7f49, publicKeyToTemplate({ algorithm: 'RSA2048', spki }));
    expect(resp.length).toBe(270);
    const { s, t } = session([
      ['0047009D05AC0380010700', toHex(resp.subarray(0, 256)) + '610E'],
      ['00C000000E', toHex(resp.subarray(256)) + '9000'],
    ]);
    expect((await s.generateKeyPair('9D', 'RSA2048')).spki).toEqual(spki);
    expect(t.finished).toBe(true);
  });
  it('RSA-2048 sign on 9A is byte-exact with 73-2 Appendix A.3 (chained command, 61 08)', async () => {
    const block = Uint8Array.from({ length: 256 }, (_, i) => (i * 31 + 1) & 0xff);
    const sig = Uint8Array.from({ length: 256 }, (_, i) => (255 - i) & 0xff);
    const cmd = concatBytes(fromHex('7C820106820081820100'), block);
    const resp = concatBytes(fromHex('7C82010482820100'), sig);
    const { s, t } = session([
      ['1087079AFF' + toHex(cmd.subarray(0, 255)), '9000'],
      ['0087079A0B' + toHex(cmd.subarray(255)) + '00', toHex(resp.subarray(0, 256)) + '6108'],
      ['00C0000008', toHex(resp.subarray(256)) + '9000'],
    ]);
    expect(await s.authenticateSign('9A', 'RSA2048', block)).toEqual(sig);
    expect(t.finished).toBe(true);
  });
  it('P-256 sign on 9C matches the 73-2 example layout; 6982 → SECURITY_STATUS', async () => {
    const hash = new Uint8Array(32).fill(0xab);
    const { s } = session([
      ['0087119C267C24820081' + '20' + toHex(hash) + '00', '7C0A82083006020101020101' + '9000'],
      ['0087119C267C24820081' + '20' + toHex(hash) + '00', '6982'],
    ]);
    expect(toHex(await s.authenticateSign('9C', 'P256', hash))).toBe('3006020101020101');
    await expect(s.authenticateSign('9C', 'P256', hash)).rejects.toMatchObject({ code: 'SECURITY_STATUS', details: { keyRef: '9C' } });
  });
  it('refuses an RSA block that is not 256 bytes', async () => {
    const { s, t } = session([]);
    await expect(s.authenticateSign('9A', 'RSA2048', new Uint8Array(32))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(t.sent).toEqual([]);
  });
  it('ECDH on 9D is byte-exact with 73-2 A.5.2', async () => {
    const point = concatBytes(Uint8Array.of(4), new Uint8Array(64).fill(0x11));
    const z = new Uint8Array(32).fill(0x5a);
    const { s, t } = session([['0087119D477C45820085' + '41' + toHex(point) + '00', '7C228220' + toHex(z) + '9000']]);
    expect(await s.ecdh('9D', 'P256', point)).toEqual(z);
    expect(t.finished).toBe(true);
    await expect(s.ecdh('9D', 'P384', point)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
  it('GET METADATA: null on 6A88, UNSUPPORTED on 6D00, parsed otherwise', async () => {
    const { s } = session([
      ['00F7009A00', '6A88'],
      ['00F7009A00', '6D00'],
      ['00F7008100', '0101FF020201000501010602030' + '39000'],
    ]);
    expect(await s.getMetadata(KeyRef.PIV_AUTHENTICATION)).toBeNull();
    await expect(s.getMetadata(KeyRef.PIV_AUTHENTICATION)).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    expect(await s.getMetadata(KeyRef.PUK)).toMatchObject({
      algorithm: 'PIN',
      isDefault: true,
      retries: { total: 3, remaining: 3 },
    });
  });
});

describe('YubiKey administration', () => {
  it('sets PIN retries with FA and validates counts', async () => {
    const { s, t } = session([['00FA0503', '9000']]);
    await s.setPinRetries(5, 3);
    await expect(s.setPinRetries(0, 3)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(t.finished).toBe(true);
  });
  it('reset blocks PIN and PUK with FF values, then sends FB', async () => {
    const ff8 = hex(8, 0xff);
    const { s, t } = session([
      ['00200080 08' + ff8, '63C2'],
      ['00200080 08' + ff8, '63C1'],
      ['00200080 08' + ff8, '63C0'],
      ['00240081 10' + ff8 + ff8, '6983'],
      ['00FB0000', '9000'],
    ]);
    await s.reset();
    expect(t.finished).toBe(true);
  });
  it('reset falls back to well-formed guesses on 6A80 and drops a guess that matched', async () => {
    const ff8 = hex(8, 0xff);
    const zeros = '3030303030303030';
    const nines = '3939393939393939';
    const { s, t } = session([
      ['0020008008' + ff8, '6A80'],
      ['0020008008' + zeros, '63C0'],
      ['0024008110' + ff8 + ff8, '6A80'],
      ['0024008110' + zeros + zeros, '9000'],
      ['0024008110' + nines + nines, '63C0'],
      ['00FB0000', '6985'],
    ]);
    await expect(s.reset()).rejects.toMatchObject({ code: 'CONDITIONS' });
    expect(t.finished).toBe(true);
  });
});
