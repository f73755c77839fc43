/**
 * Why a card is terminated, as the officer says it, and the CRL reason code
 * its certificates are revoked with (RFC 5280 §5.3.1).
 *
 * Mapping (Federal PKI practice, X.509 Certificate Policy for the U.S. Federal
 * PKI Common Policy Framework §4.9.1: a lost or stolen token means its private
 * keys may be in someone else's hands):
 * - lost, stolen, key-compromise → keyCompromise (relying parties must distrust
 *   signatures made with the keys, not just stop accepting new ones);
 * - damaged → superseded (the keys are destroyed with the card and a
 *   replacement takes over; nothing suggests compromise);
 * - left (the cardholder left the organization) → affiliationChanged (the
 *   subject's relation to the issuer ended).
 * Recycling a returned card revokes with cessationOfOperation (the card is no
 * longer used for its purpose) — see {@link RECYCLE_CRL_REASON}.
 */
import type { RevocationReason } from '../pki/ca.js';

/** The reasons an officer may give for terminating a card. */
export const TERMINATION_REASONS = ['lost', 'stolen', 'damaged', 'left', 'key-compromise'] as const;
export type TerminationReason = (typeof TERMINATION_REASONS)[number];

/** Termination reason → CRL reason code (see the module comment for the why). */
export const CRL_REASON_FOR: Readonly<Record<TerminationReason, RevocationReason>> = {
  lost: 'keyCompromise',
  stolen: 'keyCompromise',
  'key-compromise': 'keyCompromise',
  damaged: 'superseded',
  left: 'affiliationChanged',
};

/** CRL reason for the certificates of a card recycled at the desk. */
export const RECYCLE_CRL_REASON: RevocationReason = 'cessationOfOperation';

/** Reasons for which a replacement card may be reissued in one flow (issue 5 "Reissue/replace"). */
export const REISSUE_REASONS = ['lost', 'stolen', 'damaged'] as const satisfies readonly TerminationReason[];
export type ReissueReason = (typeof REISSUE_REASONS)[number];
