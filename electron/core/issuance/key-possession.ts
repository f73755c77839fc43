/**
 * Proof that a card slot holds the private key of a public key, by use: the
 * slot signs a fresh challenge (SP 800-73-4 Part 2 §3.2.4, Appendix A.4), or,
 * for an ECDH-only key-management key, agrees a secret with an ephemeral key
 * (Appendix A.5.2) that the host computes too. The caller verifies the PIN
 * first where the slot needs it.
 */
import { createPublicKey, diffieHellman, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { KEY_ALGORITHM_NAMES, type PivSlot } from '../piv/constants.js';
import { isStationError, StationError } from '../errors.js';
import type { PivSession } from '../piv/session.js';
import type { CardPublicKey } from '../piv/public-key.js';
import { signWithCard } from '../piv/card-signer.js';
import { bytesEqual } from '../piv/tlv.js';

/** Slots whose use needs the PIN (SP 800-73-4 Part 1 Table 4b): all but 9E. */
export function slotNeedsPin(slot: PivSlot): boolean {
  return slot !== '9E';
}

/**
 * The Digital Signature key (9C): its access rule is "PIN Always" (SP 800-73-4
 * Part 1 §3.2, Table 4b), a VERIFY immediately before each use.
 */
export function pinAlways(slot: PivSlot): boolean {
  return slot === '9C';
}

/** True when the slot's key is an EC key-management key, which only does key agreement. */
export function isKeyAgreementOnly(slot: PivSlot, key: CardPublicKey): boolean {
  return slot === '9D' && key.algorithm !== 'RSA2048';
}

/** Node hash name for signatures with `key`'s algorithm (SP 800-78-4 Table 3-2). */
export function hashFor(key: CardPublicKey): 'SHA256' | 'SHA384' {
  return key.algorithm === 'P384' ? 'SHA384' : 'SHA256';
}

/**
 * Codes of a private-key operation the card refused for the key itself (6A80
 * data, 6A86/6B00 algorithm or reference, 6A81 not supported, 6985), as
 * opposed to a missing PIN (SECURITY_STATUS), an empty slot (NO_KEY) or a
 * transport failure.
 */
const KEY_USE_REFUSED = ['BAD_DATA', 'UNSUPPORTED', 'SW', 'CONDITIONS'] as const;

/**
 * Runs a private-key operation of the slot's key; a card that refuses it for
 * the key itself gets a sentence in words ("this card generated a P-384 key in
 * 9A but cannot sign with it"), never a raw status word.
 * @throws StationError CARD_INCAPABLE (not retryable), or what `operation` throws otherwise
 */
export async function useSlotKey<T>(slot: PivSlot, key: CardPublicKey, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (e) {
    if (!isStationError(e, ...KEY_USE_REFUSED)) throw e;
    const what = isKeyAgreementOnly(slot, key) ? 'agree a key' : 'sign';
    throw new StationError('CARD_INCAPABLE', `This card generated a ${KEY_ALGORITHM_NAMES[key.algorithm]} key in ${slot} but cannot ${what} with it.`, { ...e.details, slot }, false);
  }
}

/**
 * @returns how the key was proven, or undefined when the card's answer does
 *   not match `key` (another key is in the slot)
 * @throws StationError from the card (SECURITY_STATUS without PIN, NO_KEY, CARD_REMOVED…)
 */
export async function proveKeyByUse(session: PivSession, slot: PivSlot, key: CardPublicKey): Promise<'signature' | 'key-agreement' | undefined> {
  const publicKey = createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' });
  if (isKeyAgreementOnly(slot, key)) {
    const ephemeral = generateKeyPairSync('ec', { namedCurve: key.algorithm === 'P384' ? 'secp384r1' : 'prime256v1' });
    const jwk = ephemeral.publicKey.export({ format: 'jwk' });
    const point = new Uint8Array(Buffer.concat([Buffer.of(0x04), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]));
    const onCard = await useSlotKey(slot, key, () => session.ecdh(slot, key.algorithm as 'P256' | 'P384', point));
    return bytesEqual(onCard, new Uint8Array(diffieHellman({ privateKey: ephemeral.privateKey, publicKey }))) ? 'key-agreement' : undefined;
  }
  const challenge = new Uint8Array(randomBytes(32));
  const signature = await useSlotKey(slot, key, () => signWithCard(session, slot, key, challenge, hashFor(key)));
  return verify(hashFor(key), challenge, { key: publicKey, dsaEncoding: 'der' }, signature) ? 'signature' : undefined;
}
