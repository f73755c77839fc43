/**
 * The PIV card topography as numbers: the card size and every zone the
 * station prints, in millimetres from the top left corner of the card held
 * in portrait orientation, as FIPS 201-3 §4.1.4 draws them.
 *
 * Sources (usnistgov/FIPS201, _FIPS201/frontend.md and its figures):
 * - Card size: ISO/IEC 7810 ID-1, 85.60 mm × 53.98 mm (§4.1: "SHALL comply with ... ISO 7810");
 *   the PIV topography is portrait, 53.98 mm wide × 85.60 mm high.
 * - Front zones: Figure 4-1 "Card Front: Printable Areas and Required Data" (1F, 2F, 8F, 10F, 14F,
 *   15F, 18F, 19F, contact area 7F) and Figures 4-2, 4-3 for the optional zones (9F, 11F, 12F,
 *   13F, 20F). The figure's grid lines: x 2 · 30.25 · 30.75 · 34 · 42 · 52.5; y 2.3 · 4.5 · 8 ·
 *   14.5 · 18 · 20 · 24 · 32.5 · 37 · 41.5 · 50 · 57.5 · 65.5 · 81.3 · 84.3.
 * - Back zones: Figure 4-6 (1B, 2B: x 48–51.5; 2B y 20–42.5, 1B y 42.5–65.5, text along the edge)
 *   and Figure 4-7 for the optional 4B and 7B areas.
 * - Type sizes: §4.1.4 "all data labels SHALL be printed in 5 pt Arial with the corresponding data
 *   in 6 pt Arial Bold" unless a zone says otherwise (2F 7–10 pt bold, 14F 6–9 pt bold, 19F and
 *   20F 12 pt bold, 18F circle ≤ 5 mm).
 * - Colours: §4.1.5 Table 4-2, sRGB column (white card body: white is "the absence of printing").
 */

/** Card size, mm (ISO/IEC 7810 ID-1, portrait). */
export const CARD_MM = { width: 53.98, height: 85.6 } as const;
/** The card as print media (what a card print tells the spooler). */
export const CARD_MEDIA = { widthMm: CARD_MM.width, heightMm: CARD_MM.height } as const;

/** A rectangle in mm. */
export interface MmRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const rect = (x0: number, y0: number, x1: number, y1: number): MmRect => ({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 });

/** Front zones (Figure 4-1; optional ones from Figures 4-2 and 4-3). */
export const FRONT = {
  /** 1F: upper left, recommended 27.75 × 37.0 mm (aspect 0.75), centred in the 2–30.25 mm column. */
  photo: rect(2.25, 4.5, 30.0, 41.5),
  /** 19F: expiration MMMYYYY, 12 pt bold, upper right. */
  expiryShort: rect(30.75, 4.5, 52.5, 8),
  /** 20F (optional): organizational affiliation abbreviation, 12 pt bold, below 19F. */
  orgAbbreviation: rect(30.75, 14.5, 52.5, 18),
  /** 8F: employee affiliation. */
  affiliation: rect(30.75, 20, 52.5, 24),
  /** 10F: agency, department or organization (two lines). */
  agency: rect(30.75, 24, 52.5, 32.5),
  /** 11F (optional): agency seal, 20 × 20 mm, behind 8F–14F (Figure 4-2). */
  seal: rect(31.65, 20.75, 51.65, 40.75),
  /** 13F (optional): issue date, above 14F. */
  issueDate: rect(30.75, 32.5, 52.5, 37),
  /** 14F: expiration YYYYMMMDD, 6–9 pt bold. */
  expiry: rect(30.75, 37, 52.5, 41.5),
  /** 2F: full name directly under the photograph; 15F colours its background. */
  name: rect(2, 41.5, 52.5, 50),
  /** 9F (optional): header above the photograph. */
  header: rect(2, 2.3, 30.25, 4.5),
  /** 12F (optional): footer at the bottom edge. */
  footer: rect(2, 81.3, 52.5, 84.3),
  /** 7F: the contact area (ISO/IEC 7816); never printed. Drawn only as a guide in the preview. */
  contact: rect(16.3, 65.5, 24.6, 77),
} as const;

/** 18F: the affiliation letter's white circle on the right of 15F; diameter ≤ 5 mm. */
export const AFFILIATION_CIRCLE = { cx: 49.75, cy: 45.75, r: 2.45 } as const;
/** Room the name keeps clear of the 18F circle, mm from the card's left edge. */
export const NAME_RIGHT_LIMIT_MM = 46.8;

/** Back zones (Figure 4-6; optional ones from Figure 4-7). */
export const BACK = {
  /** 2B: issuer identification number, along the right edge, right justified (toward the top). */
  issuerId: rect(48, 20, 51.5, 42.5),
  /** 1B: agency card serial number, along the right edge, left justified (toward the bottom). */
  serial: rect(48, 42.5, 51.5, 65.5),
  /** 4B (optional): return address. */
  returnAddress: rect(4, 28, 46, 40),
  /** 7B (optional): Section 499, Title 18 notice. */
  title18: rect(4, 42.5, 46, 60),
  /** Back of the contact area: not printed. */
  contactBack: rect(18, 4.5, 31.5, 20),
} as const;

/** Type sizes, points (§4.1.4 and the zones' own sizes). */
export const TYPE = {
  label: 5,
  data: 6,
  /** 2F: the largest of 10, 9, 8 pt on up to two lines, else 7 pt on up to three. */
  nameSizes: [10, 9, 8, 7] as const,
  /** 14F: 6–9 pt bold; 7 pt leaves room for its 5 pt label in the 4.5 mm zone. */
  expiry: 7,
  /** 19F and 20F. */
  large: 12,
  /** 18F letter inside the ≤ 5 mm circle. */
  circleLetter: 9,
} as const;

/** An sRGB colour, 0–255 per channel. */
export type Rgb = readonly [number, number, number];

/** §4.1.5 Table 4-2, sRGB column. */
export const COLORS = {
  black: [0, 0, 0] as Rgb,
  white: [255, 255, 255] as Rgb,
  /** 15F green: contractor. */
  green: [203, 255, 203] as Rgb,
  /** 15F blue: foreign national. */
  blue: [0, 255, 255] as Rgb,
  /** 12F red: emergency response official. */
  red: [254, 92, 79] as Rgb,
} as const;

/** Points per millimetre (1 pt = 1/72 in). */
export const PT_PER_MM = 72 / 25.4;
