/**
 * Hostile DER (issue 13 "Bad input"): certificates, CMS signatures and CSRs
 * as a hostile card (or a broken one) could send them, random and mutated
 * from a real production's. Every parser answers a StationError or a result,
 * never a foreign exception (whose text could quote the input to the officer).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectTag } from '../../../../electron/core/piv/constants.js';
import { chuidSignedBytes, decodeChuid, type Chuid } from '../../../../electron/core/piv/objects/chuid.js';
import { decodeCertContainer } from '../../../../electron/core/piv/objects/cert-container.js';
import { decodeLdsSecurityObject, decodeSecurityObject } from '../../../../electron/core/piv/objects/security-object.js';
import { readCertificate } from '../../../../electron/core/pki/certificate.js';
import { chuidSignerCertificate, verifyChuidSignature, verifyEncapsulatedSignature } from '../../../../electron/core/pki/content-signer.js';
import { buildCsr, verifyCsr } from '../../../../electron/core/pki/csr.js';
import { Oid } from '../../../../electron/core/pki/oids.js';
import { publicKeyFromSpki } from '../../../../electron/core/issuance/spki.js';
import { certificateCardIdentifiers, verifyCard } from '../../../../electron/core/issuance/verify-card.js';
import { PivSession } from '../../../../electron/core/piv/session.js';
import { onTrainingCard, openTrainingStation, type TrainingStation } from '../../../support/training-station.js';
import { assertTypedOnHostileInput, hostileBytes, typedOutcome } from '../../../support/hostile-bytes.js';
import { softKey } from './helpers.js';

let t: TrainingStation;
let chuid: Chuid;
let certificate: Uint8Array;
let securityObjectSignature: Uint8Array;
let csr: Uint8Array;
let trust: { root: Uint8Array; issuing: Uint8Array };

beforeAll(async () => {
  t = await openTrainingStation();
  await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName, pin: '246810' }, () => {});
  await onTrainingCard(t, async (s) => {
    chuid = decodeChuid((await s.getData(ObjectTag.CHUID))!);
    certificate = decodeCertContainer((await s.getData(ObjectTag.CERT_PIV_AUTH))!);
    securityObjectSignature = decodeSecurityObject((await s.getData(ObjectTag.SECURITY_OBJECT))!).signature;
  });
  trust = await t.station.ca.trustAnchors();
  const key = softKey('P256');
  csr = await buildCsr({ subject: 'CN=Hostile Input,O=Example,C=US', publicKey: key.publicKey, sign: key.sign('sha256') });
}, 120_000);
afterAll(() => t?.close());

describe('certificates read from a card', () => {
  it('readCertificate, the card identifiers in its subjectAltName and its public key: typed on any bytes', async () => {
    await assertTypedOnHostileInput([certificate], (b) => readCertificate(b, '9A certificate'));
    await assertTypedOnHostileInput([certificate], (b) => certificateCardIdentifiers(b));
  });

  it('a key that is no SubjectPublicKeyInfo is VERIFY_FAILED, not a crypto exception', async () => {
    const spki = new Uint8Array(readCertificate(certificate, 'certificate').publicKey.rawData);
    await assertTypedOnHostileInput([spki], publicKeyFromSpki);
  });
});

describe('CMS signatures read from a card', () => {
  it('the CHUID signature: a mutated or random signature fails VERIFY_FAILED, never a foreign exception', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBytes([chuid.signature]), async (sig) => {
        const r = await typedOutcome(() => verifyChuidSignature(chuidSignedBytes(chuid), sig, trust));
        if (!r.ok) expect(r.error.code).toBe('VERIFY_FAILED');
        await typedOutcome(() => chuidSignerCertificate(sig));
      }),
      { numRuns: 200 },
    );
  });

  it('the Security Object signature and its LDS content: typed on any bytes', async () => {
    const signer = chuidSignerCertificate(chuid.signature);
    await assertTypedOnHostileInput([securityObjectSignature], (b) => verifyEncapsulatedSignature(b, Oid.ICAO_LDS_SECURITY_OBJECT, signer, 'Security Object'), 200);
    const lds = verifyEncapsulatedSignature(securityObjectSignature, Oid.ICAO_LDS_SECURITY_OBJECT, signer, 'Security Object');
    await assertTypedOnHostileInput([lds], decodeLdsSecurityObject);
  });
});

describe('CSRs', () => {
  it('a mutated or random CSR is refused with CA_ERROR', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBytes([csr]), async (b) => {
        const r = await typedOutcome(() => verifyCsr(b));
        if (!r.ok) expect(r.error.code).toBe('CA_ERROR');
      }),
      { numRuns: 300 },
    );
  });
});

describe('station verify on a card holding garbage certificates', () => {
  it('reports failed certificate checks in its own words, never the parser text', async () => {
    // The produced card's 9A container holds a certificate that is no certificate (SEQUENCE of junk).
    const junk = Uint8Array.of(0x70, 0x06, 0x30, 0x04, 0x02, 0x02, 0xff, 0xff, 0x71, 0x01, 0x00, 0xfe, 0x00);
    const transport = await t.reader.connect(t.readerName);
    const session = new PivSession(transport);
    try {
      await session.select();
      const original = session.getData.bind(session);
      session.getData = async (tag: number) => (tag === ObjectTag.CERT_PIV_AUTH ? junk : original(tag));
      const report = await verifyCard({ session, trust });
      const line = report.checks.find((c) => c.name === '9A certificate')!;
      expect(line.ok).toBe(false);
      expect(line.detail).toBe('The 9A certificate is not a readable X.509 certificate.');
    } finally {
      await transport.close('reset');
    }
  });
});
