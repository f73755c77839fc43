/**
 * The Cardholder Facial Image object (SP 800-73-4 Part 1 Table 13; SP 800-76-2 §9): the 88-byte
 * CBEFF header at its Table 7 offsets, the INCITS 385 / ISO/IEC 19794-5 record, and the CBEFF
 * signature block, which openssl verifies over header ‖ data block with the content signer.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCa } from '../../../../../electron/core/pki/local-ca.js';
import { createSecretBox } from '../../../../../electron/core/pki/secret-box.js';
import { verifyBiometricSignature } from '../../../../../electron/core/pki/content-signer.js';
import {
  buildFacialImage,
  CBEFF_HEADER_LENGTH,
  decodeCbeffHeader,
  decodeFaceRecord,
  encodeCbeffHeader,
  facialImageCbeff,
  FaceSourceType,
  splitCbeff,
} from '../../../../../electron/core/piv/objects/facial-image.js';
import { decodeTlvs } from '../../../../../electron/core/piv/tlv.js';
import { openssl, pem, put, withTempDir } from '../../pki/helpers.js';

const FASCN = new Uint8Array(Buffer.from('D4E739DA739CED39CE739D836858210842108421C84210C3EB', 'hex'));
const UUID = new Uint8Array(Buffer.from('3f2504e04f8941d39a0c0305e82c3301', 'hex'));
const JPEG = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, ...randomBytes(500), 0xff, 0xd9);

let dir: string;
let ca: LocalCa;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'facial-'));
  ca = await LocalCa.open({ dir, box: createSecretBox(randomBytes(32), true) });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const build = () =>
  buildFacialImage({
    face: { jpeg: JPEG, width: 240, height: 320, sourceType: FaceSourceType.VIDEO_FRAME_DIGITAL },
    fascn: FASCN,
    cardUuid: UUID,
    created: new Date('2025-03-04T05:06:07Z'),
    validTo: new Date('2030-03-04T00:00:00Z'),
    creator: 'PIV Station',
    sign: (signed, fascn, uuid) => ca.signBiometric(signed, fascn, uuid),
  });

describe('CBEFF header (SP 800-76-2 Table 7)', () => {
  it('puts every field at its offset, dates as one byte per two digits and Z', async () => {
    const content = await build();
    const tlvs = decodeTlvs(content);
    expect(tlvs.map((t) => t.tag)).toEqual([0xbc, 0xfe]);
    const h = facialImageCbeff(content).slice(0, CBEFF_HEADER_LENGTH);
    expect(h[0]).toBe(0x03);
    expect(h[1]).toBe(0x0d);
    expect(Buffer.from(h.slice(8, 12)).toString('hex')).toBe('001b0501');
    expect(Array.from(h.slice(12, 20))).toEqual([20, 25, 3, 4, 5, 6, 7, 0x5a]);
    expect(Array.from(h.slice(28, 36))).toEqual([20, 30, 3, 4, 0, 0, 0, 0x5a]);
    expect(Buffer.from(h.slice(36, 39)).toString('hex')).toBe('000002');
    expect(h[39]! & 0xe0).toBe(0x20);
    expect(h[40]).toBe(0xfe);
    expect(Buffer.from(h.slice(41, 59)).toString('latin1')).toBe('PIV Station\0\0\0\0\0\0\0');
    expect(h.slice(59, 84)).toEqual(FASCN);
    expect(Array.from(h.slice(84, 88))).toEqual([0, 0, 0, 0]);
  });

  it('round-trips and refuses what does not fit', () => {
    const header = { patronHeaderVersion: 3, securityOptions: 0x0d, bdbLength: 10, sbLength: 20, formatOwner: 0x1b, formatType: 0x501, created: new Date('2025-01-02T03:04:05Z'), validFrom: new Date('2025-01-02T03:04:05Z'), validTo: new Date('2031-01-01T00:00:00Z'), biometricType: 2, dataType: 0x20, quality: -2, creator: 'X', fascn: FASCN };
    expect(decodeCbeffHeader(encodeCbeffHeader(header))).toEqual(header);
    expect(() => encodeCbeffHeader({ ...header, fascn: FASCN.slice(1) })).toThrow(/25-byte FASC-N/);
    expect(() => encodeCbeffHeader({ ...header, creator: 'x'.repeat(18) })).toThrow(/17 ASCII/);
  });
});

describe('facial record and signature', () => {
  it('the data block is one full-frontal JPEG face record holding the image', async () => {
    const parts = splitCbeff(facialImageCbeff(await build()));
    expect(parts.header.bdbLength).toBe(parts.dataBlock.length);
    expect(Buffer.from(parts.dataBlock.slice(0, 8)).toString('latin1')).toBe('FAC\x00010\x00');
    expect(decodeFaceRecord(parts.dataBlock)).toEqual({ faceImageType: 1, imageDataType: 0, width: 240, height: 320, sourceType: 6, image: JPEG });
  });

  it('the signature block verifies over header ‖ data block with the content signer (ours and openssl), signing the FASC-N and card UUID', async () => {
    const parts = splitCbeff(facialImageCbeff(await build()));
    const signed = new Uint8Array([...parts.headerBytes, ...parts.dataBlock]);
    const signer = ca.contentSignerCertificate();
    expect(verifyBiometricSignature(parts.signatureBlock, signed, signer)).toEqual({ fascn: FASCN, cardUuid: UUID });
    const tampered = signed.slice();
    tampered[tampered.length - 3] ^= 1;
    expect(() => verifyBiometricSignature(parts.signatureBlock, tampered, signer)).toThrow(expect.objectContaining({ code: 'VERIFY_FAILED', details: { reason: 'digest' } }));
    const anchors = await ca.trustAnchors();
    await withTempDir(async (t) => {
      await put(t, 'signed.bin', signed);
      await put(t, 'sb.der', parts.signatureBlock);
      await put(t, 'signer.pem', pem('CERTIFICATE', signer));
      await put(t, 'chain.pem', pem('CERTIFICATE', anchors.root) + pem('CERTIFICATE', anchors.issuing));
      const ok = await openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'sb.der', '-content', 'signed.bin', '-certfile', 'signer.pem', '-CAfile', 'chain.pem', '-purpose', 'any', '-out', '/dev/null'], t);
      expect(ok.code, ok.stderr).toBe(0);
      const asn = await openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'sb.der'], t);
      expect(asn.stdout).toContain('2.16.840.1.101.3.6.2'); // id-PIV-biometricObject
      expect(asn.stdout).toContain('2.16.840.1.101.3.6.6'); // pivFASC-N
      expect(asn.stdout).toMatch(/entryUUID|1\.3\.6\.1\.1\.16\.4/);
    });
  });
});
