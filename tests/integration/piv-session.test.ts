/**
 * PivSession through the real stack: pcscd → vpcd reader → VirtualPivCard
 * (native/vpcd link). Default reader "Virtual PCD 00 00" on 127.0.0.1:35963;
 * override with PCSC_TEST_READER / PCSC_TEST_VPCD_PORT. Checks that chaining,
 * 61xx response chaining and the crypto survive a real PC/SC transport.
 */
import { randomBytes, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWithCard } from '../../electron/core/piv/card-signer.js';
import { FactoryDefaults, KeyRef, ObjectTag } from '../../electron/core/piv/constants.js';
import { encodeCertContainer } from '../../electron/core/piv/objects/cert-container.js';
import { publicKeyObject, publicKeysEqual } from '../../electron/core/piv/public-key.js';
import { PivSession } from '../../electron/core/piv/session.js';
import type { CardTransport, ReaderStatus } from '../../electron/core/piv/transport.js';
import { VirtualPivCard } from '../../native/virtual-card/card.js';
import { attachToVpcd, type VpcdLink } from '../../native/vpcd/link.js';
import { PcscReaderProvider } from '../../native/pcsc/index.js';

const READER = process.env.PCSC_TEST_READER ?? 'Virtual PCD 00 00';
const VPCD_PORT = Number(process.env.PCSC_TEST_VPCD_PORT ?? 35963);

function waitForCard(provider: PcscReaderProvider, present: boolean, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`reader ${READER} did not report cardPresent=${present}`));
    }, timeoutMs);
    const off = provider.watch((readers: ReaderStatus[]) => {
      if (readers.find((r) => r.name === READER)?.cardPresent === present) {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  });
}

function withTimeout<T>(p: Promise<T>, why: string, ms = 20_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(why)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

describe('PivSession over pcscd + vpcd', () => {
  let provider: PcscReaderProvider;
  let link: VpcdLink | undefined;
  let transport: CardTransport | undefined;
  let s: PivSession;

  beforeAll(async () => {
    provider = await PcscReaderProvider.open();
    const card = VirtualPivCard.create({ serial: 27182818 });
    const arrived = waitForCard(provider, true);
    arrived.catch(() => undefined); // reported by the await below
    // vpcd serves one card per port; another test holding it would make us wait forever.
    link = await withTimeout(attachToVpcd(card, { port: VPCD_PORT }), `vpcd port ${VPCD_PORT} is busy or closed`);
    await arrived;
    transport = await provider.connect(READER);
    s = new PivSession(transport);
  });
  afterAll(async () => {
    await transport?.close('reset');
    await link?.detach();
    await provider?.close();
  });

  it('selects and identifies the card', async () => {
    await s.select();
    expect(await s.identify()).toMatchObject({ serial: 27182818, capabilities: { extensions: { getMetadata: 'yes', setManagementKey: 'yes' } } });
  });

  it('authenticates 9B, generates keys and signs; signatures verify with node:crypto', async () => {
    await s.authenticateManagementKey('AES192', FactoryDefaults.MANAGEMENT_KEY);
    const rsa = await s.generateKeyPair('9A', 'RSA2048'); // 270-byte response: 61xx through pcscd
    expect(publicKeysEqual((await s.getMetadata(KeyRef.PIV_AUTHENTICATION))!.publicKey!, rsa)).toBe(true);
    await s.verifyPin(FactoryDefaults.PIN);
    const data = new TextEncoder().encode('integration challenge');
    expect(verify('sha256', data, publicKeyObject(rsa), await signWithCard(s, '9A', rsa, data))).toBe(true);
    const ec = await s.generateKeyPair('9E', 'P256');
    expect(verify('sha256', data, publicKeyObject(ec), await signWithCard(s, '9E', ec, data))).toBe(true);
  });

  it('writes and reads back a 1.5 KB certificate container (command and response chaining)', async () => {
    const cert = new Uint8Array(randomBytes(1500));
    cert[0] = 0x30;
    const container = encodeCertContainer(cert);
    await s.putData(ObjectTag.CERT_PIV_AUTH, container);
    expect(await s.getData(ObjectTag.CERT_PIV_AUTH)).toEqual(container);
  });

  it('reports a wrong PIN with the retries left', async () => {
    await expect(s.verifyPin('999999')).rejects.toMatchObject({ code: 'WRONG_PIN', details: { retriesLeft: 2 } });
    await s.verifyPin(FactoryDefaults.PIN);
  });
});
