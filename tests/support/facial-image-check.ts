/**
 * Judges a Cardholder Facial Image (5FC108) read from a card by an
 * independent client, without the station's code: the BER-TLV, the 88-byte
 * CBEFF header (SP 800-76-2 Table 7) and the ISO/IEC 19794-5 record are parsed
 * here; the JPEG is decoded by poppler (pdftoppm) inside a one-page PDF of the
 * image's own size; the signature block is verified by openssl; the FASC-N and
 * card UUID are compared with the CHUID's.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { run } from './vpcd-card.js';

/** Minimal BER-TLV reader (tags of 1–3 bytes, definite lengths): independent of electron/core/piv/tlv.ts. */
export function readTlvs(b: Uint8Array): { tag: number; value: Uint8Array }[] {
  const out: { tag: number; value: Uint8Array }[] = [];
  let i = 0;
  while (i < b.length) {
    let tag = b[i++]!;
    if ((tag & 0x1f) === 0x1f) {
      do tag = (tag << 8) | b[i]!;
      while (b[i++]! & 0x80);
    }
    let len = b[i++]!;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let k = 0; k < n; k++) len = (len << 8) | b[i++]!;
    }
    out.push({ tag, value: b.slice(i, i + len) });
    i += len;
  }
  return out;
}

/** What the header says, field by field (SP 800-76-2 Table 7 offsets). */
export interface ParsedCbeff {
  patronHeaderVersion: number;
  securityOptions: number;
  bdbLength: number;
  sbLength: number;
  formatOwner: number;
  formatType: number;
  created: string;
  validFrom: string;
  validTo: string;
  biometricType: number;
  dataType: number;
  quality: number;
  creator: string;
  fascn: string;
  reserved: number;
  /** header ‖ data block: what the signature covers. */
  signed: Uint8Array;
  dataBlock: Uint8Array;
  signatureBlock: Uint8Array;
}

/** A CBEFF date: each byte one value 0–99 (two digits), then 'Z'. */
function cbeffDate(b: Uint8Array): string {
  if (b[7] !== 0x5a) throw new Error('CBEFF date does not end with Z');
  return Array.from(b.slice(0, 7), (v) => String(v).padStart(2, '0')).join('') + 'Z';
}

/** Parses a PIV CBEFF structure (header, data block, signature block). */
export function parseCbeff(cbeff: Uint8Array): ParsedCbeff {
  const v = new DataView(cbeff.buffer, cbeff.byteOffset, cbeff.byteLength);
  const bdbLength = v.getUint32(2);
  const sbLength = v.getUint16(6);
  if (88 + bdbLength + sbLength !== cbeff.length) throw new Error('CBEFF lengths do not add up');
  const creator = cbeff.slice(41, 59);
  return {
    patronHeaderVersion: cbeff[0]!,
    securityOptions: cbeff[1]!,
    bdbLength,
    sbLength,
    formatOwner: v.getUint16(8),
    formatType: v.getUint16(10),
    created: cbeffDate(cbeff.slice(12, 20)),
    validFrom: cbeffDate(cbeff.slice(20, 28)),
    validTo: cbeffDate(cbeff.slice(28, 36)),
    biometricType: (cbeff[36]! << 16) | (cbeff[37]! << 8) | cbeff[38]!,
    dataType: cbeff[39]!,
    quality: v.getInt8(40),
    creator: Buffer.from(creator.slice(0, creator.indexOf(0) === -1 ? 18 : creator.indexOf(0))).toString('latin1'),
    fascn: Buffer.from(cbeff.slice(59, 84)).toString('hex').toUpperCase(),
    reserved: v.getUint32(84),
    signed: cbeff.slice(0, 88 + bdbLength),
    dataBlock: cbeff.slice(88, 88 + bdbLength),
    signatureBlock: cbeff.slice(88 + bdbLength),
  };
}

/** The JPEG and its stated size in an ISO/IEC 19794-5 (INCITS 385) face record with one image. */
export function faceRecordImage(record: Uint8Array): { width: number; height: number; faceImageType: number; imageDataType: number; jpeg: Uint8Array } {
  const v = new DataView(record.buffer, record.byteOffset, record.byteLength);
  if (Buffer.from(record.slice(0, 8)).toString('latin1') !== 'FAC\x00010\x00') throw new Error('not a face record');
  if (v.getUint32(8) !== record.length) throw new Error('face record length differs');
  const dataLength = v.getUint32(14);
  const featurePoints = v.getUint16(18);
  const info = 14 + 20 + featurePoints * 8;
  return {
    faceImageType: record[info]!,
    imageDataType: record[info + 1]!,
    width: v.getUint16(info + 2),
    height: v.getUint16(info + 4),
    jpeg: record.slice(info + 12, 14 + dataLength),
  };
}

/**
 * Decodes a JPEG with poppler: a one-page PDF of exactly the image's size (1 pt per pixel),
 * rendered at 72 DPI to grey PGM, so each output pixel is one image pixel.
 * @returns the decoded size and the mean and spread of its grey values
 */
export async function decodeWithPoppler(jpeg: Uint8Array, dir: string): Promise<{ width: number; height: number; mean: number; spread: number }> {
  const doc = await PDFDocument.create();
  const img = await doc.embedJpg(jpeg);
  const page = doc.addPage([img.width, img.height]);
  page.drawImage(img, { x: 0, y: 0, width: img.width, height: img.height });
  writeFileSync(join(dir, 'face.pdf'), await doc.save());
  const r = await run('pdftoppm', ['-r', '72', '-gray', '-singlefile', join(dir, 'face.pdf'), join(dir, 'face')]);
  if (r.code !== 0) throw new Error(`pdftoppm failed: ${r.stderr}`);
  const pgm = readFileSync(join(dir, 'face.pgm'));
  // P5 header: magic, width, height, maxval, each followed by white space.
  const fields: string[] = [];
  let i = 0;
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(pgm[i]!))) i++;
    let f = '';
    while (!/\s/.test(String.fromCharCode(pgm[i]!))) f += String.fromCharCode(pgm[i++]!);
    fields.push(f);
  }
  i++;
  const [, w, h] = fields.map(Number);
  const pixels = pgm.subarray(i, i + w! * h!);
  const mean = pixels.reduce((a, p) => a + p, 0) / pixels.length;
  const spread = Math.sqrt(pixels.reduce((a, p) => a + (p - mean) ** 2, 0) / pixels.length);
  return { width: w!, height: h!, mean, spread };
}

/** The FASC-N (hex) and GUID (hex) of a CHUID's content. */
export function chuidIds(chuid: Uint8Array): { fascn: string; guid: string; signature: Uint8Array } {
  const tlvs = readTlvs(chuid);
  const get = (tag: number) => tlvs.find((t) => t.tag === tag)!.value;
  return { fascn: Buffer.from(get(0x30)).toString('hex').toUpperCase(), guid: Buffer.from(get(0x34)).toString('hex').toUpperCase(), signature: get(0x3e) };
}

/** Verifies a CBEFF signature block with openssl over header ‖ data block; returns openssl's asn1parse of the block. */
export async function opensslVerifyBiometric(parsed: ParsedCbeff, signerPem: string, chainPem: string, dir: string): Promise<{ verified: boolean; output: string; asn1: string }> {
  writeFileSync(join(dir, 'cbeff-signed.bin'), parsed.signed);
  writeFileSync(join(dir, 'cbeff-sb.der'), parsed.signatureBlock);
  writeFileSync(join(dir, 'cbeff-signer.pem'), signerPem);
  writeFileSync(join(dir, 'cbeff-chain.pem'), chainPem);
  const r = await run('openssl', [
    'cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'cbeff-sb.der'), '-content', join(dir, 'cbeff-signed.bin'),
    '-certfile', join(dir, 'cbeff-signer.pem'), '-CAfile', join(dir, 'cbeff-chain.pem'), '-purpose', 'any', '-out', '/dev/null',
  ]);
  const asn1 = await run('openssl', ['asn1parse', '-inform', 'DER', '-in', join(dir, 'cbeff-sb.der')]);
  return { verified: r.code === 0 && /Verification successful/.test(r.stderr), output: r.stderr, asn1: asn1.stdout };
}

/** The OCTET STRING value (hex) openssl asn1parse shows right after attribute type `oid`. */
export function signedAttribute(asn1: string, oid: string): string | undefined {
  const lines = asn1.split('\n');
  const at = lines.findIndex((l) => l.includes(`OBJECT            :${oid}`) || l.trimEnd().endsWith(`:${oid}`));
  if (at < 0) return undefined;
  for (const l of lines.slice(at + 1, at + 4)) {
    const m = /OCTET STRING\s+\[HEX DUMP\]:([0-9A-F]+)/.exec(l);
    if (m) return m[1];
  }
  return undefined;
}
