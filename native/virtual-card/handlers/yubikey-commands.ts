/**
 * YubiKey PIV extensions (piv-reference §2; yubikit/piv.py, yubico-piv-tool ykpiv.c):
 * FD GET VERSION, F8 GET SERIAL, FF SET MANAGEMENT KEY, FB RESET, FA SET PIN RETRIES.
 */
import { FactoryDefaults, KeyRef, Sw } from '../../../electron/core/piv/constants.js';
import { toHex } from '../../../electron/core/piv/tlv.js';
import { fail, type CommandApdu } from '../apdu.js';
import { FIRMWARE_VERSION, MgmtTouch, SET_MGMT_KEY_P1 } from '../card-constants.js';
import { isValidManagementKey, managementAlgorithmOf } from '../management-cipher.js';
import { factoryApplicationState, paddedReference } from '../state.js';
import { NO_DATA, type CardContext } from './context.js';

/** FD GET VERSION → major minor patch. */
export function getVersion(): Uint8Array {
  return FIRMWARE_VERSION.slice();
}

/** F8 GET SERIAL → 4-byte big-endian serial. */
export function getSerial(_cmd: CommandApdu, ctx: CardContext): Uint8Array {
  const n = ctx.state.serial >>> 0;
  return Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

/** Offsets in FF's data field: `<alg> 9B <len> <key>`. */
const SET_MGMT_HEADER = 3;

/**
 * FF SET MANAGEMENT KEY `00 FF FF <touch> Lc <alg> 9B <len> <key>`: alg 03 (3DES, 24 bytes),
 * 08/0A/0C (AES-128/192/256), each only if the personality allows it (else 6A80).
 * Needs 9B; the session stays authenticated.
 */
export function setManagementKey(cmd: CommandApdu, ctx: CardContext): Uint8Array {
  const touchValues: number[] = [MgmtTouch.NONE, MgmtTouch.ALWAYS, MgmtTouch.CACHED];
  if (cmd.p1 !== SET_MGMT_KEY_P1 || !touchValues.includes(cmd.p2)) fail(Sw.INCORRECT_P1P2);
  if (!ctx.security.managementAuthenticated) fail(Sw.SECURITY_STATUS_NOT_SATISFIED);
  const d = cmd.data;
  if (d.length < SET_MGMT_HEADER || d[1] !== KeyRef.MANAGEMENT || d[2] !== d.length - SET_MGMT_HEADER) fail(Sw.INCORRECT_DATA);
  const alg = managementAlgorithmOf(d[0]!);
  const key = d.subarray(SET_MGMT_HEADER);
  if (!alg || !ctx.state.personality.managementKey.allowed.includes(alg) || !isValidManagementKey(alg, key)) fail(Sw.INCORRECT_DATA);
  ctx.state.management = { algorithm: alg, key: toHex(key), touch: cmd.p2 };
  return NO_DATA;
}

/**
 * FB RESET: only when PIN and PUK are both blocked (else 6985). Clears keys and
 * objects, restores the factory objects, PIN, PUK, retries and 9B key of the
 * card's personality (a returned card's leftovers do not come back); keeps the
 * serial and the attestation key.
 */
export function resetApplication(_cmd: CommandApdu, ctx: CardContext): Uint8Array {
  const s = ctx.state;
  if (s.pin.remaining > 0 || s.puk.remaining > 0) fail(Sw.CONDITIONS_NOT_SATISFIED);
  const fresh = factoryApplicationState(s.serial, s.personality, s.defaultManagementAlgorithm, s.attestation);
  Object.assign(s, fresh);
  ctx.security.clear();
  return NO_DATA;
}

/**
 * FA SET PIN RETRIES `00 FA <pin tries> <puk tries>`: needs 9B and a verified PIN;
 * resets PIN and PUK to their factory values with the new counters.
 */
export function setPinRetries(cmd: CommandApdu, ctx: CardContext): Uint8Array {
  if (!ctx.security.managementAuthenticated || !ctx.security.pinVerified) fail(Sw.SECURITY_STATUS_NOT_SATISFIED);
  if (cmd.p1 === 0 || cmd.p2 === 0) fail(Sw.INCORRECT_P1P2);
  const s = ctx.state;
  s.pin = { value: paddedReference(FactoryDefaults.PIN), total: cmd.p1, remaining: cmd.p1 };
  s.puk = { value: paddedReference(FactoryDefaults.PUK), total: cmd.p2, remaining: cmd.p2 };
  return NO_DATA;
}
