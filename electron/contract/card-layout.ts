/**
 * Card face layouts (issue 11): what a card profile prints besides the
 * mandatory zones of FIPS 201-3 §4.1.4.1–4.1.4.2 (photograph 1F, name 2F,
 * employee affiliation 8F, agency 10F, expiration 14F/19F, affiliation colour
 * 15F/18F; back: agency card serial 1B, issuer identification 2B). One schema
 * for the store, the StationApi and the layout editor. Imports nothing but zod.
 */
import { z } from 'zod';

/**
 * Zone 15F employee-affiliation colours (FIPS 201-3 §4.1.4.1): white government employee, green
 * contractor, blue foreign national. "These colors SHALL be reserved and SHALL NOT be employed for
 * other purposes", so a layout chooses one of these three and nothing else.
 */
export const AFFILIATION_COLORS = ['white', 'green', 'blue'] as const;
export type AffiliationColor = (typeof AFFILIATION_COLORS)[number];

/** Zone 12F footer styles: an emergency response official's white on red (FIPS 201-3 §4.1.4.3, Table 4-2 red), or black text. */
export const FOOTER_STYLES = ['emergency', 'plain'] as const;

/** Printable ASCII: the name zone's character set (FIPS 201-3 Zone 2F, RFC 20) and the Printed Information's. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const asciiText = (max: number) => z.string().trim().max(max).regex(PRINTABLE_ASCII, 'must be plain ASCII letters, digits and punctuation');

/** The fields of a layout (every field has a value: the registry fills defaults when it seeds). */
export const CardLayoutFields = z.object({
  /**
   * Zone 10F "Agency, Department, or Organization", one or two lines. Each line is at most 20
   * characters: the same text goes to the Printed Information's organization affiliation lines
   * (SP 800-73-4 Part 1 Table 14, tags 07 and 08, 20 bytes each), so the card and the chip agree.
   */
  agencyLines: z.array(asciiText(20).min(1)).min(1).max(2),
  /** Zone 15F background of the name and the Zone 18F letter (W, G or B). */
  affiliationColor: z.enum(AFFILIATION_COLORS),
  /** Zone 9F header ("United States Government" or an official role); null: not printed. */
  header: asciiText(32).min(1).nullable(),
  /** Zone 11F agency seal, when a seal image is set. */
  showSeal: z.boolean(),
  /** Zone 13F issue date (YYYYMMMDD). */
  showIssueDate: z.boolean(),
  /** Zone 20F organizational affiliation abbreviation, 12 pt bold; null: not printed. */
  orgAbbreviation: asciiText(8).min(1).nullable(),
  /** Zone 12F footer text; null: not printed. */
  footer: asciiText(40).min(1).nullable(),
  footerStyle: z.enum(FOOTER_STYLES),
  /** Zone 4B "return if lost" lines on the back (up to three). */
  returnAddress: z.array(asciiText(44).min(1)).max(3),
  /** Zone 7B Section 499, Title 18 notice on the back. */
  title18Notice: z.boolean(),
});
export type CardLayout = z.infer<typeof CardLayoutFields>;

/** A change to a layout: any fields, plus `seal` (base64 PNG or JPEG; null removes it). */
export const CardLayoutPatchSchema = CardLayoutFields.partial()
  .extend({
    /** The Zone 11F seal image (base64 of PNG or JPEG bytes, at most 512 KB); null removes it. */
    seal: z
      .string()
      .max(700_000, 'The seal image is too large (at most 512 KB).')
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'The seal image must be base64.')
      .refine((b) => b.startsWith('/9j/') || b.startsWith('iVBORw0KGgo'), 'The seal image must be a PNG or JPEG file.')
      .nullable()
      .optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'Give at least one card layout field to change.' });
export type CardLayoutPatch = z.infer<typeof CardLayoutPatchSchema>;

/** A stored layout as the StationApi shows it. */
export const CardLayoutView = CardLayoutFields.extend({
  profile: z.string(),
  /** True when a Zone 11F seal image is stored. */
  hasSeal: z.boolean(),
  version: z.number().int(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type CardLayoutViewShape = z.infer<typeof CardLayoutView>;

/** Words for each layout field in sentences. */
export const LAYOUT_FIELD_WORDS: Record<string, string> = {
  agencyLines: 'Agency (zone 10F)',
  affiliationColor: 'Affiliation colour (zone 15F)',
  header: 'Header (zone 9F)',
  showSeal: 'Agency seal (zone 11F)',
  showIssueDate: 'Issue date (zone 13F)',
  orgAbbreviation: 'Organization abbreviation (zone 20F)',
  footer: 'Footer (zone 12F)',
  footerStyle: 'Footer style',
  returnAddress: 'Return address (zone 4B)',
  title18Notice: 'Title 18 notice (zone 7B)',
  seal: 'Seal image',
};
