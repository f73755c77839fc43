/**
 * Printed Information object, 5FC109 (SP 800-73-4 Part 1 §3.1.5, Table 14):
 * the text printed on the card. PIN-protected to read; must not change after
 * issuance. Text is restricted to printable ASCII so every reader shows it alike.
 */
import { StationError } from '../../errors.js';
import { Tag } from '../constants.js';
import { concatBytes, decodeTlvs, encodeTlv, findTlv } from '../tlv.js';

/** Element tags (Table 14). */
export const PrintedInformationTag = {
  NAME: 0x01,
  EMPLOYEE_AFFILIATION: 0x02,
  EXPIRATION_DATE: 0x04,
  AGENCY_CARD_SERIAL: 0x05,
  ISSUER_ID: 0x06,
  ORGANIZATION_AFFILIATION_1: 0x07,
  ORGANIZATION_AFFILIATION_2: 0x08,
} as const;

/** The printed text. */
export interface PrintedInformation {
  /** Cardholder name, ≤ 125 characters. */
  name: string;
  /** Employee affiliation, ≤ 20. */
  employeeAffiliation: string;
  /** Expiration date YYYYMMMDD, e.g. "2030JAN01" (9 characters). */
  expirationDate: string;
  /** Agency card serial number, ≤ 20. */
  agencyCardSerial: string;
  /** Issuer identification, ≤ 15. */
  issuerId: string;
  /** Organization affiliation line 1, ≤ 20. */
  organizationAffiliation1?: string;
  /** Organization affiliation line 2, ≤ 20. */
  organizationAffiliation2?: string;
}

type Field = keyof PrintedInformation;
/** Encoding order, tag and maximum length of each field (Table 14). */
const FIELDS: ReadonlyArray<{ field: Field; tag: number; max: number; optional?: boolean }> = [
  { field: 'name', tag: PrintedInformationTag.NAME, max: 125 },
  { field: 'employeeAffiliation', tag: PrintedInformationTag.EMPLOYEE_AFFILIATION, max: 20 },
  { field: 'expirationDate', tag: PrintedInformationTag.EXPIRATION_DATE, max: 9 },
  { field: 'agencyCardSerial', tag: PrintedInformationTag.AGENCY_CARD_SERIAL, max: 20 },
  { field: 'issuerId', tag: PrintedInformationTag.ISSUER_ID, max: 15 },
  { field: 'organizationAffiliation1', tag: PrintedInformationTag.ORGANIZATION_AFFILIATION_1, max: 20, optional: true },
  { field: 'organizationAffiliation2', tag: PrintedInformationTag.ORGANIZATION_AFFILIATION_2, max: 20, optional: true },
];
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const EXPIRATION_FORMAT = /^[0-9]{4}(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[0-9]{2}$/;

/**
 * Encodes the Printed Information content (inside `53`), `FE 00` last.
 * @throws StationError INVALID_INPUT when a field is too long, not printable ASCII,
 *         or the expiration date is not YYYYMMMDD
 */
export function encodePrintedInformation(p: PrintedInformation): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const { field, tag, max, optional } of FIELDS) {
    const value = p[field];
    if (value === undefined && optional) continue;
    if (typeof value !== 'string' || value.length > max || !PRINTABLE_ASCII.test(value)) {
      throw new StationError('INVALID_INPUT', `The printed ${field} must be at most ${max} plain ASCII characters.`, {
        field,
      });
    }
    parts.push(encodeTlv(tag, new TextEncoder().encode(value)));
  }
  if (!EXPIRATION_FORMAT.test(p.expirationDate)) {
    throw new StationError('INVALID_INPUT', 'The printed expiration date must look like 2030JAN01.', {
      field: 'expirationDate',
    });
  }
  parts.push(encodeTlv(Tag.ERROR_DETECTION_CODE));
  return concatBytes(...parts);
}

/**
 * Decodes Printed Information content; missing mandatory fields decode as "".
 * @throws StationError MALFORMED_RESPONSE on bad TLV structure
 */
export function decodePrintedInformation(b: Uint8Array): PrintedInformation {
  const tlvs = decodeTlvs(b);
  const text = (tag: number): string | undefined => {
    const v = findTlv(tlvs, tag);
    return v === undefined ? undefined : new TextDecoder().decode(v);
  };
  const p: PrintedInformation = {
    name: text(PrintedInformationTag.NAME) ?? '',
    employeeAffiliation: text(PrintedInformationTag.EMPLOYEE_AFFILIATION) ?? '',
    expirationDate: text(PrintedInformationTag.EXPIRATION_DATE) ?? '',
    agencyCardSerial: text(PrintedInformationTag.AGENCY_CARD_SERIAL) ?? '',
    issuerId: text(PrintedInformationTag.ISSUER_ID) ?? '',
  };
  const o1 = text(PrintedInformationTag.ORGANIZATION_AFFILIATION_1);
  if (o1 !== undefined) p.organizationAffiliation1 = o1;
  const o2 = text(PrintedInformationTag.ORGANIZATION_AFFILIATION_2);
  if (o2 !== undefined) p.organizationAffiliation2 = o2;
  return p;
}
