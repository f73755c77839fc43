/**
 * F9 ATTEST (YubiKey, piv-reference §2): `00 F9 <slot> 00` → DER certificate of
 * the slot's public key, signed by the card's attestation key. Only keys
 * generated on the card can be attested (imported → 6A80; empty → 6A88).
 */
import { ObjectTag, Sw, Tag } from '../../../electron/core/piv/constants.js';
import { concatBytes, encodeTlv, fromHex, toHex } from '../../../electron/core/piv/tlv.js';
import { fail, type CommandApdu } from '../apdu.js';
import { newAttestationKey, selfSignedAttestationCertificate, slotAttestationCertificate } from '../attestation.js';
import { KeyOrigin } from '../card-constants.js';
import { privateKeyOf } from '../slot-crypto.js';
import { keyRefId, objectId } from '../state.js';
import type { CardContext } from './context.js';
import { isAsymmetricKeyRef } from './key-refs.js';

/** CertInfo "uncompressed" byte of a certificate container (73-1 App. A). */
const CERT_INFO_UNCOMPRESSED = 0x00;

/**
 * Makes sure the card has its attestation key and certificate (created on
 * first use, then persisted; kept across FB RESET). Also stores the
 * certificate in object 5FFF01 as a certificate container.
 */
export async function ensureAttestation(ctx: CardContext): Promise<{ pkcs8: string }> {
  const s = ctx.state;
  if (!s.attestation) {
    const pkcs8 = newAttestationKey();
    const cert = await selfSignedAttestationCertificate(pkcs8, s.serial);
    s.attestation = { pkcs8, certificate: toHex(cert) };
  }
  const id = objectId(ObjectTag.YUBICO_ATTESTATION_CERT);
  if (s.objects[id] === undefined) {
    const container = concatBytes(
      encodeTlv(Tag.CERTIFICATE, fromHex(s.attestation.certificate)),
      encodeTlv(Tag.CERT_INFO, Uint8Array.of(CERT_INFO_UNCOMPRESSED)),
      encodeTlv(Tag.ERROR_DETECTION_CODE),
    );
    s.objects[id] = toHex(container);
  }
  return s.attestation;
}

/** F9 ATTEST. */
export async function attest(cmd: CommandApdu, ctx: CardContext): Promise<Uint8Array> {
  if (cmd.p2 !== 0 || !isAsymmetricKeyRef(cmd.p1)) fail(Sw.INCORRECT_P1P2);
  const slot = ctx.state.keys[keyRefId(cmd.p1)];
  if (!slot) fail(Sw.REFERENCE_NOT_FOUND);
  if (slot.origin !== KeyOrigin.GENERATED) fail(Sw.INCORRECT_DATA);
  const attestation = await ensureAttestation(ctx);
  return slotAttestationCertificate({
    attestationPkcs8: attestation.pkcs8,
    serial: ctx.state.serial,
    slotRef: cmd.p1,
    algorithm: slot.algorithm,
    key: privateKeyOf(slot),
    policy: [slot.pinPolicy, slot.touchPolicy],
  });
}
