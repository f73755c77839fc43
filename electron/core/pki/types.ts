/**
 * Shapes shared by the PKI modules.
 *
 * `CardPublicKey` is structurally identical to the type of the same name in
 * electron/core/piv/public-key.ts (kept separate so pki/ does not depend on piv/).
 */
import type { KeyAlgorithm } from '../piv/constants.js';

/**
 * A public key generated on a card.
 * - `algorithm`: the on-card algorithm (SP 800-73-4 Part 1 Table 5: RSA-2048, P-256, P-384)
 * - `spki`: DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7)
 */
export interface CardPublicKey {
  algorithm: KeyAlgorithm;
  spki: Uint8Array;
}
