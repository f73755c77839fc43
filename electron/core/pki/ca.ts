/**
 * The CertificateAuthority seam (DESIGN.md "The seams"): the production job asks
 * it for certificates and revocations; the embedded LocalCa implements it, and
 * remote CAs can plug in behind the same interface.
 */
import type { PivSlot } from '../piv/constants.js';
import type { CardPublicKey } from './types.js';

/** CRL reason codes the station uses (RFC 5280 §5.3.1). `certificateHold` is reversible. */
export type RevocationReason =
  | 'unspecified'
  | 'keyCompromise'
  | 'affiliationChanged'
  | 'superseded'
  | 'cessationOfOperation'
  | 'certificateHold';

/** A request for one slot's certificate. */
export interface IssueRequest {
  slot: PivSlot;
  /** The public key generated on the card for this slot. */
  publicKey: CardPublicKey;
  /** PKCS#10 signed on the card; when given it is verified and its key must equal `publicKey`. */
  csrDer?: Uint8Array;
  holder: { givenName: string; surname: string; email?: string; affiliation: 'employee' | 'contractor' | 'visitor' };
  /** CHUID FASC-N, 25 bytes (SP 800-73-4 Part 1 §3.1.2). */
  fascn: Uint8Array;
  /** CHUID GUID as a canonical UUID string (8-4-4-4-12 hex). */
  cardUuid: string;
  /** Latest acceptable notAfter (the station sets it ≤ the CHUID expiration date). */
  notAfter: Date;
}

/** A certificate the CA issued. */
export interface IssuedCertificate {
  der: Uint8Array;
  /** Serial number, lowercase hex without separators. */
  serial: string;
  notBefore: Date;
  notAfter: Date;
  slot: string;
}

/** Certificate status as the CA knows it. */
export type CertificateStatus = 'valid' | 'revoked' | 'hold' | 'unknown';

/** What the station needs from a CA. Every method throws StationError CA_ERROR when the CA refuses or fails. */
export interface CertificateAuthority {
  issue(req: IssueRequest): Promise<IssuedCertificate>;
  revoke(serial: string, reason: RevocationReason): Promise<void>;
  status(serial: string): Promise<CertificateStatus>;
  /** Current CRL of the issuing CA, DER. */
  crl(): Promise<Uint8Array>;
  /** DER certificates of the root and issuing CA. */
  trustAnchors(): Promise<{ root: Uint8Array; issuing: Uint8Array }>;
  /**
   * Optional: the DER size of the certificate `issue` would make for `req`,
   * without issuing it, so production can refuse a card that has no room for
   * it before any key is generated. A CA without it skips that check.
   */
  certificateSize?(req: Omit<IssueRequest, 'csrDer'>): Promise<number>;
}
