import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AsnConvert } from '@peculiar/asn1-schema';
import { ContentInfo, SignedData } from '@peculiar/asn1-cms';
import { x509 } from '../../../../electron/core/pki/x509-setup.js';
import { LocalCa } from '../../../../electron/core/pki/local-ca.js';
import { createSecretBox } from '../../../../electron/core/pki/secret-box.js';
import { signChuidContent, verifyChuidSignature } from '../../../../electron/core/pki/content-signer.js';
import { encodeTlv, concatBytes } from '../../../../electron/core/piv/tlv.js';
import { isStationError } from '../../../../electron/core/errors.js';
import { openssl, pem, put, softKey, withTempDir } from './helpers.js';

/** CHUID TBS as in piv-reference §3: FASC-N, GUID, expiration, FE 00 (no EE, no 3E). */
const TBS = concatBytes(
  encodeTlv(0x30, new Uint8Array(Buffer.from('D4E739DA739CED39CE739D836858210842108421C84210C3EB', 'hex'))),
  encodeTlv(0x34, new Uint8Array(Buffer.from('3f2504e04f8941d39a0c0305e82c3301', 'hex'))),
  encodeTlv(0x35, new TextEncoder().encode('20300101')),
  encodeTlv(0xfe),
);

let dir: string;
let ca: LocalCa;
let cms: Uint8Array;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chuid-'));
  ca = await LocalCa.open({ dir, box: createSecretBox(randomBytes(32), true) });
  cms = await ca.signChuid(TBS);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectVerifyFailed(reason: string) {
  return (e: unknown): boolean => isStationError(e, 'VERIFY_FAILED') && e.details.reason === reason;
}

async function opensslCmsVerify(tbs: Uint8Array, cmsDer: Uint8Array): Promise<{ code: number; out: string }> {
  const anchors = await ca.trustAnchors();
  return withTempDir(async (t) => {
    await put(t, 'tbs.bin', tbs);
    await put(t, 'chuid.p7s', cmsDer);
    await put(t, 'chain.pem', pem('CERTIFICATE', anchors.root) + pem('CERTIFICATE', anchors.issuing));
    const r = await openssl(
      ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'chuid.p7s', '-content', 'tbs.bin', '-CAfile', 'chain.pem', '-purpose', 'any', '-out', '/dev/null'],
      t,
    );
    return { code: r.code, out: r.stdout + r.stderr };
  });
}

describe('CHUID content signature', () => {
  it('has the SP 800-73-4 shape: SignedData v3, CHUID content type, detached, one cert, one signer, pivSigner-DN', async () => {
    const ci = AsnConvert.parse(cms, ContentInfo);
    expect(ci.contentType).toBe('1.2.840.113549.1.7.2');
    const sd = AsnConvert.parse(ci.content, SignedData);
    expect(sd.version).toBe(3);
    expect(sd.encapContentInfo.eContentType).toBe('2.16.840.1.101.3.6.1');
    expect(sd.encapContentInfo.eContent).toBeUndefined();
    expect(sd.certificates?.length).toBe(1);
    expect(sd.crls).toBeUndefined();
    expect(sd.signerInfos.length).toBe(1);
    const si = sd.signerInfos[0]!;
    expect(si.version).toBe(1);
    expect(si.sid.issuerAndSerialNumber).toBeTruthy();
    const attrTypes = si.signedAttrs!.map((a) => a.attrType).sort();
    expect(attrTypes).toEqual(['1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4', '2.16.840.1.101.3.6.5'].sort());
    const signerCert = new x509.X509Certificate(ca.contentSignerCertificate());
    const dn = si.signedAttrs!.find((a) => a.attrType === '2.16.840.1.101.3.6.5')!.attrValues[0]!;
    expect(Buffer.from(dn).equals(Buffer.from(signerCert.subjectName.toArrayBuffer()))).toBe(true);
    // the embedded certificate is the content signer
    expect(Buffer.from(AsnConvert.serialize(sd.certificates![0]!.certificate!)).equals(Buffer.from(ca.contentSignerCertificate()))).toBe(true);
  });

  it('content signer certificate: EKU id-PIV-content-signing, KU digitalSignature only, test content-signing policy', () => {
    const cert = new x509.X509Certificate(ca.contentSignerCertificate());
    expect(cert.getExtension(x509.ExtendedKeyUsageExtension)!.usages.map(String)).toEqual(['2.16.840.1.101.3.6.7']);
    const ku = cert.getExtension(x509.KeyUsagesExtension)!;
    expect(ku.usages).toBe(x509.KeyUsageFlags.digitalSignature);
    expect(ku.critical).toBe(true);
    expect([...cert.getExtension(x509.CertificatePolicyExtension)!.policies]).toEqual(['2.16.840.1.101.3.2.1.48.86']);
    expect(cert.getExtension(x509.BasicConstraintsExtension)!.ca).toBe(false);
  });

  it('verifies with openssl cms -verify and with verifyChuidSignature', async () => {
    const r = await opensslCmsVerify(TBS, cms);
    expect(r.out).toMatch(/Verification successful/);
    expect(r.code).toBe(0);
    const v = await verifyChuidSignature(TBS, cms, await ca.trustAnchors());
    expect(v.signerSubject).toBe('CN=PIV Station PIV Content Signer, O=PIV Station, C=US');
  });

  it('a one-byte change in the TBS fails both verifiers', async () => {
    const changed = Uint8Array.from(TBS);
    changed[30] = changed[30]! ^ 0x01; // inside the GUID
    const r = await opensslCmsVerify(changed, cms);
    expect(r.code).not.toBe(0);
    expect(r.out).not.toMatch(/Verification successful/);
    await expect(verifyChuidSignature(changed, cms, await ca.trustAnchors())).rejects.toSatisfy(expectVerifyFailed('digest'));
  });

  it('a changed signature fails', async () => {
    const bad = Uint8Array.from(cms);
    bad[bad.length - 5] = bad[bad.length - 5]! ^ 0x01; // inside the signature value at the end
    await expect(verifyChuidSignature(TBS, bad, await ca.trustAnchors())).rejects.toSatisfy(
      (e: unknown) => isStationError(e, 'VERIFY_FAILED'),
    );
    expect((await opensslCmsVerify(TBS, bad)).code).not.toBe(0);
  });

  it('refuses a signer that does not chain to the given root', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'chuid-other-'));
    try {
      const other = await LocalCa.open({ dir: otherDir, box: createSecretBox(randomBytes(32), true) });
      await expect(verifyChuidSignature(TBS, cms, await other.trustAnchors())).rejects.toSatisfy(expectVerifyFailed('chain'));
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('refuses a signer certificate without the content-signing EKU', async () => {
    const key = softKey('P256');
    const issued = await ca.issue({
      slot: '9A',
      publicKey: key.publicKey,
      holder: { givenName: 'Alice', surname: 'Smith', affiliation: 'employee' },
      fascn: new Uint8Array(25),
      cardUuid: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
      notAfter: new Date(Date.now() + 86_400_000 * 30),
    });
    const wrong = await signChuidContent({ certDer: issued.der, privateKey: key.privateKey }, TBS);
    await expect(verifyChuidSignature(TBS, wrong, await ca.trustAnchors())).rejects.toSatisfy(expectVerifyFailed('eku'));
  });

  it('refuses garbage', async () => {
    await expect(verifyChuidSignature(TBS, new Uint8Array([0x30, 0x00]), await ca.trustAnchors())).rejects.toSatisfy(
      expectVerifyFailed('structure'),
    );
  });
});
