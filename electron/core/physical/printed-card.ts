/**
 * What is printed on a card, derived once from the card record, so the card
 * face and the chip say the same: the Printed Information object (SP 800-73-4
 * Part 1 Table 14) is written from these values and the card face prints them
 * (FIPS 201-3 §4.1.4), and the CHUID carries the same expiration date.
 * A production job records this snapshot when it is created; every print,
 * reprint and the Printed Information of that card come from the snapshot.
 */
import { z } from 'zod';
import type { PrintedInformation } from '../piv/objects/printed-information.js';
import type { AffiliationColor, CardLayout } from '../../contract/card-layout.js';
import { AFFILIATION_COLORS } from '../../contract/card-layout.js';
import { printedDate } from '../issuance/card-numbering.js';

/** Printed Information name limit (Table 14: 125 bytes). */
const MAX_NAME = 125;

/** The printed values of one card. */
export const PrintedCardSchema = z.object({
  /** Zone 2F primary identifier (surname), capitals, ASCII. */
  primary: z.string(),
  /** Zone 2F secondary identifier (given names), capitals, ASCII. */
  secondary: z.string(),
  /** "PRIMARY, SECONDARY": Zone 2F's format and the Printed Information name (tag 01). */
  name: z.string(),
  /** Zone 8F and Printed Information 02. */
  employeeAffiliation: z.string(),
  /** Zone 10F and Printed Information 07, 08. */
  agencyLines: z.array(z.string()).min(1).max(2),
  /** YYYY-MM-DD: Zone 14F (YYYYMMMDD), 19F (MMMYYYY), Printed Information 04, CHUID 35 (YYYYMMDD). */
  expirationDate: z.string(),
  /** YYYY-MM-DD the card was made: Zone 13F when the layout prints it. */
  issueDate: z.string(),
  /** Zone 1B and Printed Information 05: the agency card serial number. */
  agencyCardSerial: z.string(),
  /** Zone 2B and Printed Information 06: the issuer identification number. */
  issuerId: z.string(),
  /** Zone 15F / 18F colour. */
  affiliationColor: z.enum(AFFILIATION_COLORS),
});
export type PrintedCard = z.infer<typeof PrintedCardSchema>;

/**
 * Capital printable ASCII (FIPS 201-3 Zone 2F: "capital letters from the ... ASCII character set");
 * accents are dropped (é → E), anything else unprintable becomes "?".
 */
export function printableCapitals(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^\x20-\x7e]/g, '?')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The inputs of a card's printed values. */
export interface PrintedCardInput {
  person: { givenName: string; surname: string };
  card: { expirationDate: string; credentialNumber: string };
  profile: { printedAffiliation: string };
  config: { issuerId: string };
  layout: Pick<CardLayout, 'agencyLines'> & { affiliationColor: AffiliationColor };
  /** The day the card is made (Zone 13F). */
  issuedOn: Date;
}

/** The printed values of a card (see {@link PrintedCardSchema}). */
export function printedCardOf(i: PrintedCardInput): PrintedCard {
  const primary = printableCapitals(i.person.surname);
  const secondary = printableCapitals(i.person.givenName);
  return {
    primary,
    secondary,
    name: `${primary}, ${secondary}`.slice(0, MAX_NAME),
    employeeAffiliation: i.profile.printedAffiliation,
    agencyLines: [...i.layout.agencyLines],
    expirationDate: i.card.expirationDate,
    issueDate: i.issuedOn.toISOString().slice(0, 10),
    agencyCardSerial: i.card.credentialNumber,
    issuerId: i.config.issuerId,
    affiliationColor: i.layout.affiliationColor,
  };
}

/** The Printed Information object's fields for this card (SP 800-73-4 Part 1 Table 14). */
export function printedInformationOf(p: PrintedCard): PrintedInformation {
  const info: PrintedInformation = {
    name: p.name,
    employeeAffiliation: p.employeeAffiliation,
    expirationDate: printedDate(p.expirationDate),
    agencyCardSerial: p.agencyCardSerial,
    issuerId: p.issuerId,
    organizationAffiliation1: p.agencyLines[0],
  };
  if (p.agencyLines[1]) info.organizationAffiliation2 = p.agencyLines[1];
  return info;
}
