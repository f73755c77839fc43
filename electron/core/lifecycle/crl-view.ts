/**
 * The station's view of a CRL (RFC 5280 §5): number, validity and entries
 * with their reason, read from the DER the CA published, so what the officer
 * sees is exactly what relying parties download.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { CRLNumber } from '@peculiar/asn1-x509';
import { x509 } from '../pki/x509-setup.js';
import { Oid } from '../pki/oids.js';
import { StationError } from '../errors.js';

/** One revoked (or held) certificate on the CRL. */
export interface CrlEntryView {
  /** Serial number, uppercase hex (as the certificates table stores it). */
  serial: string;
  /** RFC 5280 reason name (keyCompromise, certificateHold, …); 'unspecified' when the entry has none. */
  reason: string;
  /** ISO-8601 UTC. */
  revokedAt: string;
}

/** A CRL as the station shows it. */
export interface CrlView {
  crlNumber: number | null;
  issuer: string;
  /** ISO-8601 UTC. */
  thisUpdate: string;
  nextUpdate: string | null;
  entries: CrlEntryView[];
}

/**
 * Decodes a DER CRL.
 * @throws StationError CA_ERROR when the bytes are not a CRL
 */
export function describeCrl(der: Uint8Array): CrlView {
  let crl: InstanceType<typeof x509.X509Crl>;
  try {
    crl = new x509.X509Crl(der);
  } catch {
    throw new StationError('CA_ERROR', 'The published CRL cannot be read.');
  }
  const numberExt = crl.getExtension(Oid.EXT_CRL_NUMBER);
  let crlNumber: number | null = null;
  if (numberExt) {
    const n = AsnConvert.parse(numberExt.value, CRLNumber).value;
    crlNumber = typeof n === 'number' ? n : Number(n);
  }
  return {
    crlNumber,
    issuer: crl.issuer,
    thisUpdate: crl.thisUpdate.toISOString(),
    nextUpdate: crl.nextUpdate ? crl.nextUpdate.toISOString() : null,
    entries: crl.entries.map((e) => ({
      serial: e.serialNumber.toUpperCase(),
      reason: e.reason === undefined ? 'unspecified' : (x509.X509CrlReason[e.reason] ?? 'unspecified'),
      revokedAt: e.revocationDate.toISOString(),
    })),
  };
}
