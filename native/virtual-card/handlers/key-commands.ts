/**
 * Key management: GENERATE ASYMMETRIC KEY PAIR (SP 800-73-4 Part 2 §3.3.2),
 * and the YubiKey extensions IMPORT KEY (FE), GET METADATA (F7) and
 * MOVE / DELETE KEY (F6) (yubikit/piv.py `put_key`, `get_*_metadata`, `move_key`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { FactoryDefaults, KeyRef, MGMT_ALG_ID, MetadataTag, Sw, Tag } from '../../../electron/core/piv/constants.js';
import { concatBytes, decodeTlvs, encodeTlv, readTlv, toHex, type Tlv } from '../../../electron/core/piv/tlv.js';
import { fail, type CommandApdu } from '../apdu.js';
import {
  BIO_KEY_REF,
  ImportTag,
  KeyOrigin,
  METADATA_ALG_PIN,
  MgmtTouch,
  PinPolicy,
  RSA_PUBLIC_EXPONENT,
  TouchPolicy,
} from '../card-constants.js';
import {
  ALGORITHM_OF_MECHANISM,
  MECHANISM_OF_ALGORITHM,
  importEcKey,
  importRsaKey,
  isEc,
  pkcs8Of,
  privateKeyOf,
  publicKeyTemplateContent,
} from '../slot-crypto.js';
import { factoryManagementKey, keyRefId, paddedReference, type ReferenceDataState, type SlotAlgorithm } from '../state.js';
import type { CardContext } from './context.js';
import { isAsymmetricKeyRef, resolvePinPolicy, resolveTouchPolicy } from './key-refs.js';

/** Largest valid PIN / touch policy byte. */
const MAX_POLICY = 0x03;

function decodeOrFail(bytes: Uint8Array): Tlv[] {
  try {
    return decodeTlvs(bytes);
  } catch {
    return fail(Sw.INCORRECT_DATA);
  }
}

function policyByte(tlvs: Tlv[], tag: number): number | undefined {
  const t = tlvs.find((x) => x.tag === tag);
  if (!t) return undefined;
  if (t.value.length !== 1 || t.value[0]! > MAX_POLICY) fail(Sw.INCORRECT_DATA);
  return t.value[0];
}

function requireAdmin(ctx: CardContext): void {
  if (!ctx.security.managementAuthenticated) fail(Sw.SECURITY_STATUS_NOT_SATISFIED);
}

/**
 * GENERATE ASYMMETRIC KEY PAIR `00 47 00 <slot> Lc AC { 80 mech [81 e] [AA pin] [AB touch] }`
 * → `7F49 { 81 n 82 e }` or `7F49 { 86 point }`. Needs 9B. Replaces the slot's key.
 */
export async function generateKeyPair(cmd: CommandApdu, ctx: CardContext): Promise<Uint8Array> {
  if (cmd.p1 !== 0 || !isAsymmetricKeyRef(cmd.p2)) fail(Sw.INCORRECT_P1P2);
  requireAdmin(ctx);
  let control: Uint8Array;
  try {
    const outer = readTlv(cmd.data, 0);
    if (outer.tlv.tag !== Tag.CONTROL_REFERENCE || outer.next !== cmd.data.length) fail(Sw.INCORRECT_DATA);
    control = outer.tlv.value;
  } catch (e) {
    if (e instanceof Error && e.name === 'CardStatusError') throw e;
    return fail(Sw.INCORRECT_DATA);
  }
  const items = decodeOrFail(control);
  const mech = items.find((t) => t.tag === Tag.MECHANISM);
  if (!mech || mech.value.length !== 1) fail(Sw.INCORRECT_DATA);
  const alg = ALGORITHM_OF_MECHANISM.get(mech.value[0]!);
  // A mechanism the card does not generate is bad data in the control template (Part 2 §3.3.2).
  if (!alg || !ctx.state.personality.keyAlgorithms.includes(alg)) fail(Sw.INCORRECT_DATA);
  const exponent = items.find((t) => t.tag === Tag.PARAMETER);
  if (exponent && (isEc(alg) || Number(BigInt('0x' + (toHex(exponent.value) || '0'))) !== RSA_PUBLIC_EXPONENT)) {
    fail(Sw.INCORRECT_DATA);
  }
  const pinPolicy = resolvePinPolicy(cmd.p2, policyByte(items, Tag.PIN_POLICY));
  const touchPolicy = resolveTouchPolicy(policyByte(items, Tag.TOUCH_POLICY));
  if (ctx.keygenDelayMs > 0) await sleep(ctx.keygenDelayMs);
  const key = await ctx.generateKey(alg);
  ctx.state.keys[keyRefId(cmd.p2)] = { algorithm: alg, pkcs8: pkcs8Of(key), origin: KeyOrigin.GENERATED, pinPolicy, touchPolicy };
  return encodeTlv(Tag.PUBLIC_KEY, publicKeyTemplateContent(alg, key));
}

/**
 * IMPORT KEY (YubiKey) `00 FE <mech> <slot> Lc TLVs`: RSA `01 p 02 q 03 dP 04 dQ 05 qInv`
 * (e = 65537), EC `06 d`; optional `AA pin`, `AB touch`. Needs 9B.
 */
export function importKey(cmd: CommandApdu, ctx: CardContext): Uint8Array {
  if (!isAsymmetricKeyRef(cmd.p2)) fail(Sw.INCORRECT_P1P2);
  const alg: SlotAlgorithm | undefined = ALGORITHM_OF_MECHANISM.get(cmd.p1);
  if (!alg || !ctx.state.personality.keyAlgorithms.includes(alg)) fail(Sw.INCORRECT_P1P2);
  requireAdmin(ctx);
  const items = decodeOrFail(cmd.data);
  const part = (tag: number): Uint8Array => items.find((t) => t.tag === tag)?.value ?? fail(Sw.INCORRECT_DATA);
  const key = isEc(alg)
    ? importEcKey(alg, part(ImportTag.EC_PRIVATE))
    : importRsaKey(alg, {
        p: part(ImportTag.RSA_P),
        q: part(ImportTag.RSA_Q),
        dp: part(ImportTag.RSA_DP),
        dq: part(ImportTag.RSA_DQ),
        qinv: part(ImportTag.RSA_QINV),
      });
  const pinPolicy = resolvePinPolicy(cmd.p2, policyByte(items, Tag.PIN_POLICY));
  const touchPolicy = resolveTouchPolicy(policyByte(items, Tag.TOUCH_POLICY));
  ctx.state.keys[keyRefId(cmd.p2)] = { algorithm: alg, pkcs8: pkcs8Of(key), origin: KeyOrigin.IMPORTED, pinPolicy, touchPolicy };
  return new Uint8Array(0);
}

/** MOVE KEY P1 that deletes the key instead of moving it (yubikit `delete_key`). */
const MOVE_KEY_DELETE = 0xff;

/**
 * MOVE / DELETE KEY (YubiKey ≥ 5.7, INS F6) `00 F6 <to> <from>`: moves the key in
 * `from` to the empty slot `to`, or deletes it when `to` is FF. Needs 9B.
 * Yubico documents that the destination must be empty; the status word a
 * YubiKey answers otherwise is not documented, this card answers 6A80.
 * Certificates are objects and stay where they are.
 */
export function moveKey(cmd: CommandApdu, ctx: CardContext): Uint8Array {
  const to = cmd.p1;
  const from = cmd.p2;
  if (!isAsymmetricKeyRef(from) || (to !== MOVE_KEY_DELETE && (!isAsymmetricKeyRef(to) || to === from))) fail(Sw.INCORRECT_P1P2);
  requireAdmin(ctx);
  const keys = ctx.state.keys;
  const key = keys[keyRefId(from)];
  if (!key) fail(Sw.REFERENCE_NOT_FOUND);
  if (to !== MOVE_KEY_DELETE) {
    if (keys[keyRefId(to)]) fail(Sw.INCORRECT_DATA);
    keys[keyRefId(to)] = key;
  }
  delete keys[keyRefId(from)];
  return new Uint8Array(0);
}

/** Touch policy byte (metadata) of the FF P2 management key touch setting. */
function managementTouchPolicy(touch: number): number {
  if (touch === MgmtTouch.ALWAYS) return TouchPolicy.ALWAYS;
  if (touch === MgmtTouch.CACHED) return TouchPolicy.CACHED;
  return TouchPolicy.NEVER;
}

/**
 * PIN/PUK metadata: the elements the personality lists, in its order
 * (Yubico: 01 FF, 05 default, 06 retries; some cards leave out 01).
 */
function referenceMetadata(ref: ReferenceDataState, factoryAscii: string, tags: readonly number[]): Uint8Array {
  const element = (tag: number): Uint8Array => {
    switch (tag) {
      case MetadataTag.ALGORITHM:
        return encodeTlv(tag, Uint8Array.of(METADATA_ALG_PIN));
      case MetadataTag.POLICY:
        return encodeTlv(tag, Uint8Array.of(PinPolicy.DEFAULT, TouchPolicy.DEFAULT));
      case MetadataTag.IS_DEFAULT:
        return encodeTlv(tag, Uint8Array.of(ref.value === paddedReference(factoryAscii) ? 1 : 0));
      case MetadataTag.RETRIES:
        return encodeTlv(tag, Uint8Array.of(ref.total, Math.max(ref.remaining, 0)));
      default:
        return new Uint8Array(0);
    }
  };
  return concatBytes(...tags.map(element));
}

/**
 * GET METADATA (YubiKey ≥ 5.3) `00 F7 00 <ref>`: PIN/PUK (80/81), 9B, and key slots.
 * Empty slot, 96 (bio) and unknown references → 6A88.
 */
export function getMetadata(cmd: CommandApdu, ctx: CardContext): Uint8Array {
  if (cmd.p1 !== 0) fail(Sw.INCORRECT_P1P2);
  const s = ctx.state;
  const tags = s.personality.referenceMetadataTags;
  if (cmd.p2 === KeyRef.PIN) return referenceMetadata(s.pin, FactoryDefaults.PIN, tags);
  if (cmd.p2 === KeyRef.PUK) return referenceMetadata(s.puk, FactoryDefaults.PUK, tags);
  if (cmd.p2 === KeyRef.MANAGEMENT) {
    const isDefault = s.management.key === factoryManagementKey(s.management.algorithm);
    return concatBytes(
      encodeTlv(MetadataTag.ALGORITHM, Uint8Array.of(MGMT_ALG_ID[s.management.algorithm])),
      encodeTlv(MetadataTag.POLICY, Uint8Array.of(PinPolicy.DEFAULT, managementTouchPolicy(s.management.touch))),
      encodeTlv(MetadataTag.IS_DEFAULT, Uint8Array.of(isDefault ? 1 : 0)),
    );
  }
  if (cmd.p2 === BIO_KEY_REF || !isAsymmetricKeyRef(cmd.p2)) fail(Sw.REFERENCE_NOT_FOUND);
  const slot = s.keys[keyRefId(cmd.p2)];
  if (!slot) fail(Sw.REFERENCE_NOT_FOUND);
  return concatBytes(
    encodeTlv(MetadataTag.ALGORITHM, Uint8Array.of(MECHANISM_OF_ALGORITHM[slot.algorithm])),
    encodeTlv(MetadataTag.POLICY, Uint8Array.of(slot.pinPolicy, slot.touchPolicy)),
    encodeTlv(MetadataTag.ORIGIN, Uint8Array.of(slot.origin)),
    encodeTlv(MetadataTag.PUBLIC_KEY, publicKeyTemplateContent(slot.algorithm, privateKeyOf(slot))),
  );
}
