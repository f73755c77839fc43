/**
 * The card's persistent state: everything that survives power off (keys,
 * objects, PIN/PUK and their counters, the 9B key, the serial). Plain JSON
 * values (hex / base64 strings) so it serialises as is.
 *
 * Security status (PIN verified, 9B authenticated) is NOT here: it is
 * volatile and lives in security.ts.
 */
import { randomInt } from 'node:crypto';
import { FactoryDefaults, MGMT_KEY_LENGTH, type ManagementKeyAlgorithm } from '../../electron/core/piv/constants.js';
import { toHex } from '../../electron/core/piv/tlv.js';
import { PIN_FIELD_LENGTH, PIN_PAD } from './card-constants.js';
import { factoryObjects } from './factory-objects.js';
import type { CardPersonality } from './personality.js';
import { returnedCardContent } from './returned-card.js';

/** Asymmetric algorithms a key slot can hold. */
export type SlotAlgorithm = 'RSA1024' | 'RSA2048' | 'RSA3072' | 'RSA4096' | 'P256' | 'P384';

/** A private key in a slot. */
export interface SlotKeyState {
  algorithm: SlotAlgorithm;
  /** PKCS#8 DER, base64. */
  pkcs8: string;
  /** KeyOrigin byte: 01 generated on card, 02 imported. */
  origin: number;
  /** PinPolicy byte, resolved (never DEFAULT). */
  pinPolicy: number;
  /** TouchPolicy byte, resolved (never DEFAULT). */
  touchPolicy: number;
}

/** A PIN or PUK: padded reference value and its retry counter. */
export interface ReferenceDataState {
  /** 8-byte reference value padded with FF, hex. */
  value: string;
  /** Retry count restored on success. */
  total: number;
  /** Tries left; 0 = blocked. */
  remaining: number;
}

/** Persistent card state (format 1). */
export interface CardState {
  format: 1;
  serial: number;
  /** The card's behaviour switches (absent in files written before personalities: the default one). */
  personality: CardPersonality;
  /** Algorithm of the factory 9B key, restored by FB RESET. */
  defaultManagementAlgorithm: ManagementKeyAlgorithm;
  management: { algorithm: ManagementKeyAlgorithm; key: string; touch: number };
  pin: ReferenceDataState;
  puk: ReferenceDataState;
  /** Object content keyed by tag as uppercase hex ("5FC102"); Discovery/BIT hold their whole TLV. */
  objects: Record<string, string>;
  /** Keys keyed by key reference as uppercase hex ("9A"). */
  keys: Record<string, SlotKeyState>;
  /** F9 attestation key and its self-signed certificate (DER hex); kept across FB RESET. */
  attestation?: { pkcs8: string; certificate: string };
}

/** Pads an ASCII PIN/PUK to the 8-byte reference format, as hex. */
export function paddedReference(ascii: string): string {
  const out = new Uint8Array(PIN_FIELD_LENGTH).fill(PIN_PAD);
  out.set(new TextEncoder().encode(ascii));
  return toHex(out);
}

/** Serial numbers like a YubiKey's: 8 decimal digits. */
function randomSerial(): number {
  return randomInt(10_000_000, 99_999_999);
}

/** The factory 9B key bytes (0102…08) cut to the length `alg` needs (16 bytes for AES-128), as hex. */
export function factoryManagementKey(alg: ManagementKeyAlgorithm): string {
  return toHex(FactoryDefaults.MANAGEMENT_KEY.subarray(0, MGMT_KEY_LENGTH[alg]));
}

/**
 * Factory PIN, PUK (with the personality's retry counts), 9B key and objects;
 * keeps serial, personality and attestation. What FB RESET restores.
 */
export function factoryApplicationState(
  serial: number,
  personality: CardPersonality,
  mgmtAlg: ManagementKeyAlgorithm,
  attestation?: CardState['attestation'],
): CardState {
  const { pin, puk } = personality.retries;
  return {
    format: 1,
    serial,
    personality,
    defaultManagementAlgorithm: mgmtAlg,
    management: { algorithm: mgmtAlg, key: factoryManagementKey(mgmtAlg), touch: 0xff },
    pin: { value: paddedReference(FactoryDefaults.PIN), total: pin, remaining: pin },
    puk: { value: paddedReference(FactoryDefaults.PUK), total: puk, remaining: puk },
    objects: factoryObjects(personality.factoryObjects),
    keys: {},
    ...(attestation ? { attestation } : {}),
  };
}

/**
 * A brand-new card of `personality`. A returned card also gets what its
 * earlier holder left (keys, certificates, objects, one PIN try spent).
 * @param managementKeyAlgorithm overrides the personality's factory 9B algorithm (must be one it allows)
 */
export function newCardState(opts: { serial?: number; personality: CardPersonality; managementKeyAlgorithm?: ManagementKeyAlgorithm }): CardState {
  const p = opts.personality;
  const state = factoryApplicationState(opts.serial ?? randomSerial(), p, opts.managementKeyAlgorithm ?? p.managementKey.factory);
  if (p.returnedCard) {
    const left = returnedCardContent();
    Object.assign(state.objects, left.objects);
    Object.assign(state.keys, left.keys);
    state.pin.remaining = state.pin.total - 1;
  }
  return state;
}

/** Hex key of a key reference in `CardState.keys`. */
export function keyRefId(ref: number): string {
  return ref.toString(16).toUpperCase().padStart(2, '0');
}

/** Hex key of an object tag in `CardState.objects`. */
export function objectId(tag: number): string {
  return tag.toString(16).toUpperCase().padStart(2, '0');
}
