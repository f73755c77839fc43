/**
 * VERIFY, CHANGE REFERENCE DATA and RESET RETRY COUNTER
 * (SP 800-73-4 Part 2 §3.2.1–3.2.3).
 */
import { KeyRef, Sw } from '../../../electron/core/piv/constants.js';
import { fail, type CommandApdu } from '../apdu.js';
import { PIN_FIELD_LENGTH, VerifyP1, swRetries } from '../card-constants.js';
import { checkReference, isWellFormedPin, isWellFormedPuk, setReference } from '../reference-data.js';
import type { ReferenceDataState } from '../state.js';
import { NO_DATA, type CardContext } from './context.js';

/** Key references VERIFY knows but this card does not implement (global PIN, OCC, pairing code). */
const UNSUPPORTED_VERIFY_REFS: ReadonlySet<number> = new Set([KeyRef.GLOBAL_PIN, 0x96, 0x97, 0x98]);

function requireP1Zero(cmd: CommandApdu): void {
  if (cmd.p1 !== 0) fail(Sw.INCORRECT_P1P2);
}

/**
 * VERIFY `00 20 P1 80 [08 PIN]`.
 * P1 00 + PIN: verify (malformed PINs count as wrong: ykman's reset relies on 63Cx).
 * P1 00, no data: status query (9000 verified, 63Cx, 6983 blocked).
 * P1 FF, no data: reset the PIN security status (logout).
 */
export function verify(cmd: CommandApdu, ctx: CardContext): Uint8Array {
  if (cmd.p1 !== VerifyP1.VERIFY && cmd.p1 !== VerifyP1.LOGOUT) fail(Sw.INCORRECT_P1P2);
  if (cmd.p2 !== KeyRef.PIN) fail(UNSUPPORTED_VERIFY_REFS.has(cmd.p2) ? Sw.REFERENCE_NOT_FOUND : Sw.INCORRECT_P1P2);
  const pin = ctx.state.pin;
  if (cmd.p1 === VerifyP1.LOGOUT) {
    if (cmd.data.length !== 0) fail(Sw.INCORRECT_DATA);
    ctx.security.pinCleared();
    return NO_DATA;
  }
  if (cmd.data.length === 0) {
    if (pin.remaining <= 0) fail(Sw.AUTH_METHOD_BLOCKED);
    if (ctx.security.pinVerified) return NO_DATA;
    fail(swRetries(pin.remaining));
  }
  ctx.security.pinCleared();
  checkReference(pin, cmd.data);
  ctx.security.pinAccepted();
  return NO_DATA;
}

function referenceFor(ctx: CardContext, p2: number): { ref: ReferenceDataState; wellFormed: (f: Uint8Array) => boolean } {
  if (p2 === KeyRef.PIN) return { ref: ctx.state.pin, wellFormed: isWellFormedPin };
  if (p2 === KeyRef.PUK) return { ref: ctx.state.puk, wellFormed: isWellFormedPuk };
  return fail(p2 === KeyRef.GLOBAL_PIN ? Sw.REFERENCE_NOT_FOUND : Sw.INCORRECT_P1P2);
}

/**
 * CHANGE REFERENCE DATA `00 24 00 {80|81} 10 <old 8><new 8>`.
 * Old value checked first (wrong → 63Cx, blocked → 6983), then the new one's format (→ 6A80).
 */
export function changeReferenceData(cmd: CommandApdu, ctx: CardContext): Uint8Array {
  requireP1Zero(cmd);
  const { ref, wellFormed } = referenceFor(ctx, cmd.p2);
  if (cmd.data.length !== 2 * PIN_FIELD_LENGTH) {
    // Cannot even split old/new: count it as a failed attempt, as for VERIFY.
    checkReference(ref, cmd.data);
  }
  const oldValue = cmd.data.subarray(0, PIN_FIELD_LENGTH);
  const newValue = cmd.data.subarray(PIN_FIELD_LENGTH);
  if (cmd.p2 === KeyRef.PIN) ctx.security.pinCleared();
  checkReference(ref, oldValue);
  if (!wellFormed(newValue)) fail(Sw.INCORRECT_DATA);
  setReference(ref, newValue);
  if (cmd.p2 === KeyRef.PIN) ctx.security.pinAccepted();
  return NO_DATA;
}

/**
 * RESET RETRY COUNTER `00 2C 00 80 10 <PUK 8><new PIN 8>`: PUK checked first
 * (wrong → 63Cx on the PUK counter, blocked → 6983), then the new PIN's format (→ 6A80).
 * The PIN security status is left unchanged (Part 2 §3.2.3).
 */
export function resetRetryCounter(cmd: CommandApdu, ctx: CardContext): Uint8Array {
  requireP1Zero(cmd);
  if (cmd.p2 !== KeyRef.PIN) fail(Sw.INCORRECT_P1P2);
  const puk = ctx.state.puk;
  if (cmd.data.length !== 2 * PIN_FIELD_LENGTH) checkReference(puk, cmd.data);
  checkReference(puk, cmd.data.subarray(0, PIN_FIELD_LENGTH));
  const newPin = cmd.data.subarray(PIN_FIELD_LENGTH);
  if (!isWellFormedPin(newPin)) fail(Sw.INCORRECT_DATA);
  setReference(ctx.state.pin, newPin);
  return NO_DATA;
}
