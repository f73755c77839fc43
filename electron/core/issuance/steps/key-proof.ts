/**
 * Proves that a slot holds the private key of a recorded public key, without
 * changing anything on the card (DESIGN.md table, row "per slot: generate").
 *
 * With GET METADATA (YubiKey extension F7, tag 04) the card reports the slot's
 * public key: no PIN, no signature. Otherwise the slot signs a fresh challenge
 * (or, for an ECDH-only 9D key, agrees a secret with an ephemeral key) and the
 * result is checked with the recorded public key.
 */
import { createPublicKey, randomBytes, verify, diffieHellman, generateKeyPairSync } from 'node:crypto';
import { SLOT_KEY_REF, type PivSlot } from '../../piv/constants.js';
import type { CardPublicKey } from '../../piv/public-key.js';
import { signWithCard } from '../../piv/card-signer.js';
import { bytesEqual } from '../../piv/tlv.js';
import { isStationError } from '../../errors.js';
import type { StepContext } from '../job-types.js';
import { verifyCurrentPin } from '../card-secrets.js';

/** Slots whose use needs the PIN (SP 800-73-4 Part 1 Table 4b): all but 9E. */
export function slotNeedsPin(slot: PivSlot): boolean {
  return slot !== '9E';
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
 * Signs a fresh challenge with the slot (PIN verified first where needed) and
 * verifies it with `key`; for an ECDH-only 9D, runs ECDH against an ephemeral
 * key and compares the shared secret computed on the host.
 * @returns true when the card's key matches `key`
 */
export async function provesKeyByUse(ctx: StepContext, slot: PivSlot, key: CardPublicKey): Promise<boolean> {
  const publicKey = createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' });
  if (slotNeedsPin(slot)) await verifyCurrentPin(ctx);
  if (isKeyAgreementOnly(slot, key)) {
    const curve = key.algorithm === 'P384' ? 'secp384r1' : 'prime256v1';
    const ephemeral = generateKeyPairSync('ec', { namedCurve: curve });
    const point = ephemeral.publicKey.export({ format: 'jwk' });
    const x = Buffer.from(point.x!, 'base64url');
    const y = Buffer.from(point.y!, 'base64url');
    const peerPoint = new Uint8Array(Buffer.concat([Buffer.of(0x04), x, y]));
    const onCard = await ctx.session.ecdh(slot, key.algorithm as 'P256' | 'P384', peerPoint);
    const expected = diffieHellman({ privateKey: ephemeral.privateKey, publicKey });
    return bytesEqual(onCard, new Uint8Array(expected));
  }
  const challenge = new Uint8Array(randomBytes(32));
  const signature = await signWithCard(ctx.session, slot, key, challenge, hashFor(key));
  return verify(hashFor(key), challenge, { key: publicKey, dsaEncoding: 'der' }, signature);
}

/**
 * True when the slot holds the key `key`. Uses GET METADATA where the card has
 * it, else a signature/agreement. A slot with no key answers false.
 */
export async function slotHoldsKey(ctx: StepContext, slot: PivSlot, key: CardPublicKey): Promise<boolean> {
  try {
    if (ctx.identity.supportsMetadata) {
      const meta = await ctx.session.getMetadata(SLOT_KEY_REF[slot]);
      return !!meta?.publicKey && bytesEqual(meta.publicKey.spki, key.spki);
    }
    return await provesKeyByUse(ctx, slot, key);
  } catch (e) {
    if (isStationError(e, 'NO_KEY', 'NOT_FOUND')) return false;
    throw e;
  }
}
