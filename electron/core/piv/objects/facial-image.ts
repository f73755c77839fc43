/**
 * Cardholder Facial Image, 5FC108 / ContainerID 6030 (SP 800-73-4 Part 1 §3.1.6, Table 13;
 * mandatory per FIPS 201-3 §4.2, PIN-protected to read): `BC` the image for visual verification,
 * a CBEFF structure, then `FE 00`.
 *
 * The `BC` value is SP 800-76-2's PIV CBEFF structure (§9, "Common Biometric Exchange Formats
 * Framework compliance"): the 88-byte PIV patron-format header (Table 7), the biometric data block,
 * and the CBEFF signature block (a detached CMS SignedData over header ‖ data block, signed by the
 * content signer with pivFASC-N and entryUUID; pki/content-signer.ts).
 *
 * Header layout, big-endian (SP 800-76-2 Table 7; field sizes as in NIST's biomdi `piv.h`, dates as
 * GSA's PIV conformance tool reads them: each byte one binary value 0–99, i.e. two decimal digits,
 * YY YY MM DD hh mm ss then 'Z'):
 *   0 patron header version 1 = 03 · 1 SBH security options 1 = 0D (signed, not encrypted)
 *   2 BDB length 4 · 6 SB length 2 · 8 BDB format owner 2 = 001B (INCITS M1)
 *   10 BDB format type 2 = 0501 (facial image) · 12 biometric creation date 8
 *   20 validity period 16 (not before, not after) · 36 biometric type 3 = 000002 (face)
 *   39 biometric data type 1 = 0x20 (raw image) · 40 biometric data quality 1, signed = −2 (not set)
 *   41 creator 18 (ASCII, NUL-terminated) · 59 FASC-N 25 (the CHUID's) · 84 reserved 4 = 0
 *
 * The data block is a face record in the binary format of INCITS 385-2004 / ISO/IEC 19794-5:2005
 * (identical layouts; SP 800-76-2 §7 profiles it for PIV): record header "FAC\0" "010\0", record
 * length (4), number of images (2); facial information (20 bytes: data length 4, feature points 2,
 * gender, eye colour, hair colour, feature mask 3, expression 2, pose angles 3, pose uncertainty 3);
 * image information (12 bytes: face image type, image data type, width 2, height 2, colour space,
 * source type, device type 2, quality 2); the image (JPEG).
 */
import { StationError } from '../../errors.js';
import { Tag } from '../constants.js';
import { concatBytes, decodeTlvs, encodeTlv, findTlv } from '../tlv.js';

/** Facial Image object element tags (Part 1 Table 13). */
export const FacialImageTag = { IMAGE_FOR_VISUAL_VERIFICATION: 0xbc } as const;

/** CBEFF header length (SP 800-76-2 Table 7). */
export const CBEFF_HEADER_LENGTH = 88;
/** SP 800-76-2 Table 7 values for a facial image. */
export const CbeffValue = {
  PATRON_HEADER_VERSION: 0x03,
  /** Signed (digital signature), not encrypted. */
  SBH_SECURITY_OPTIONS: 0x0d,
  /** INCITS Technical Committee M1. */
  BDB_FORMAT_OWNER: 0x001b,
  /** INCITS 385 / ISO/IEC 19794-5 facial image record. */
  BDB_FORMAT_TYPE_FACE: 0x0501,
  BIOMETRIC_TYPE_FACE: 0x000002,
  /** Raw (image) data: the top three bits b001. */
  DATA_TYPE_RAW: 0x20,
  /** Quality "not set" (CBEFF −2): facial images carry no quality score. */
  QUALITY_NOT_SET: -2,
} as const;
const CREATOR_LENGTH = 18;
const FASCN_LENGTH = 25;

/** The header fields the station writes and reads. */
export interface CbeffHeader {
  patronHeaderVersion: number;
  securityOptions: number;
  bdbLength: number;
  sbLength: number;
  formatOwner: number;
  formatType: number;
  created: Date;
  validFrom: Date;
  validTo: Date;
  biometricType: number;
  dataType: number;
  quality: number;
  creator: string;
  fascn: Uint8Array;
}

/** Face record constants (INCITS 385-2004 / ISO/IEC 19794-5:2005 §5). */
const FACE_FORMAT_ID = Uint8Array.of(0x46, 0x41, 0x43, 0x00); // "FAC\0"
const FACE_VERSION = Uint8Array.of(0x30, 0x31, 0x30, 0x00); // "010\0"
const FACE_HEADER_LENGTH = 14;
const FACIAL_INFORMATION_LENGTH = 20;
const IMAGE_INFORMATION_LENGTH = 12;
/** Face image type: full frontal (19794-5:2005 §5.7.1). */
export const FACE_IMAGE_TYPE_FULL_FRONTAL = 1;
/** Image data type: JPEG (§5.7.2). */
export const IMAGE_DATA_TYPE_JPEG = 0;
/** Colour space: 24-bit RGB (§5.7.5). */
const COLOUR_SPACE_RGB24 = 1;
/** Source type (§5.7.6): 1 static photograph from an unknown source, 6 single video frame from a digital camera. */
export const FaceSourceType = { STATIC_PHOTO_UNKNOWN: 1, VIDEO_FRAME_DIGITAL: 6 } as const;

/** A face image for the record. */
export interface FaceImage {
  /** JPEG bytes. */
  jpeg: Uint8Array;
  width: number;
  height: number;
  /** {@link FaceSourceType}. */
  sourceType: number;
}

/** What a face record says. */
export interface FaceRecord {
  faceImageType: number;
  imageDataType: number;
  width: number;
  height: number;
  sourceType: number;
  image: Uint8Array;
}

function malformed(what: string): StationError {
  return new StationError('MALFORMED_RESPONSE', `The card's facial image ${what}.`);
}

/** CBEFF date: YY YY MM DD hh mm ss 'Z', each number one byte (UTC). */
function encodeDate(d: Date): Uint8Array {
  const y = d.getUTCFullYear();
  return Uint8Array.of(Math.floor(y / 100), y % 100, d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), 0x5a);
}

function decodeDate(b: Uint8Array): Date {
  if (b[7] !== 0x5a || b.slice(0, 7).some((v) => v > 99)) throw malformed('header has a malformed date');
  return new Date(Date.UTC(b[0]! * 100 + b[1]!, b[2]! - 1, b[3]!, b[4]!, b[5]!, b[6]!));
}

/**
 * Encodes the 88-byte PIV CBEFF header.
 * @throws StationError INVALID_INPUT when the FASC-N is not 25 bytes or the creator not ≤ 17 ASCII characters
 */
export function encodeCbeffHeader(h: CbeffHeader): Uint8Array {
  if (h.fascn.length !== FASCN_LENGTH) throw new StationError('INVALID_INPUT', 'The CBEFF header needs the 25-byte FASC-N.');
  if (h.creator.length >= CREATOR_LENGTH || !/^[\x20-\x7e]*$/.test(h.creator)) throw new StationError('INVALID_INPUT', 'The CBEFF creator is at most 17 ASCII characters.');
  const out = new Uint8Array(CBEFF_HEADER_LENGTH);
  const v = new DataView(out.buffer);
  v.setUint8(0, h.patronHeaderVersion);
  v.setUint8(1, h.securityOptions);
  v.setUint32(2, h.bdbLength);
  v.setUint16(6, h.sbLength);
  v.setUint16(8, h.formatOwner);
  v.setUint16(10, h.formatType);
  out.set(encodeDate(h.created), 12);
  out.set(encodeDate(h.validFrom), 20);
  out.set(encodeDate(h.validTo), 28);
  out.set([(h.biometricType >> 16) & 0xff, (h.biometricType >> 8) & 0xff, h.biometricType & 0xff], 36);
  v.setUint8(39, h.dataType);
  v.setInt8(40, h.quality);
  out.set(new TextEncoder().encode(h.creator), 41); // the rest of the 18 bytes stays NUL
  out.set(h.fascn, 59);
  // 84–87 reserved, zero.
  return out;
}

/**
 * Decodes the 88-byte PIV CBEFF header.
 * @throws StationError MALFORMED_RESPONSE when too short, a date is malformed or the reserved bytes are not zero
 */
export function decodeCbeffHeader(b: Uint8Array): CbeffHeader {
  if (b.length < CBEFF_HEADER_LENGTH) throw malformed('CBEFF header is too short');
  const v = new DataView(b.buffer, b.byteOffset, CBEFF_HEADER_LENGTH);
  if (v.getUint32(84) !== 0) throw malformed('CBEFF header has non-zero reserved bytes');
  const creatorBytes = b.slice(41, 41 + CREATOR_LENGTH);
  const nul = creatorBytes.indexOf(0);
  return {
    patronHeaderVersion: v.getUint8(0),
    securityOptions: v.getUint8(1),
    bdbLength: v.getUint32(2),
    sbLength: v.getUint16(6),
    formatOwner: v.getUint16(8),
    formatType: v.getUint16(10),
    created: decodeDate(b.slice(12, 20)),
    validFrom: decodeDate(b.slice(20, 28)),
    validTo: decodeDate(b.slice(28, 36)),
    biometricType: (b[36]! << 16) | (b[37]! << 8) | b[38]!,
    dataType: v.getUint8(39),
    quality: v.getInt8(40),
    creator: new TextDecoder().decode(creatorBytes.slice(0, nul === -1 ? CREATOR_LENGTH : nul)),
    fascn: b.slice(59, 59 + FASCN_LENGTH),
  };
}

/** Encodes one full-frontal JPEG face as an INCITS 385 / ISO/IEC 19794-5:2005 record. */
export function encodeFaceRecord(face: FaceImage): Uint8Array {
  const dataLength = FACIAL_INFORMATION_LENGTH + IMAGE_INFORMATION_LENGTH + face.jpeg.length;
  const out = new Uint8Array(FACE_HEADER_LENGTH + dataLength);
  const v = new DataView(out.buffer);
  out.set(FACE_FORMAT_ID, 0);
  out.set(FACE_VERSION, 4);
  v.setUint32(8, out.length);
  v.setUint16(12, 1); // one facial image
  let o = FACE_HEADER_LENGTH;
  v.setUint32(o, dataLength);
  // Feature points 0; gender, eye colour, hair colour unspecified (0); feature mask, expression, pose angles and uncertainty unspecified (0).
  o += FACIAL_INFORMATION_LENGTH;
  v.setUint8(o, FACE_IMAGE_TYPE_FULL_FRONTAL);
  v.setUint8(o + 1, IMAGE_DATA_TYPE_JPEG);
  v.setUint16(o + 2, face.width);
  v.setUint16(o + 4, face.height);
  v.setUint8(o + 6, COLOUR_SPACE_RGB24);
  v.setUint8(o + 7, face.sourceType);
  // Device type and quality unspecified (0).
  o += IMAGE_INFORMATION_LENGTH;
  out.set(face.jpeg, o);
  return out;
}

/**
 * Decodes a face record holding one image (feature points skipped).
 * @throws StationError MALFORMED_RESPONSE on a wrong format identifier or inconsistent lengths
 */
export function decodeFaceRecord(b: Uint8Array): FaceRecord {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < FACE_HEADER_LENGTH + FACIAL_INFORMATION_LENGTH + IMAGE_INFORMATION_LENGTH) throw malformed('record is too short');
  if (!FACE_FORMAT_ID.every((x, i) => b[i] === x)) throw malformed('record is not a face record (FAC)');
  if (v.getUint32(8) !== b.length || v.getUint16(12) < 1) throw malformed('record length is inconsistent');
  let o = FACE_HEADER_LENGTH;
  const dataLength = v.getUint32(o);
  const points = v.getUint16(o + 4);
  const imageInfo = o + FACIAL_INFORMATION_LENGTH + points * 8;
  const imageStart = imageInfo + IMAGE_INFORMATION_LENGTH;
  const imageEnd = o + dataLength;
  if (imageEnd > b.length || imageStart > imageEnd) throw malformed('record data length is inconsistent');
  o = imageInfo;
  return {
    faceImageType: v.getUint8(o),
    imageDataType: v.getUint8(o + 1),
    width: v.getUint16(o + 2),
    height: v.getUint16(o + 4),
    sourceType: v.getUint8(o + 7),
    image: b.slice(imageStart, imageEnd),
  };
}

/** The parts of a PIV CBEFF structure. */
export interface CbeffParts {
  header: CbeffHeader;
  /** The header's 88 bytes as stored (the signature covers them). */
  headerBytes: Uint8Array;
  dataBlock: Uint8Array;
  signatureBlock: Uint8Array;
}

/**
 * Splits a PIV CBEFF structure into header, data block and signature block.
 * @throws StationError MALFORMED_RESPONSE when the lengths in the header do not match
 */
export function splitCbeff(cbeff: Uint8Array): CbeffParts {
  const header = decodeCbeffHeader(cbeff);
  const end = CBEFF_HEADER_LENGTH + header.bdbLength + header.sbLength;
  if (end !== cbeff.length) throw malformed('CBEFF lengths do not match its size');
  return {
    header,
    headerBytes: cbeff.slice(0, CBEFF_HEADER_LENGTH),
    dataBlock: cbeff.slice(CBEFF_HEADER_LENGTH, CBEFF_HEADER_LENGTH + header.bdbLength),
    signatureBlock: cbeff.slice(CBEFF_HEADER_LENGTH + header.bdbLength, end),
  };
}

/** What the station puts in a facial image. */
export interface FacialImageInput {
  face: FaceImage;
  /** The card's FASC-N (25 bytes) and UUID (16 bytes), as in its CHUID. */
  fascn: Uint8Array;
  cardUuid: Uint8Array;
  created: Date;
  /** End of the validity period: the card's expiration. */
  validTo: Date;
  /** CBEFF creator, ≤ 17 ASCII characters. */
  creator: string;
  /** Signs header ‖ data block; returns the CBEFF signature block. */
  sign(signed: Uint8Array, fascn: Uint8Array, cardUuid: Uint8Array): Promise<Uint8Array>;
}

/** The header and data block a facial image's signature covers (the signature block length is needed first). */
function signedPart(input: FacialImageInput, dataBlock: Uint8Array, sbLength: number): Uint8Array {
  const header = encodeCbeffHeader({
    patronHeaderVersion: CbeffValue.PATRON_HEADER_VERSION,
    securityOptions: CbeffValue.SBH_SECURITY_OPTIONS,
    bdbLength: dataBlock.length,
    sbLength,
    formatOwner: CbeffValue.BDB_FORMAT_OWNER,
    formatType: CbeffValue.BDB_FORMAT_TYPE_FACE,
    created: input.created,
    validFrom: input.created,
    validTo: input.validTo,
    biometricType: CbeffValue.BIOMETRIC_TYPE_FACE,
    dataType: CbeffValue.DATA_TYPE_RAW,
    quality: CbeffValue.QUALITY_NOT_SET,
    creator: input.creator,
    fascn: input.fascn,
  });
  return concatBytes(header, dataBlock);
}

/** How often the signature block is signed before its length is given up on (see buildFacialImage). */
const SIGNATURE_LENGTH_TRIES = 64;

/**
 * Builds the Facial Image object's content (inside `53`): `BC` CBEFF structure, `FE 00`.
 *
 * The header names the signature block's length and the signature covers the header, so the block
 * is signed once to learn its length, then again over the header with that length; an ECDSA
 * signature may come out a byte shorter or longer, so it is signed until the length matches.
 * A P-256 signature's DER length is 70, 71 or 72 bytes with odds ¼, ½, ¼ (r and s each carry a
 * leading zero half the time), so one signing matches the previous length with odds ⅜: 64 tries
 * leave about 1 in 10¹³ unsettled (8 left about 1 build in 40).
 * @throws StationError INVALID_INPUT (header fields), INTERNAL when the length never settles
 */
export async function buildFacialImage(input: FacialImageInput): Promise<Uint8Array> {
  const dataBlock = encodeFaceRecord(input.face);
  let sbLength = (await input.sign(signedPart(input, dataBlock, 0), input.fascn, input.cardUuid)).length;
  for (let attempt = 0; attempt < SIGNATURE_LENGTH_TRIES; attempt++) {
    const signed = signedPart(input, dataBlock, sbLength);
    const block = await input.sign(signed, input.fascn, input.cardUuid);
    if (block.length === sbLength) {
      return concatBytes(encodeTlv(FacialImageTag.IMAGE_FOR_VISUAL_VERIFICATION, concatBytes(signed, block)), encodeTlv(Tag.ERROR_DETECTION_CODE));
    }
    sbLength = block.length;
  }
  throw new StationError('INTERNAL', 'The facial image signature length did not settle.');
}

/**
 * The CBEFF structure (`BC` value) of a Facial Image object's content.
 * @throws StationError MALFORMED_RESPONSE when `BC` is missing
 */
export function facialImageCbeff(content: Uint8Array): Uint8Array {
  const bc = findTlv(decodeTlvs(content), FacialImageTag.IMAGE_FOR_VISUAL_VERIFICATION);
  if (!bc) throw malformed('object has no image for visual verification (BC)');
  return bc.slice();
}
