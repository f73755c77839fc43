import { webcrypto } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeCcc, encodeCcc, newCccCardIdentifier } from '../../../../../electron/core/piv/objects/ccc.js';
import { decodeCertContainer, encodeCertContainer } from '../../../../../electron/core/piv/objects/cert-container.js';
import { decodeDiscovery, encodeDiscovery } from '../../../../../electron/core/piv/objects/discovery.js';
import { decodeKeyHistory, encodeKeyHistory } from '../../../../../electron/core/piv/objects/key-history.js';
import {
  decodePrintedInformation,
  encodePrintedInformation,
  type PrintedInformation,
} from '../../../../../electron/core/piv/objects/printed-information.js';
import { PIV_AID } from '../../../../../electron/core/piv/constants.js';
import { concatBytes, encodeTlv, fromHex, toHex } from '../../../../../electron/core/piv/tlv.js';
import { x509 } from '../../../../../electron/core/pki/x509-setup.js';

describe('CCC', () => {
  it('encodes the yubico-piv-tool / ykman template byte-exact', () => {
    const id = newCccCardIdentifier(new Uint8Array(14).fill(0xab));
    expect(toHex(id)).toBe('A000000116FF02' + 'AB'.repeat(14));
    expect(toHex(encodeCcc(id))).toBe(
      'F015' + toHex(id) + 'F10121F20121F300F40100F50110F600F700FA00FB00FC00FD00FE00',
    );
  });
  it('round-trips and refuses a wrong identifier length', () => {
    const id = newCccCardIdentifier();
    expect(id.length).toBe(21);
    expect(decodeCcc(encodeCcc(id))).toEqual({ cardIdentifier: id, dataModelNumber: 0x10, containerVersion: 0x21, grammarVersion: 0x21 });
    expect(() => encodeCcc(new Uint8Array(20))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => decodeCcc(fromHex('F000FE00'))).toThrow(expect.objectContaining({ code: 'MALFORMED_RESPONSE' }));
  });
});

describe('Discovery', () => {
  it('encodes 73-1 §3.3.2 for a simple card byte-exact', () => {
    expect(toHex(encodeDiscovery())).toBe('7E124F0BA0000003080000100001005F2F024000');
  });
  it('decodes its AID and PIN usage policy', () => {
    expect(decodeDiscovery(encodeDiscovery())).toEqual({ aid: PIV_AID, pinUsagePolicy: [0x40, 0x00] });
    expect(() => decodeDiscovery(fromHex('7E00'))).toThrow(expect.objectContaining({ code: 'MALFORMED_RESPONSE' }));
  });
});

describe('Printed Information', () => {
  const p: PrintedInformation = {
    name: 'DOE, JANE Q',
    employeeAffiliation: 'Employee',
    expirationDate: '2030JAN01',
    agencyCardSerial: '0000123456',
    issuerId: 'STATION01',
  };
  it('encodes Table 14 order byte-exact', () => {
    expect(toHex(encodePrintedInformation({ ...p, organizationAffiliation1: 'DEPT A' }))).toBe(
      toHex(
        concatBytes(
          encodeTlv(0x01, new TextEncoder().encode(p.name)),
          encodeTlv(0x02, new TextEncoder().encode('Employee')),
          encodeTlv(0x04, new TextEncoder().encode('2030JAN01')),
          encodeTlv(0x05, new TextEncoder().encode('0000123456')),
          encodeTlv(0x06, new TextEncoder().encode('STATION01')),
          encodeTlv(0x07, new TextEncoder().encode('DEPT A')),
          fromHex('FE00'),
        ),
      ),
    );
  });
  it('round-trips with and without optional lines', () => {
    expect(decodePrintedInformation(encodePrintedInformation(p))).toEqual(p);
    const full = { ...p, organizationAffiliation1: 'A', organizationAffiliation2: 'B' };
    expect(decodePrintedInformation(encodePrintedInformation(full))).toEqual(full);
  });
  it('refuses over-long, non-ASCII or badly dated fields', () => {
    expect(() => encodePrintedInformation({ ...p, issuerId: 'X'.repeat(16) })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', details: { field: 'issuerId' } }),
    );
    expect(() => encodePrintedInformation({ ...p, name: 'Zoë' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => encodePrintedInformation({ ...p, expirationDate: '20300101' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', details: { field: 'expirationDate' } }),
    );
  });
});

describe('Key History', () => {
  it('encodes Table 19 byte-exact', () => {
    expect(toHex(encodeKeyHistory(0, 0))).toBe('C10100C20100FE00');
    const url = 'http://pki.example/0123';
    expect(toHex(encodeKeyHistory(2, 1, url))).toBe('C10102C20101F3' + url.length.toString(16).toUpperCase() + toHex(new TextEncoder().encode(url)) + 'FE00');
  });
  it('round-trips and enforces the URL rule', () => {
    expect(decodeKeyHistory(encodeKeyHistory(3, 2, 'http://h/x'))).toEqual({ onCard: 3, offCard: 2, url: 'http://h/x' });
    expect(decodeKeyHistory(encodeKeyHistory(1, 0))).toEqual({ onCard: 1, offCard: 0 });
    expect(() => encodeKeyHistory(0, 1)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => encodeKeyHistory(0, 0, 'http://h/x')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => encodeKeyHistory(15, 6, 'http://h/x')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('certificate container', () => {
  async function selfSigned(): Promise<Uint8Array> {
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: 'CN=Test',
      notBefore: new Date('2024-01-01'),
      notAfter: new Date('2030-01-01'),
      keys,
      signingAlgorithm: alg,
    });
    return new Uint8Array(cert.rawData);
  }
  it('encodes 70 cert, 71 01 00, FE 00 and decodes it back', async () => {
    const der = await selfSigned();
    const c = encodeCertContainer(der);
    expect(toHex(c)).toBe(toHex(concatBytes(encodeTlv(0x70, der), fromHex('710100FE00'))));
    expect(decodeCertContainer(c)).toEqual(der);
  });
  it('accepts a gzip container (CertInfo 01)', async () => {
    const der = await selfSigned();
    const c = concatBytes(encodeTlv(0x70, gzipSync(der)), fromHex('710101FE00'));
    expect(decodeCertContainer(c)).toEqual(der);
  });
  it('rejects non-DER input and corrupt containers', () => {
    expect(() => encodeCertContainer(fromHex('0102'))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => decodeCertContainer(fromHex('710100FE00'))).toThrow(expect.objectContaining({ code: 'MALFORMED_RESPONSE' }));
    expect(() => decodeCertContainer(fromHex('7003010203710101FE00'))).toThrow(
      expect.objectContaining({ code: 'MALFORMED_RESPONSE' }),
    );
  });
});
