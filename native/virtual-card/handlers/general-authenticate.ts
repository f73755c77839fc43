/**
 * GENERAL AUTHENTICATE (SP 800-73-4 Part 2 §3.2.4, Table 7, App. A):
 * 9B external and mutual authentication, and the private-key operations of
 * the asymmetric slots (RSA raw, ECDSA over a hash, ECDH), under the access
 * rules of Part 1 Table 4b (9A/9D PIN, 9C PIN before each use, 9E none).
 */
import { timingSafeEqual } from 'node:crypto';
import { KeyRef, Sw, Tag } from '../../../electron/core/piv/constants.js';
import { decodeTlvs, encodeTlv, fromHex, readTlv, type Tlv } from '../../../electron/core/piv/tlv.js';
import { fail, type CommandApdu } from '../apdu.js';
import { PinPolicy } from '../card-constants.js';
import { blockLength, encryptBlock, managementAlgorithmOf, randomBlock } from '../management-cipher.js';
import { ecdh, ecdsaSign, isEc, privateKeyOf, rsaRawPrivate, MECHANISM_OF_ALGORITHM } from '../slot-crypto.js';
import { keyRefId, type SlotKeyState } from '../state.js';
import { NO_DATA, type CardContext } from './context.js';
import { isAsymmetricKeyRef } from './key-refs.js';

/** The parts of a dynamic authentication template: undefined = absent, empty = "requested". */
interface AuthTemplate {
  witness?: Uint8Array;
  challenge?: Uint8Array;
  response?: Uint8Array;
  exponentiation?: Uint8Array;
}

/** Parses `7C L { 80|81|82|85 … }`. @throws 6A80 */
function parseTemplate(data: Uint8Array): AuthTemplate {
  let items: Tlv[];
  try {
    const outer = readTlv(data, 0);
    if (outer.tlv.tag !== Tag.DYNAMIC_AUTH || outer.next !== data.length) fail(Sw.INCORRECT_DATA);
    items = decodeTlvs(outer.tlv.value);
  } catch (e) {
    if (e instanceof Error && e.name === 'CardStatusError') throw e;
    return fail(Sw.INCORRECT_DATA);
  }
  const t: AuthTemplate = {};
  for (const { tag, value } of items) {
    if (tag === Tag.WITNESS) t.witness = value;
    else if (tag === Tag.CHALLENGE) t.challenge = value;
    else if (tag === Tag.RESPONSE) t.response = value;
    else if (tag === Tag.EXPONENTIATION) t.exponentiation = value;
    else fail(Sw.INCORRECT_DATA);
  }
  return t;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** 9B challenge-response, external (A.1) or mutual (A.2). */
function authenticateManagement(algByte: number, t: AuthTemplate, ctx: CardContext): Uint8Array {
  const alg = ctx.state.management.algorithm;
  if (managementAlgorithmOf(algByte) !== alg) fail(Sw.INCORRECT_P1P2);
  const key = fromHex(ctx.state.management.key);
  const sec = ctx.security;
  const pending = sec.pendingChallenge;
  const isEmpty = (v: Uint8Array | undefined): boolean => v !== undefined && v.length === 0;
  const isFilled = (v: Uint8Array | undefined): v is Uint8Array => v !== undefined && v.length > 0;

  if (isEmpty(t.witness) && t.challenge === undefined) {
    // Mutual, step 1: the card sends an encrypted witness.
    const witness = randomBlock(alg);
    sec.pendingChallenge = { kind: 'mutual', witness };
    return encodeTlv(Tag.DYNAMIC_AUTH, encodeTlv(Tag.WITNESS, encryptBlock(alg, key, witness)));
  }
  if (isFilled(t.witness) && isFilled(t.challenge)) {
    // Mutual, step 2: the host proves it decrypted the witness; the card answers the host's challenge.
    sec.pendingChallenge = undefined;
    if (pending?.kind !== 'mutual' || !sameBytes(pending.witness, t.witness)) {
      sec.managementAuthenticated = false;
      fail(Sw.SECURITY_STATUS_NOT_SATISFIED);
    }
    if (t.challenge.length !== blockLength(alg)) fail(Sw.INCORRECT_DATA);
    sec.managementAuthenticated = true;
    return encodeTlv(Tag.DYNAMIC_AUTH, encodeTlv(Tag.RESPONSE, encryptBlock(alg, key, t.challenge)));
  }
  if (isEmpty(t.challenge) && t.witness === undefined && t.response === undefined) {
    // External, step 1: the card sends a plain challenge.
    const challenge = randomBlock(alg);
    sec.pendingChallenge = { kind: 'external', challenge };
    return encodeTlv(Tag.DYNAMIC_AUTH, encodeTlv(Tag.CHALLENGE, challenge));
  }
  if (isFilled(t.response) && t.witness === undefined && t.challenge === undefined) {
    // External, step 2: the host returns E_K(challenge).
    sec.pendingChallenge = undefined;
    if (pending?.kind !== 'external' || !sameBytes(encryptBlock(alg, key, pending.challenge), t.response)) {
      sec.managementAuthenticated = false;
      fail(Sw.SECURITY_STATUS_NOT_SATISFIED);
    }
    sec.managementAuthenticated = true;
    return NO_DATA;
  }
  return fail(Sw.INCORRECT_DATA);
}

/** Enforces the key's PIN policy; a "PIN always" key consumes the verification. @throws 6982 */
function requirePinFor(slot: SlotKeyState, ctx: CardContext): void {
  const sec = ctx.security;
  if (slot.pinPolicy === PinPolicy.NEVER) return;
  if (slot.pinPolicy === PinPolicy.ALWAYS) {
    if (!sec.pinFreshForAlways) fail(Sw.SECURITY_STATUS_NOT_SATISFIED);
    sec.pinFreshForAlways = false;
    return;
  }
  if (!sec.pinVerified) fail(Sw.SECURITY_STATUS_NOT_SATISFIED);
}

/** Sign / decipher / ECDH with an asymmetric slot key (A.3–A.5). */
function usePrivateKey(cmd: CommandApdu, t: AuthTemplate, ctx: CardContext): Uint8Array {
  if (!isAsymmetricKeyRef(cmd.p2)) fail(Sw.INCORRECT_P1P2);
  const slot = ctx.state.keys[keyRefId(cmd.p2)];
  if (!slot) fail(Sw.REFERENCE_NOT_FOUND);
  if (MECHANISM_OF_ALGORITHM[slot.algorithm] !== cmd.p1) fail(Sw.INCORRECT_P1P2);
  if (t.response === undefined || t.response.length !== 0) fail(Sw.INCORRECT_DATA);
  const hasChallenge = t.challenge !== undefined && t.challenge.length > 0;
  const hasPeer = t.exponentiation !== undefined && t.exponentiation.length > 0;
  if (hasChallenge === hasPeer) fail(Sw.INCORRECT_DATA);
  const alg = slot.algorithm;
  if (hasPeer && !isEc(alg)) fail(Sw.INCORRECT_DATA);
  requirePinFor(slot, ctx);
  const key = privateKeyOf(slot);
  let result: Uint8Array;
  if (hasPeer && isEc(alg)) result = ecdh(alg, key, t.exponentiation!);
  else if (isEc(alg)) result = ecdsaSign(alg, key, t.challenge!);
  else result = rsaRawPrivate(alg, key, t.challenge!);
  return encodeTlv(Tag.DYNAMIC_AUTH, encodeTlv(Tag.RESPONSE, result));
}

/** GENERAL AUTHENTICATE `00 87 <alg> <keyref> Lc 7C …` (after command chaining is reassembled). */
export function generalAuthenticate(cmd: CommandApdu, ctx: CardContext): Uint8Array {
  const template = parseTemplate(cmd.data);
  if (cmd.p2 === KeyRef.MANAGEMENT) return authenticateManagement(cmd.p1, template, ctx);
  return usePrivateKey(cmd, template, ctx);
}
