/**
 * YubiKey-style attestation (piv-reference §2 F9): a P-256 attestation key made
 * with the card, a self-signed attestation certificate (object 5FFF01), and
 * per-slot certificates binding a generated key to this card.
 * Extension OIDs: Yubico 1.3.6.1.4.1.41482.3.3 firmware (3 raw bytes), .3.7
 * serial (DER INTEGER), .3.8 policy (raw pin, touch bytes).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, webcrypto, type KeyObject } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
import { x509 } from '../../electron/core/pki/x509-setup.js';
import { FIRMWARE_VERSION } from './card-constants.js';
import { isEc } from './slot-crypto.js';
import type { SlotAlgorithm } from './state.js';

/** Yubico attestation extension OIDs. */
export const AttestationOid = {
  FIRMWARE: '1.3.6.1.4.1.41482.3.3',
  SERIAL: '1.3.6.1.4.1.41482.3.7',
  POLICY: '1.3.6.1.4.1.41482.3.8',
} as const;

const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const ATTESTATION_CURVE = { name: 'ECDSA', namedCurve: 'P-256' } as const;
/** Attestation certificates are valid from creation for this many years. */
const VALIDITY_YEARS = 20;

/** A new attestation key (PKCS#8 base64). */
export function newAttestationKey(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return (privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer).toString('base64');
}

async function signingKey(pkcs8: string): Promise<CryptoKey> {
  return webcrypto.subtle.importKey('pkcs8', Buffer.from(pkcs8, 'base64'), ATTESTATION_CURVE, false, ['sign']) as Promise<CryptoKey>;
}

async function publicCryptoKey(alg: SlotAlgorithm, key: KeyObject): Promise<CryptoKey> {
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  const params = isEc(alg)
    ? { name: 'ECDSA', namedCurve: alg === 'P256' ? 'P-256' : 'P-384' }
    : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  return webcrypto.subtle.importKey('spki', spki, params, true, ['verify']) as Promise<CryptoKey>;
}

function validity(): { notBefore: Date; notAfter: Date } {
  const notBefore = new Date();
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALIDITY_YEARS);
  return { notBefore, notAfter };
}

function serialHex(): string {
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f; // positive INTEGER
  return b.toString('hex');
}

/** DER INTEGER of a non-negative 32-bit serial. */
function derIntegerOf(n: number): Uint8Array {
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  let bytes = Buffer.from(hex, 'hex');
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.of(0), bytes]);
  return new Uint8Array(Buffer.concat([Buffer.of(0x02, bytes.length), bytes]));
}

/** Issuer name of the card's attestation certificate. */
export function attestationSubject(serial: number): string {
  return `CN=Virtual PIV Attestation ${serial}`;
}

/** The self-signed attestation certificate (DER) of the attestation key. */
export async function selfSignedAttestationCertificate(pkcs8: string, serial: number): Promise<Uint8Array> {
  const priv = await signingKey(pkcs8);
  const pub = await publicCryptoKey('P256', createPrivateKey({ key: Buffer.from(pkcs8, 'base64'), format: 'der', type: 'pkcs8' }));
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialHex(),
    name: attestationSubject(serial),
    ...validity(),
    signingAlgorithm: SIGNING,
    keys: { privateKey: priv, publicKey: pub },
    extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
  });
  return new Uint8Array(cert.rawData);
}

/**
 * Certificate (DER) for the key in `slotRef`, signed by the attestation key.
 * @param policy [pin policy, touch policy] bytes
 */
export async function slotAttestationCertificate(p: {
  attestationPkcs8: string;
  serial: number;
  slotRef: number;
  algorithm: SlotAlgorithm;
  key: KeyObject;
  policy: [number, number];
}): Promise<Uint8Array> {
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex(),
    issuer: attestationSubject(p.serial),
    subject: `CN=Virtual PIV Attestation ${p.slotRef.toString(16).padStart(2, '0')}`,
    ...validity(),
    signingAlgorithm: SIGNING,
    signingKey: await signingKey(p.attestationPkcs8),
    publicKey: await publicCryptoKey(p.algorithm, p.key),
    extensions: [
      new x509.Extension(AttestationOid.FIRMWARE, false, FIRMWARE_VERSION.slice()),
      new x509.Extension(AttestationOid.SERIAL, false, derIntegerOf(p.serial)),
      new x509.Extension(AttestationOid.POLICY, false, Uint8Array.of(...p.policy)),
    ],
  });
  return new Uint8Array(cert.rawData);
}
