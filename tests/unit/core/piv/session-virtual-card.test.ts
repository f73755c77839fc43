/**
 * PivSession and signWithCard against the software card (native/virtual-card)
 * in process: the card is the judge of the bytes, node:crypto the judge of the
 * signatures and shared secrets.
 */
import { createECDH, createPublicKey, randomBytes, verify } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { VirtualPivCard } from '../../../../native/virtual-card/card.js';
import { signWithCard } from '../../../../electron/core/piv/card-signer.js';
import { FactoryDefaults, Ins, KeyRef, ObjectTag, Sw } from '../../../../electron/core/piv/constants.js';
import { parseCommandApdu, type CommandApdu } from '../../../../native/virtual-card/apdu.js';
import { encodeCertContainer } from '../../../../electron/core/piv/objects/cert-container.js';
import { chuidSignedBytes, decodeChuid, encodeChuid } from '../../../../electron/core/piv/objects/chuid.js';
import { encodeDiscovery } from '../../../../electron/core/piv/objects/discovery.js';
import { encodeFascn } from '../../../../electron/core/piv/objects/fascn.js';
import { publicKeyObject, publicKeyToTemplate, publicKeysEqual } from '../../../../electron/core/piv/public-key.js';
import { PivSession } from '../../../../electron/core/piv/session.js';
import type { CardTransport } from '../../../../electron/core/piv/transport.js';

/** The smallest CardTransport over an in-process card. */
function inProcess(card: VirtualPivCard): CardTransport {
  return {
    readerName: 'In-process virtual card',
    atr: card.atr,
    transmit: (capdu) => card.processApdu(capdu),
    close: async (disposition) => {
      if (disposition === 'reset') card.reset();
    },
  };
}

const MGMT = FactoryDefaults.MANAGEMENT_KEY;
let card: VirtualPivCard;
let s: PivSession;

beforeEach(async () => {
  card = VirtualPivCard.create({ serial: 31415926 });
  card.powerOn();
  s = new PivSession(inProcess(card));
  await s.select();
});

describe('identify', () => {
  it('records the capabilities the card shows: its extensions, extended length, an AES-192 default 9B, the PIN tries left', async () => {
    const id = await s.identify();
    expect(id).toMatchObject({
      serial: 31415926,
      managementKey: { algorithm: 'AES192', isDefault: true },
      pinTriesLeft: 3,
      capabilities: {
        extensions: { getVersion: 'yes', getSerial: 'yes', getMetadata: 'yes', setPinRetries: 'yes', setManagementKey: 'yes', attest: 'yes', reset: 'unknown', moveKey: 'yes' },
        // The ATR says nothing about extended length; the probe finds the card takes it.
        extendedLength: true,
        advertisedAlgorithms: [],
        applicationVersion: '1.0',
        managementKeyAlgorithm: 'AES192',
      },
    });
    expect(id.capabilities.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(await s.getSerial()).toBe(31415926);
  });
  it('probes no write extension once a PIN or the management key is verified in the session', async () => {
    await s.verifyPin(FactoryDefaults.PIN);
    const id = await s.identify();
    expect(id.capabilities.extensions).toMatchObject({ setPinRetries: 'unknown', setManagementKey: 'unknown', moveKey: 'unknown', getMetadata: 'yes' });
  });
});

describe('management key', () => {
  it('authenticates with the factory key, rejects a wrong one in one attempt', async () => {
    await s.authenticateManagementKey('AES192', MGMT);
    const before = s.stats.apdus;
    await expect(s.authenticateManagementKey('AES192', new Uint8Array(24).fill(9))).rejects.toMatchObject({
      code: 'MGMT_KEY_REJECTED',
    });
    expect(s.stats.apdus - before).toBe(2);
  });
  it('rejects the right bytes under the wrong algorithm', async () => {
    await expect(s.authenticateManagementKey('TDEA', MGMT)).rejects.toMatchObject({ code: 'MGMT_KEY_REJECTED' });
  });
  it('sets a new AES-256 key; the old one stops working', async () => {
    const next = new Uint8Array(randomBytes(32));
    await s.authenticateManagementKey('AES192', MGMT);
    await s.setManagementKey('AES256', next);
    await s.authenticateManagementKey('AES256', next);
    expect((await s.getMetadata(KeyRef.MANAGEMENT))?.isDefault).toBe(false);
    await expect(s.authenticateManagementKey('AES192', MGMT)).rejects.toMatchObject({ code: 'MGMT_KEY_REJECTED' });
  });
  it('works with a 3DES card', async () => {
    const des = VirtualPivCard.create({ managementKeyAlgorithm: 'TDEA' });
    des.powerOn();
    const ds = new PivSession(inProcess(des));
    await ds.select();
    await ds.authenticateManagementKey('TDEA', MGMT);
  });
});

describe('data objects', () => {
  it('PUT DATA needs 9B; objects round-trip; long ones chain both ways; null deletes', async () => {
    const chuid = encodeChuid({
      fascn: encodeFascn({
        agencyCode: '9999', systemCode: '9999', credentialNumber: '999999', credentialSeries: '0',
        individualCredentialIssue: '1', personIdentifier: '0000000000', organizationalCategory: '3',
        organizationalIdentifier: '0000', personAssociation: '1',
      }),
      guid: new Uint8Array(randomBytes(16)),
      expiration: '20300101',
      signature: new Uint8Array(randomBytes(1500)),
    });
    await expect(s.putData(ObjectTag.CHUID, chuid)).rejects.toMatchObject({ code: 'SECURITY_STATUS' });
    await s.authenticateManagementKey('AES192', MGMT);
    await s.putData(ObjectTag.CHUID, chuid);
    const back = await s.getData(ObjectTag.CHUID);
    expect(back).toEqual(chuid);
    const decoded = decodeChuid(back!);
    expect(chuidSignedBytes(decoded).length).toBeLessThan(chuid.length);
    await s.putData(ObjectTag.DISCOVERY, encodeDiscovery());
    expect(await s.getData(ObjectTag.DISCOVERY)).toEqual(encodeDiscovery());
    await s.putData(ObjectTag.CHUID, null);
    expect(await s.getData(ObjectTag.CHUID)).toBeNull();
    expect(await s.getData(ObjectTag.CERT_CARD_AUTH)).toBeNull();
  });
});

describe('long command data on a card that takes extended length (issue 14)', () => {
  /** The C-APDUs the card answers from now on, parsed. */
  function record(c: VirtualPivCard): CommandApdu[] {
    const sent: CommandApdu[] = [];
    const original = c.processApdu.bind(c);
    c.processApdu = (capdu: Uint8Array) => {
      sent.push(parseCommandApdu(capdu));
      return original(capdu);
    };
    return sent;
  }
  // Any bytes the card stores: a 900-byte "certificate" (only its first byte, a SEQUENCE, is looked at).
  const container = encodeCertContainer(Uint8Array.from([0x30, ...randomBytes(899)]));

  /** A new card, identified and its 9B authenticated; the C-APDUs it answers from then on. */
  async function identifiedCard(options: Parameters<typeof VirtualPivCard.create>[0]): Promise<CommandApdu[]> {
    card = VirtualPivCard.create(options);
    card.powerOn();
    s = new PivSession(inProcess(card));
    await s.identify();
    await s.authenticateManagementKey('AES192', MGMT);
    return record(card);
  }

  it('after identify found extended length: one extended PUT DATA, read back equal', async () => {
    const sent = await identifiedCard({});
    await s.putData(ObjectTag.CERT_PIV_AUTH, container);
    expect(sent.map((c) => [c.ins, c.extended, c.data.length])).toEqual([[Ins.PUT_DATA, true, container.length + 9]]);
    expect(await s.getData(ObjectTag.CERT_PIV_AUTH)).toEqual(container);
  });

  it('a card that refuses the length (6700) gets the same data chained, and so does every later command', async () => {
    const sent = await identifiedCard({ faults: { forcedStatus: [{ ins: Ins.PUT_DATA, sw: Sw.WRONG_LENGTH, times: 1 }] } });
    await s.putData(ObjectTag.CERT_PIV_AUTH, container);
    await s.putData(ObjectTag.CERT_CARD_AUTH, container);
    const blocks = Math.ceil((container.length + 9) / 255);
    expect(sent.map((c) => c.extended)).toEqual([true, ...Array<boolean>(2 * blocks).fill(false)]);
    expect(await s.getData(ObjectTag.CERT_PIV_AUTH)).toEqual(container);
    expect(await s.getData(ObjectTag.CERT_CARD_AUTH)).toEqual(container);
  });

  it('a card without extended length: chained as before', async () => {
    const sent = await identifiedCard({ personality: 'strict-800-73', managementKeyAlgorithm: 'AES192' });
    await s.putData(ObjectTag.CERT_PIV_AUTH, container);
    expect(sent.every((c) => !c.extended && c.ins === Ins.PUT_DATA)).toBe(true);
    expect(sent).toHaveLength(Math.ceil((container.length + 9) / 255));
  });
});

describe('PIN and PUK', () => {
  it('counts wrong PINs, blocks, unblocks with the PUK', async () => {
    expect(await s.pinStatus()).toEqual({ verified: false, retriesLeft: 3, blocked: false });
    await expect(s.verifyPin('000000')).rejects.toMatchObject({ code: 'WRONG_PIN', details: { retriesLeft: 2 } });
    await expect(s.verifyPin('000000')).rejects.toMatchObject({ code: 'WRONG_PIN', details: { retriesLeft: 1 } });
    await expect(s.verifyPin('000000')).rejects.toMatchObject({ code: 'WRONG_PIN', details: { retriesLeft: 0 } });
    await expect(s.verifyPin(FactoryDefaults.PIN)).rejects.toMatchObject({ code: 'PIN_BLOCKED' });
    expect(await s.pinStatus()).toMatchObject({ blocked: true });
    await expect(s.resetRetryCounter('00000000', '654321')).rejects.toMatchObject({ code: 'WRONG_PUK', details: { retriesLeft: 2 } });
    await s.resetRetryCounter(FactoryDefaults.PUK, '654321');
    await s.verifyPin('654321');
    expect(await s.pinStatus()).toEqual({ verified: true, retriesLeft: 3, blocked: false });
    await s.logout();
    expect((await s.pinStatus()).verified).toBe(false);
  });
  it('changes PIN and PUK', async () => {
    await s.changePin(FactoryDefaults.PIN, '24681357');
    await s.verifyPin('24681357');
    await s.changePuk(FactoryDefaults.PUK, '97531864');
    await expect(s.changePuk(FactoryDefaults.PUK, '11111111')).rejects.toMatchObject({ code: 'WRONG_PUK' });
  });
  it('sets retry counts (FA) after 9B and PIN', async () => {
    await expect(s.setPinRetries(5, 4)).rejects.toMatchObject({ code: 'SECURITY_STATUS' });
    await s.authenticateManagementKey('AES192', MGMT);
    await s.verifyPin(FactoryDefaults.PIN);
    await s.setPinRetries(5, 4);
    expect((await s.getMetadata(KeyRef.PIN))?.retries).toEqual({ total: 5, remaining: 5 });
    expect((await s.getMetadata(KeyRef.PUK))?.retries).toEqual({ total: 4, remaining: 4 });
  });
});

describe('keys and signatures', () => {
  beforeEach(async () => {
    await s.authenticateManagementKey('AES192', MGMT);
  });
  it('P-256 in 9A: generate, metadata matches, card signature verifies with node:crypto', async () => {
    const key = await s.generateKeyPair('9A', 'P256');
    const md = await s.getMetadata(KeyRef.PIV_AUTHENTICATION);
    expect(md?.origin).toBe('generated');
    expect(publicKeysEqual(md!.publicKey!, key)).toBe(true);
    await s.verifyPin(FactoryDefaults.PIN);
    const data = new TextEncoder().encode('challenge 9A');
    const sig = await signWithCard(s, '9A', key, data);
    expect(verify('sha256', data, publicKeyObject(key), sig)).toBe(true);
    expect(verify('sha256', new TextEncoder().encode('other'), publicKeyObject(key), sig)).toBe(false);
  });
  it('RSA-2048 in 9C needs the PIN before each signature; PKCS#1 v1.5 signature verifies', async () => {
    const key = await s.generateKeyPair('9C', 'RSA2048');
    const data = new Uint8Array(randomBytes(1000));
    await expect(signWithCard(s, '9C', key, data)).rejects.toMatchObject({ code: 'SECURITY_STATUS' });
    await s.verifyPin(FactoryDefaults.PIN);
    const sig = await signWithCard(s, '9C', key, data);
    expect(sig.length).toBe(256);
    expect(verify('sha256', data, publicKeyObject(key), sig)).toBe(true);
    await s.verifyPin(FactoryDefaults.PIN);
    const sig384 = await signWithCard(s, '9C', key, data, 'SHA384');
    expect(verify('sha384', data, publicKeyObject(key), sig384)).toBe(true);
  });
  it('P-384 in 9E signs without a PIN, with SHA-384', async () => {
    const key = await s.generateKeyPair('9E', 'P384');
    const data = new TextEncoder().encode('card auth');
    const sig = await signWithCard(s, '9E', key, data);
    expect(verify('sha384', data, publicKeyObject(key), sig)).toBe(true);
  });
  it('ECDH in 9D gives the same secret as node:crypto', async () => {
    const key = await s.generateKeyPair('9D', 'P256');
    const peer = createECDH('prime256v1');
    peer.generateKeys();
    await s.verifyPin(FactoryDefaults.PIN);
    const z = await s.ecdh('9D', 'P256', new Uint8Array(peer.getPublicKey()));
    const cardPoint = publicKeyToTemplate(key).subarray(2);
    expect(Buffer.from(z).equals(peer.computeSecret(Buffer.from(cardPoint)))).toBe(true);
  });
  it('an empty slot answers metadata null and signing NO_KEY', async () => {
    expect(await s.getMetadata(KeyRef.KEY_MANAGEMENT)).toBeNull();
    await s.verifyPin(FactoryDefaults.PIN);
    await expect(s.authenticateSign('9D', 'P256', new Uint8Array(32))).rejects.toMatchObject({ code: 'NO_KEY' });
  });
  it('stores a > 255-byte certificate container and reads it back', async () => {
    const key = await s.generateKeyPair('9A', 'RSA2048');
    const spki = createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' });
    expect(spki.asymmetricKeyType).toBe('rsa');
    const fakeCert = new Uint8Array(900);
    fakeCert[0] = 0x30;
    const container = encodeCertContainer(fakeCert);
    await s.putData(ObjectTag.CERT_PIV_AUTH, container);
    expect(await s.getData(ObjectTag.CERT_PIV_AUTH)).toEqual(container);
  });
});

describe('reset', () => {
  it('blocks PIN and PUK, resets: keys, objects and 9B back to factory', async () => {
    await s.authenticateManagementKey('AES192', MGMT);
    await s.generateKeyPair('9A', 'P256');
    await s.putData(ObjectTag.DISCOVERY, encodeDiscovery());
    await s.setManagementKey('AES192', new Uint8Array(24).fill(5));
    await s.reset();
    await s.select();
    expect(await s.getMetadata(KeyRef.PIV_AUTHENTICATION)).toBeNull();
    await s.authenticateManagementKey('AES192', MGMT);
    await s.verifyPin(FactoryDefaults.PIN);
  });
});
