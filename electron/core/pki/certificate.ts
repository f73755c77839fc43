/**
 * X.509 certificates that come from outside the station's own CA (read back
 * from a card, whose answers may be hostile): parsed in one place, so every
 * parser failure becomes a StationError instead of a foreign exception whose
 * text may quote the input (RFC 5280 §4.1 structure, parsed by @peculiar/x509).
 */
import { StationError } from '../errors.js';
import { x509 } from './x509-setup.js';

/** A parsed certificate. */
export type Certificate = InstanceType<typeof x509.X509Certificate>;

/**
 * Parses a DER certificate.
 * @param der  DER bytes (any length; nothing is assumed about them)
 * @param what the certificate's name in the error, e.g. "9A certificate"
 * @throws StationError MALFORMED_RESPONSE when the bytes are not a certificate
 */
export function readCertificate(der: Uint8Array, what: string): Certificate {
  try {
    const cert = new x509.X509Certificate(der);
    // @peculiar/x509 decodes some fields on first access: touch every one the station reads, so they fail here.
    void [cert.subject, cert.issuer, cert.serialNumber, cert.notBefore, cert.notAfter, cert.publicKey.rawData, cert.extensions];
    return cert;
  } catch {
    throw new StationError('MALFORMED_RESPONSE', `The ${what} is not a readable X.509 certificate.`);
  }
}
