/**
 * The Security Object builder (SP 800-73-4 Part 1 §3.1.7, Table 12): TLV layout, DG → ContainerID
 * mapping, the LDS Security Object hashes, and its CMS signature by the station's content signer
 * (checked by our verifier and by openssl).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AsnConvert } from '@peculiar/asn1-schema';
import { ContentInfo, SignedData } from '@peculiar/asn1-cms';
import { LocalCa } from '../../../../../electron/core/pki/local-ca.js';
import { createSecretBox } from '../../../../../electron/core/pki/secret-box.js';
import { verifyEncapsulatedSignature } from '../../../../../electron/core/pki/content-signer.js';
import {
  buildSecurityObject,
  decodeLdsSecurityObject,
  decodeSecurityObject,
  encodeLdsSecurityObject,
  STATION_DATA_GROUPS,
} from '../../../../../electron/core/piv/objects/security-object.js';
import { decodeTlvs, toHex } from '../../../../../electron/core/piv/tlv.js';
import { isStationError } from '../../../../../electron/core/errors.js';
import { openssl, pem, put, withTempDir } from '../../pki/helpers.js';

const ICAO_LDS = '2.23.136.1.1.1';
const printed = new TextEncoder().encode('\x01\x08Jane Doe\xfe\x00');
const ccc = Uint8Array.from(randomBytes(40));
const chuid = Uint8Array.from(randomBytes(60));

let dir: string;
let ca: LocalCa;
let so: Uint8Array;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'secobj-'));
  ca = await LocalCa.open({ dir, box: createSecretBox(randomBytes(32), true) });
  so = await buildSecurityObject(
    [
      { group: STATION_DATA_GROUPS.printed, content: printed },
      { group: STATION_DATA_GROUPS.chuid, content: chuid },
      { group: STATION_DATA_GROUPS.ccc, content: ccc },
    ],
    (lds) => ca.signSecurityObject(lds),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex').toUpperCase();

describe('Security Object layout', () => {
  it('is BA mapping, BB signature, FE 00 in that order; BA holds 3 bytes per group (DG, ContainerID hi, lo) by DG number', () => {
    const tlvs = decodeTlvs(so);
    expect(tlvs.map((t) => t.tag)).toEqual([0xba, 0xbb, 0xfe]);
    expect(toHex(tlvs[0]!.value)).toBe('013000' + '02DB00' + '033001');
    expect(tlvs[2]!.value.length).toBe(0);
  });

  it('the LDS Security Object is v0, SHA-256, with the hash of each mapped object under its DG number', () => {
    const decoded = decodeSecurityObject(so);
    const lds = verifyEncapsulatedSignature(decoded.signature, ICAO_LDS, ca.contentSignerCertificate(), 'Security Object');
    const hashes = decodeLdsSecurityObject(lds);
    expect(hashes.map((h) => [h.number, toHex(h.hash)])).toEqual([
      [1, sha256(chuid)],
      [2, sha256(ccc)],
      [3, sha256(printed)],
    ]);
    expect(decoded.mapping).toEqual([
      { number: 1, containerId: 0x3000 },
      { number: 2, containerId: 0xdb00 },
      { number: 3, containerId: 0x3001 },
    ]);
  });

  it('refuses fewer than two data groups (ICAO SIZE(2..ub)) and repeated numbers', () => {
    const h = new Uint8Array(32);
    expect(() => encodeLdsSecurityObject([{ number: 1, hash: h }])).toThrow(/at least two/);
    expect(() => encodeLdsSecurityObject([{ number: 1, hash: h }, { number: 1, hash: h }])).toThrow(/unique/);
  });
});

describe('Security Object signature', () => {
  it('is an encapsulating SignedData of id-icao-ldsSecurityObject without the signer certificate (it is in the CHUID)', () => {
    const sd = AsnConvert.parse(AsnConvert.parse(decodeSecurityObject(so).signature, ContentInfo).content, SignedData);
    expect(sd.encapContentInfo.eContentType).toBe(ICAO_LDS);
    expect(sd.encapContentInfo.eContent?.single).toBeDefined();
    expect(sd.certificates).toBeUndefined();
    expect(sd.signerInfos.length).toBe(1);
  });

  it('verifies with openssl cms given the content-signer certificate, and the verified content is the LDS Security Object', async () => {
    const cms = decodeSecurityObject(so).signature;
    const anchors = await ca.trustAnchors();
    const r = await withTempDir(async (t) => {
      await put(t, 'so.p7m', cms);
      await put(t, 'signer.pem', pem('CERTIFICATE', ca.contentSignerCertificate()));
      await put(t, 'chain.pem', pem('CERTIFICATE', anchors.root) + pem('CERTIFICATE', anchors.issuing));
      const v = await openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'so.p7m', '-certfile', 'signer.pem', '-CAfile', 'chain.pem', '-purpose', 'any', '-out', 'lds.der'], t);
      const parsed = await openssl(['asn1parse', '-inform', 'DER', '-in', 'lds.der'], t);
      return { code: v.code, err: v.stderr, lds: parsed.stdout };
    });
    expect(r.code, r.err).toBe(0);
    expect(r.lds).toContain(sha256(printed));
    expect(r.lds).toContain('sha256');
  });

  it('a changed signature or a signer other than the content signer fails VERIFY_FAILED', async () => {
    const cms = Uint8Array.from(decodeSecurityObject(so).signature);
    cms[cms.length - 5]! ^= 0x01;
    expect(() => verifyEncapsulatedSignature(cms, ICAO_LDS, ca.contentSignerCertificate(), 'Security Object')).toThrow(
      expect.objectContaining({ code: 'VERIFY_FAILED' }),
    );
    const anchors = await ca.trustAnchors();
    let thrown: unknown;
    try {
      verifyEncapsulatedSignature(decodeSecurityObject(so).signature, ICAO_LDS, anchors.issuing, 'Security Object');
    } catch (e) {
      thrown = e;
    }
    expect(isStationError(thrown, 'VERIFY_FAILED') && thrown.details.reason).toBe('structure');
  });
});
