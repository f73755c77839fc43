/**
 * X.509 certificate containers (5FC105 9A, 5FC10A 9C, 5FC10B 9D, 5FC101 9E,
 * retired 5FC10D–5FC120; SP 800-73-4 Part 1 Tables 10, 15–17):
 * `70 <DER certificate>`, `71 01 <CertInfo>`, `FE 00`.
 * CertInfo bit 0 (CompressionTypeMsb) set = the certificate is gzip-compressed.
 */
import { gunzipSync } from 'node:zlib';
import { StationError } from '../../errors.js';
import { Tag } from '../constants.js';
import { concatBytes, decodeTlvs, encodeLength, encodeTlv, findTlv } from '../tlv.js';

/** CertInfo: uncompressed, and the gzip flag bit (Part 1 Appendix A). */
export const CERT_INFO_UNCOMPRESSED = 0x00;
export const CERT_INFO_GZIP = 0x01;
/** DER SEQUENCE tag: a certificate starts with it. */
const DER_SEQUENCE = 0x30;

function malformed(why: string): StationError {
  return new StationError('MALFORMED_RESPONSE', `The card's certificate container is not usable (${why}).`);
}

/**
 * Encodes a certificate container (content inside `53`), uncompressed.
 * @param certDer DER X.509 certificate
 * @throws StationError INVALID_INPUT when `certDer` is not a DER SEQUENCE
 */
export function encodeCertContainer(certDer: Uint8Array): Uint8Array {
  if (certDer.length === 0 || certDer[0] !== DER_SEQUENCE) {
    throw new StationError('INVALID_INPUT', 'The certificate is not DER encoded.', { field: 'certDer' });
  }
  return concatBytes(
    encodeTlv(Tag.CERTIFICATE, certDer),
    encodeTlv(Tag.CERT_INFO, Uint8Array.of(CERT_INFO_UNCOMPRESSED)),
    encodeTlv(Tag.ERROR_DETECTION_CODE),
  );
}

/** Length of the container {@link encodeCertContainer} makes for a certificate of `certLength` bytes. */
export function certContainerLength(certLength: number): number {
  const certInfo = 3; // 71 01 00
  const errorDetectionCode = 2; // FE 00
  return 1 + encodeLength(certLength).length + certLength + certInfo + errorDetectionCode;
}

/**
 * Extracts the DER certificate from a container, gunzipping when CertInfo says so.
 * @throws StationError MALFORMED_RESPONSE when `70` is missing, gzip fails or the result is not DER
 */
export function decodeCertContainer(b: Uint8Array): Uint8Array {
  const tlvs = decodeTlvs(b);
  const cert = findTlv(tlvs, Tag.CERTIFICATE);
  if (!cert || cert.length === 0) throw malformed('no certificate');
  const info = findTlv(tlvs, Tag.CERT_INFO);
  let der: Uint8Array = cert;
  if (info && info.length > 0 && (info[0]! & CERT_INFO_GZIP) !== 0) {
    try {
      der = new Uint8Array(gunzipSync(cert));
    } catch {
      throw malformed('compressed data is corrupt');
    }
  }
  if (der[0] !== DER_SEQUENCE) throw malformed('not DER');
  return der.slice();
}
