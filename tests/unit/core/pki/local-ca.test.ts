import { createPrivateKey, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { SubjectAlternativeName } from '@peculiar/asn1-x509';
import { x509 } from '../../../../electron/core/pki/x509-setup.js';
import { LocalCa } from '../../../../electron/core/pki/local-ca.js';
import type { IssueRequest } from '../../../../electron/core/pki/ca.js';
import { createSecretBox } from '../../../../electron/core/pki/secret-box.js';
import { buildCsr } from '../../../../electron/core/pki/csr.js';
import { isStationError } from '../../../../electron/core/errors.js';
import type { PivSlot } from '../../../../electron/core/piv/constants.js';
import { openssl, pem, put, softKey, withTempDir } from './helpers.js';

/** TIG worked example FASC-N (piv-reference §3.1). */
const FASCN = new Uint8Array(Buffer.from('D0439458210C2C19A0846D83685A1082108CE73984108CA3FC', 'hex'));
const UUID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const CRL_URL = 'http://127.0.0.1:8780/crl/issuing.crl';

const KU = x509.KeyUsageFlags;

let dir: string;
let box: ReturnType<typeof createSecretBox>;
let ca: LocalCa;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'local-ca-'));
  box = createSecretBox(randomBytes(32), true);
  ca = await LocalCa.open({ dir, box, organization: 'Example Agency' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function request(slot: PivSlot, key = softKey('P256'), extra: Partial<IssueRequest> = {}): IssueRequest {
  return {
    slot,
    publicKey: key.publicKey,
    holder: { givenName: 'Alice', surname: 'Smith', email: 'alice@example.gov', affiliation: 'employee' },
    fascn: FASCN,
    cardUuid: UUID,
    notAfter: new Date(Date.now() + 3 * 365 * 86_400_000),
    ...extra,
  };
}

function sanNames(cert: InstanceType<typeof x509.X509Certificate>): SubjectAlternativeName | undefined {
  const ext = cert.getExtension('2.5.29.17');
  return ext ? AsnConvert.parse(ext.value, SubjectAlternativeName) : undefined;
}

function expectPivIdentitySan(cert: InstanceType<typeof x509.X509Certificate>): void {
  const san = sanNames(cert)!;
  expect(san.length).toBe(2);
  const other = san.find((n) => n.otherName)!.otherName!;
  expect(other.typeId).toBe('2.16.840.1.101.3.6.6');
  const octets = AsnConvert.parse(other.value, OctetString);
  expect(Buffer.from(octets.buffer).toString('hex')).toBe(Buffer.from(FASCN).toString('hex'));
  expect(san.find((n) => n.uniformResourceIdentifier)!.uniformResourceIdentifier).toBe(`urn:uuid:${UUID}`);
}

function policies(cert: InstanceType<typeof x509.X509Certificate>): string[] {
  return [...cert.getExtension(x509.CertificatePolicyExtension)!.policies];
}

async function expectCommon(cert: InstanceType<typeof x509.X509Certificate>): Promise<void> {
  const anchors = await ca.trustAnchors();
  const issuing = new x509.X509Certificate(anchors.issuing);
  const bc = cert.getExtension(x509.BasicConstraintsExtension)!;
  expect(bc.ca).toBe(false);
  const aki = cert.getExtension(x509.AuthorityKeyIdentifierExtension)!;
  expect(aki.keyId).toBe(issuing.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId);
  expect(cert.getExtension(x509.SubjectKeyIdentifierExtension)).toBeTruthy();
  const cdp = cert.getExtension(x509.CRLDistributionPointsExtension)!;
  expect(JSON.stringify(cdp.distributionPoints)).toContain(CRL_URL);
  expect(await cert.verify({ publicKey: issuing.publicKey })).toBe(true);
  await withTempDir(async (t) => {
    await put(t, 'root.pem', pem('CERTIFICATE', anchors.root));
    await put(t, 'issuing.pem', pem('CERTIFICATE', anchors.issuing));
    await put(t, 'leaf.pem', pem('CERTIFICATE', new Uint8Array(cert.rawData)));
    const r = await openssl(['verify', '-CAfile', 'root.pem', '-untrusted', 'issuing.pem', 'leaf.pem'], t);
    expect(r.stdout + r.stderr).toContain('leaf.pem: OK');
    expect(r.code).toBe(0);
  });
}

describe('LocalCa profiles', () => {
  it('9A PIV Authentication', async () => {
    const issued = await ca.issue(request('9A'));
    const cert = new x509.X509Certificate(issued.der);
    expect(issued.slot).toBe('9A');
    expect(cert.serialNumber.toLowerCase()).toBe(issued.serial);
    expect(issued.serial).toMatch(/^[0-7][0-9a-f]{31}$/);
    expect(cert.subject).toBe('C=US, O=Example Agency, OU=employee, CN=Alice Smith');
    const ku = cert.getExtension(x509.KeyUsagesExtension)!;
    expect(ku.usages).toBe(KU.digitalSignature);
    expect(ku.critical).toBe(true);
    const eku = cert.getExtension(x509.ExtendedKeyUsageExtension)!;
    expect(eku.usages.map(String).sort()).toEqual(['1.3.6.1.4.1.311.20.2.2', '1.3.6.1.5.2.3.4', '1.3.6.1.5.5.7.3.2'].sort());
    expect(policies(cert)).toEqual(['2.16.840.1.101.3.2.1.48.11']);
    expectPivIdentitySan(cert);
    await expectCommon(cert);
  });

  it('9E Card Authentication: no name, critical cardAuth EKU only, FASC-N + UUID only', async () => {
    const cert = new x509.X509Certificate((await ca.issue(request('9E'))).der);
    expect(cert.subject).toBe(`C=US, O=Example Agency, CN=${UUID}`);
    expect(cert.subject).not.toContain('Alice');
    expect(cert.getExtension(x509.KeyUsagesExtension)!.usages).toBe(KU.digitalSignature);
    const eku = cert.getExtension(x509.ExtendedKeyUsageExtension)!;
    expect(eku.critical).toBe(true);
    expect(eku.usages.map(String)).toEqual(['2.16.840.1.101.3.6.8']);
    expect(policies(cert)).toEqual(['2.16.840.1.101.3.2.1.48.13']);
    expectPivIdentitySan(cert);
    await expectCommon(cert);
  });

  it('9C Digital Signature: digitalSignature + nonRepudiation, email SAN', async () => {
    const key = softKey('P384');
    const cert = new x509.X509Certificate((await ca.issue(request('9C', key))).der);
    expect(cert.getExtension(x509.KeyUsagesExtension)!.usages).toBe(KU.digitalSignature | KU.nonRepudiation);
    expect(cert.getExtension(x509.ExtendedKeyUsageExtension)!.usages.map(String)).toContain('1.3.6.1.5.5.7.3.4');
    expect(policies(cert)).toEqual(['2.16.840.1.101.3.2.1.48.9']);
    const san = sanNames(cert)!;
    expect(san.map((n) => n.rfc822Name)).toEqual(['alice@example.gov']);
    await expectCommon(cert);
  });

  it('9C without an email has no SAN', async () => {
    const req = request('9C');
    req.holder = { givenName: 'Bob', surname: 'Jones', affiliation: 'contractor' };
    const cert = new x509.X509Certificate((await ca.issue(req)).der);
    expect(sanNames(cert)).toBeUndefined();
    expect(cert.subject).toContain('OU=contractor');
  });

  it('9D Key Management: keyAgreement for EC, keyEncipherment for RSA, no EKU', async () => {
    const ec = new x509.X509Certificate((await ca.issue(request('9D'))).der);
    expect(ec.getExtension(x509.KeyUsagesExtension)!.usages).toBe(KU.keyAgreement);
    expect(ec.getExtension(x509.ExtendedKeyUsageExtension)).toBeNull();
    expect(policies(ec)).toEqual(['2.16.840.1.101.3.2.1.48.9']);
    await expectCommon(ec);
    const rsaKey = softKey('RSA2048');
    const rsa = new x509.X509Certificate((await ca.issue(request('9D', rsaKey))).der);
    expect(rsa.getExtension(x509.KeyUsagesExtension)!.usages).toBe(KU.keyEncipherment);
    await expectCommon(rsa);
  });

  it('caps notAfter at the request and never past the issuing CA', async () => {
    const want = new Date(Date.now() + 30 * 86_400_000);
    const issued = await ca.issue(request('9A', softKey('P256'), { notAfter: want }));
    expect(issued.notAfter.getTime()).toBeLessThanOrEqual(want.getTime());
    expect(want.getTime() - issued.notAfter.getTime()).toBeLessThan(1000);
    const far = await ca.issue(request('9A', softKey('P256'), { notAfter: new Date(Date.now() + 50 * 365 * 86_400_000) }));
    const issuing = new x509.X509Certificate((await ca.trustAnchors()).issuing);
    expect(far.notAfter.getTime()).toBeLessThanOrEqual(issuing.notAfter.getTime());
  });
});

describe('LocalCa requests', () => {
  it('accepts a CSR signed by the slot key', async () => {
    const key = softKey('P256');
    const csrDer = await buildCsr({ subject: 'CN=Alice Smith', publicKey: key.publicKey, sign: key.sign('sha256') });
    const issued = await ca.issue(request('9A', key, { csrDer }));
    expect(await ca.status(issued.serial)).toBe('valid');
  });

  it('refuses a CSR whose key differs from the card key', async () => {
    const key = softKey('P256');
    const other = softKey('P256');
    const csrDer = await buildCsr({ subject: 'CN=Alice Smith', publicKey: other.publicKey, sign: other.sign('sha256') });
    const before = ca.issued().length;
    await expect(ca.issue(request('9A', key, { csrDer }))).rejects.toSatisfy((e: unknown) => isStationError(e, 'CA_ERROR'));
    expect(ca.issued().length).toBe(before);
  });

  it('refuses a bad FASC-N, UUID, key algorithm or past expiry', async () => {
    const bad = async (r: IssueRequest): Promise<void> =>
      expect(ca.issue(r)).rejects.toSatisfy((e: unknown) => isStationError(e, 'CA_ERROR'));
    await bad(request('9A', softKey('P256'), { fascn: new Uint8Array(24) }));
    await bad(request('9A', softKey('P256'), { cardUuid: 'not-a-uuid' }));
    await bad(request('9A', softKey('P256'), { notAfter: new Date(Date.now() - 1000) }));
    const p384 = softKey('P384');
    await bad(request('9A', p384, { publicKey: { algorithm: 'P256', spki: p384.publicKey.spki } }));
  });
});

describe('LocalCa revocation and CRL', () => {
  it('revoke + CRL: openssl lists the serial with its reason and refuses the revoked certificate', async () => {
    const good = await ca.issue(request('9A'));
    const revoked = await ca.issue(request('9A'));
    const held = await ca.issue(request('9E'));
    await ca.revoke(revoked.serial, 'keyCompromise');
    await ca.revoke(held.serial, 'certificateHold');
    expect(await ca.status(good.serial)).toBe('valid');
    expect(await ca.status(revoked.serial)).toBe('revoked');
    expect(await ca.status(held.serial)).toBe('hold');
    expect(await ca.status('00112233')).toBe('unknown');
    const crlDer = await ca.crl();
    expect(Buffer.from(readFileSync(join(dir, 'crl', 'issuing.crl'))).equals(Buffer.from(crlDer))).toBe(true);
    const anchors = await ca.trustAnchors();
    await withTempDir(async (t) => {
      await put(t, 'crl.der', crlDer);
      await put(t, 'crl.pem', pem('X509 CRL', crlDer));
      await put(t, 'root.pem', pem('CERTIFICATE', anchors.root));
      await put(t, 'issuing.pem', pem('CERTIFICATE', anchors.issuing));
      await put(t, 'good.pem', pem('CERTIFICATE', good.der));
      await put(t, 'revoked.pem', pem('CERTIFICATE', revoked.der));
      await put(t, 'held.pem', pem('CERTIFICATE', held.der));
      const text = await openssl(['crl', '-in', 'crl.der', '-inform', 'DER', '-noout', '-text', '-CAfile', 'issuing.pem'], t);
      expect(text.code).toBe(0);
      expect(text.stderr + text.stdout).toMatch(/verify OK/i);
      const flat = text.stdout.replace(/\s+/g, ' ');
      expect(flat).toContain(`Serial Number: ${revoked.serial.toUpperCase()}`);
      expect(flat).toMatch(new RegExp(`${revoked.serial.toUpperCase()} Revocation Date: [^:]+:[^:]+:[^:]+ CRL entry extensions: X509v3 CRL Reason Code: Key Compromise`));
      expect(flat).toContain(`Serial Number: ${held.serial.toUpperCase()}`);
      expect(flat).toContain('Certificate Hold');
      expect(flat).not.toContain(good.serial.toUpperCase());
      expect(flat).toContain('X509v3 CRL Number');
      const verify = (leaf: string) =>
        openssl(['verify', '-crl_check', '-CRLfile', 'crl.pem', '-CAfile', 'root.pem', '-untrusted', 'issuing.pem', leaf], t);
      const ok = await verify('good.pem');
      expect(ok.stdout + ok.stderr).toContain('good.pem: OK');
      expect(ok.code).toBe(0);
      const bad = await verify('revoked.pem');
      expect(bad.code).not.toBe(0);
      expect(bad.stdout + bad.stderr).toMatch(/certificate revoked/);
      expect((await verify('held.pem')).code).not.toBe(0);
    });
    // a held certificate can be released and then leaves the CRL
    await ca.releaseHold(held.serial);
    expect(await ca.status(held.serial)).toBe('valid');
    const crl2 = new x509.X509Crl(await ca.crl());
    expect(crl2.findRevoked(held.serial)).toBeNull();
    expect(crl2.findRevoked(revoked.serial)?.reason).toBe(x509.X509CrlReason.keyCompromise);
  });

  it('revoking an unknown serial is refused', async () => {
    await expect(ca.revoke('0badc0de', 'superseded')).rejects.toSatisfy((e: unknown) => isStationError(e, 'NOT_FOUND_RECORD'));
  });
});

describe('LocalCa persistence', () => {
  it('reopens with the same root, issuing CA and index; a wrong box is SECRETS_LOCKED', async () => {
    const issued = await ca.issue(request('9C'));
    await ca.revoke(issued.serial, 'superseded');
    const again = await LocalCa.open({ dir, box });
    const a = await ca.trustAnchors();
    const b = await again.trustAnchors();
    expect(Buffer.from(b.root).equals(Buffer.from(a.root))).toBe(true);
    expect(Buffer.from(b.issuing).equals(Buffer.from(a.issuing))).toBe(true);
    expect(Buffer.from(again.contentSignerCertificate()).equals(Buffer.from(ca.contentSignerCertificate()))).toBe(true);
    expect(await again.status(issued.serial)).toBe('revoked');
    expect(again.issued().length).toBe(ca.issued().length);
    const fresh = await again.issue(request('9A'));
    expect(await again.status(fresh.serial)).toBe('valid');

    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
    expect(index.certs.find((c: { serial: string }) => c.serial === issued.serial)).toMatchObject({ status: 'revoked', reason: 'superseded' });
    // private keys are sealed: no key field of ca.json parses as a private key (PKCS#8 DER)
    const caFile = JSON.parse(readFileSync(join(dir, 'ca.json'), 'utf8')) as Record<string, { key?: string }>;
    const keys = Object.values(caFile).filter((v): v is { key: string } => typeof v === 'object' && v !== null && typeof v.key === 'string');
    expect(keys).toHaveLength(3);
    for (const { key } of keys) {
      expect(() => createPrivateKey({ key: Buffer.from(key, 'base64'), format: 'der', type: 'pkcs8' })).toThrow();
    }

    await expect(LocalCa.open({ dir, box: createSecretBox(randomBytes(32), true) })).rejects.toSatisfy((e: unknown) =>
      isStationError(e, 'SECRETS_LOCKED'),
    );
  });

  it('root and issuing CA are proper CA certificates that openssl accepts', async () => {
    const a = await ca.trustAnchors();
    const root = new x509.X509Certificate(a.root);
    const issuing = new x509.X509Certificate(a.issuing);
    expect(root.getExtension(x509.BasicConstraintsExtension)!.ca).toBe(true);
    expect(issuing.getExtension(x509.BasicConstraintsExtension)!.pathLength).toBe(0);
    expect(root.notAfter.getUTCFullYear() - root.notBefore.getUTCFullYear()).toBe(20);
    expect(issuing.notAfter.getUTCFullYear() - issuing.notBefore.getUTCFullYear()).toBe(10);
    expect(await issuing.verify({ publicKey: root.publicKey })).toBe(true);
    await withTempDir(async (t) => {
      await put(t, 'root.pem', pem('CERTIFICATE', a.root));
      await put(t, 'issuing.pem', pem('CERTIFICATE', a.issuing));
      const r = await openssl(['verify', '-CAfile', 'root.pem', 'issuing.pem'], t);
      expect(r.stdout + r.stderr).toContain('issuing.pem: OK');
      expect(r.code).toBe(0);
    });
  });
});
