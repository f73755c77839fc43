/**
 * Card identity numbers assigned when a production job is created: the FASC-N
 * fields (TIG SCEPACS v2.3; SP 800-73-4 Part 1 §3.1.2), the Card UUID (GUID,
 * RFC 4122 v4, Part 1 §3.4.1) and the expiration date.
 *
 * The credential number comes from a store sequence that never reuses a value,
 * so agency code + system code + credential number is unique per card.
 */
import { randomUUID } from 'node:crypto';
import type { FascnFields } from '../piv/objects/fascn.js';
import type { CardProfile, StationConfig } from '../config/station-config.js';
import { StationError } from '../errors.js';

/** The store sequence that numbers credentials. */
export const CREDENTIAL_SEQUENCE = 'fascn.credential_number';

/** FASC-N person identifier: the employee id when it is all digits (≤ 10), else zeros (never an SSN). */
export function personIdentifier(employeeId: string | null | undefined): string {
  if (employeeId && /^\d{1,10}$/.test(employeeId)) return employeeId.padStart(10, '0');
  return '0000000000';
}

/**
 * The FASC-N fields of a new card.
 * @param credentialNumber value from the credential sequence (1 … 999999)
 * @throws StationError INVALID_INPUT when the sequence is exhausted
 */
export function fascnFieldsFor(
  config: StationConfig,
  profile: CardProfile,
  credentialNumber: number,
  employeeId: string | null | undefined,
): FascnFields {
  if (credentialNumber < 1 || credentialNumber > 999_999) {
    throw new StationError('INVALID_INPUT', 'The FASC-N credential numbers of this system code are exhausted; configure a new system code.');
  }
  return {
    agencyCode: config.agencyCode,
    systemCode: config.systemCode,
    credentialNumber: String(credentialNumber).padStart(6, '0'),
    credentialSeries: '0',
    individualCredentialIssue: '1',
    personIdentifier: personIdentifier(employeeId),
    organizationalCategory: config.organizationalCategory,
    organizationalIdentifier: config.agencyCode,
    personAssociation: profile.personAssociation,
  };
}

/** A new Card UUID: 16 random bytes as RFC 4122 version 4, returned as canonical text and bytes. */
export function newCardUuid(): { text: string; bytes: Uint8Array } {
  const text = randomUUID();
  return { text, bytes: uuidBytes(text) };
}

/** Bytes of a canonical UUID string. */
export function uuidBytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text.replace(/-/g, ''), 'hex'));
}

/** Canonical 8-4-4-4-12 text of 16 UUID bytes. */
export function uuidText(bytes: Uint8Array): string {
  const h = Buffer.from(bytes).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** `from` + `months`, at UTC midnight, as YYYY-MM-DD. */
export function addMonths(from: Date, months: number): string {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + months, from.getUTCDate()));
  return d.toISOString().slice(0, 10);
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** CHUID expiration format YYYYMMDD (Part 1 Table 9) from YYYY-MM-DD. */
export function chuidDate(isoDate: string): string {
  return isoDate.replace(/-/g, '');
}

/** Printed Information expiration format YYYYMMMDD, e.g. 2030JAN01 (Part 1 Table 14). */
export function printedDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-');
  return `${y}${MONTHS[Number(m) - 1]}${d}`;
}

/** MMMYYYY, e.g. JAN2030, of YYYY-MM-DD: the card face's upper right expiration (FIPS 201-3 Zone 19F). */
export function printedMonth(isoDate: string): string {
  const [y, m] = isoDate.split('-');
  return `${MONTHS[Number(m) - 1]}${y}`;
}
