/**
 * The card face as data: every mark printed on the front and back of one
 * card, placed by the zones of FIPS 201-3 §4.1.4 (card-geometry.ts), with
 * text measured in the card font (card-fonts.ts). The SVG preview and the PDF
 * proof both draw exactly this list, so the screen shows what is printed.
 */
import type { CardLayout } from '../../contract/card-layout.js';
import { printedDate, printedMonth } from '../issuance/card-numbering.js';
import type { CardFonts, FontFace } from './card-fonts.js';
import { AFFILIATION_CIRCLE, BACK, CARD_MM, COLORS, FRONT, NAME_RIGHT_LIMIT_MM, PT_PER_MM, TYPE, type MmRect, type Rgb } from './card-geometry.js';
import type { PrintedCard } from './printed-card.js';

/** One mark on a side. Coordinates in mm from the side's top left; text `y` is the baseline. */
export type FaceItem =
  | { kind: 'rect'; zone: string; rect: MmRect; fill: Rgb }
  | { kind: 'circle'; zone: string; cx: number; cy: number; r: number; fill: Rgb; stroke: Rgb; strokeMm: number }
  | { kind: 'image'; zone: string; rect: MmRect; bytes: Uint8Array; format: 'jpeg' | 'png'; opacity: number }
  /** `rotate` -90: the baseline runs up the card (text read bottom to top), from (x, y). */
  | { kind: 'text'; zone: string; x: number; y: number; text: string; sizePt: number; bold: boolean; color: Rgb; rotate?: -90 }
  /** Shown on screen only, never printed (the contact area, a missing photo). */
  | { kind: 'guide'; zone: string; rect: MmRect; label: string };

/** One side of the card. */
export interface CardSide {
  side: 'front' | 'back';
  width: number;
  height: number;
  items: FaceItem[];
}

/** Both sides, and how the name was set (for tests and the layout screen). */
export interface CardFace {
  front: CardSide;
  back: CardSide;
  name: { sizePt: number; lines: string[]; truncated: boolean };
}

/** An image for the face: the portrait (JPEG) or the seal (PNG or JPEG). */
export interface FaceImage {
  bytes: Uint8Array;
  format: 'jpeg' | 'png';
}

/** Everything a face is made from. */
export interface CardFaceInput {
  printed: PrintedCard;
  layout: CardLayout;
  /** The stored portrait; null on a preview before a photo exists (a guide is drawn instead). */
  photo: FaceImage | null;
  /** The Zone 11F seal, when the layout shows one. */
  seal: FaceImage | null;
  fonts: CardFonts;
}

/** Line spacing as a multiple of the type size. */
const LEADING = 1.12;
/** Gap between a zone's edge and its first text, mm. */
const PAD = 0.35;
/** Gap above a zone's 5 pt label, mm, and the leading of data under it: 8F's label and data fit its 4 mm. */
const LABEL_TOP = 0.2;
const DATA_LEADING = 1.05;
/** Liberation Sans (as Arial) capital height, fraction of the type size. */
const CAP_HEIGHT = 0.716;
/** The seal is printed pale behind 8F–14F so the text stays legible (FIPS 201-3 Figure 4-2: "65% brightness and 25% contrast"). */
const SEAL_OPACITY = 0.3;
/** The Zone 18F letter for each 15F colour. */
const COLOR_LETTER = { white: 'W', green: 'G', blue: 'B' } as const;
/** The Section 499, Title 18 notice (Zone 7B), as commonly printed on PIV cards. */
export const TITLE_18_NOTICE = [
  'This card is the property of the U.S. Government.',
  'Counterfeiting, altering, or misusing violates',
  'Section 499, Title 18 of the U.S. Code.',
];

const mm = (pt: number) => pt / PT_PER_MM;

/**
 * Sets the Zone 2F name (FIPS 201-3 §4.1.4.1): "PRIMARY, SECONDARY" in the largest of 10, 9, 8 pt
 * Arial Bold that fits two lines, else 7 pt on up to three; identifiers on separate lines when each
 * fits one; a wrapped identifier ends its line with ">"; truncated only when 7 pt cannot hold it.
 */
export function setName(primary: string, secondary: string, bold: FontFace, widthMm: number): CardFace['name'] {
  for (const sizePt of TYPE.nameSizes) {
    const lines = arrangeName(primary, secondary, (t) => bold.widthMm(t, sizePt) <= widthMm, sizePt === 7 ? 3 : 2);
    if (lines) return { sizePt, lines, truncated: false };
  }
  // Nothing fits at 7 pt on three lines: wrap without a limit, keep three lines, cut the last to fit.
  const fits = (t: string) => bold.widthMm(t, 7) <= widthMm;
  const all = arrangeName(primary, secondary, fits, Number.MAX_SAFE_INTEGER)!;
  const lines = all.slice(0, 3);
  let last = lines[2]!;
  while (last.length > 1 && !fits(`${last}>`)) last = last.slice(0, -1);
  lines[2] = `${last.replace(/>$/, '')}>`;
  return { sizePt: 7, lines, truncated: true };
}

/** The name's lines at one size, or null when more than `maxLines` are needed. */
function arrangeName(primary: string, secondary: string, fits: (t: string) => boolean, maxLines: number): string[] | null {
  const first = `${primary},`;
  if (maxLines >= 2 && secondary && fits(first) && fits(secondary)) return [first, secondary];
  const whole = secondary ? `${primary}, ${secondary}` : primary;
  if (fits(whole)) return [whole];
  // Word by word; a break inside one identifier marks its line with ">".
  const words = [
    ...primary.split(' ').map((w, i, a) => ({ w: i === a.length - 1 && secondary ? `${w},` : w, id: 0 })),
    ...(secondary ? secondary.split(' ').map((w) => ({ w, id: 1 })) : []),
  ];
  const lines: string[] = [];
  let line = '';
  let lineId = -1;
  for (const { w, id } of words) {
    const candidate = line ? `${line} ${w}` : w;
    if (fits(candidate)) {
      line = candidate;
      lineId = id;
      continue;
    }
    if (line) {
      lines.push(lineId === id ? `${line}>` : line);
      line = '';
    }
    // A word longer than a line is cut, each piece ending with ">".
    let rest = w;
    while (!fits(rest)) {
      let n = rest.length - 1;
      while (n > 1 && !fits(`${rest.slice(0, n)}>`)) n--;
      lines.push(`${rest.slice(0, n)}>`);
      rest = rest.slice(n);
    }
    line = rest;
    lineId = id;
  }
  if (line) lines.push(line);
  // A ">" line must still fit with its marker.
  if (lines.some((l) => !fits(l))) return null;
  return lines.length <= maxLines ? lines : null;
}

/** Text items of a labelled zone: the 5 pt label, then data lines in `dataPt` bold. */
function labelled(zone: string, r: MmRect, label: string, data: string[], dataPt: number = TYPE.data): FaceItem[] {
  const items: FaceItem[] = [];
  // The label's capitals start just inside the zone; each data line follows at its own size.
  let y = r.y + LABEL_TOP + mm(TYPE.label) * CAP_HEIGHT;
  items.push({ kind: 'text', zone, x: r.x, y, text: label, sizePt: TYPE.label, bold: false, color: COLORS.black });
  for (const line of data) {
    y += mm(dataPt) * DATA_LEADING;
    items.push({ kind: 'text', zone, x: r.x, y, text: line, sizePt: dataPt, bold: true, color: COLORS.black });
  }
  return items;
}

/** Text right-aligned in a zone, vertically centred (capitals). */
function rightAligned(zone: string, r: MmRect, text: string, sizePt: number, font: FontFace): FaceItem {
  const w = font.widthMm(text, sizePt);
  const y = r.y + r.height / 2 + (mm(sizePt) * font.capHeight) / 2;
  return { kind: 'text', zone, x: r.x + r.width - w, y, text, sizePt, bold: true, color: COLORS.black };
}

/** Builds both sides of the card face. */
export function cardFace(input: CardFaceInput): CardFace {
  const { printed: p, layout, fonts } = input;
  const front: FaceItem[] = [];
  const back: FaceItem[] = [];

  // Zone 15F: the name's background colour (white is the card body: nothing printed).
  if (p.affiliationColor !== 'white') front.push({ kind: 'rect', zone: '15F', rect: FRONT.name, fill: COLORS[p.affiliationColor] });

  // Zone 11F first, so the text of 8F–14F is printed over it.
  if (layout.showSeal && input.seal) front.push({ kind: 'image', zone: '11F', rect: FRONT.seal, ...input.seal, opacity: SEAL_OPACITY });

  // Zone 1F.
  if (input.photo) front.push({ kind: 'image', zone: '1F', rect: FRONT.photo, ...input.photo, opacity: 1 });
  else front.push({ kind: 'guide', zone: '1F', rect: FRONT.photo, label: 'No photo yet' });

  if (layout.header) {
    const w = fonts.bold.widthMm(layout.header, TYPE.data);
    front.push({ kind: 'text', zone: '9F', x: FRONT.header.x + (FRONT.header.width - w) / 2, y: FRONT.header.y + FRONT.header.height - 0.3, text: layout.header, sizePt: TYPE.data, bold: true, color: COLORS.black });
  }

  // Zones 19F and 20F: 12 pt bold, right-aligned in the upper right.
  front.push(rightAligned('19F', FRONT.expiryShort, printedMonth(p.expirationDate), TYPE.large, fonts.bold));
  if (layout.orgAbbreviation) front.push(rightAligned('20F', FRONT.orgAbbreviation, layout.orgAbbreviation, TYPE.large, fonts.bold));

  front.push(...labelled('8F', FRONT.affiliation, 'Affiliation', [p.employeeAffiliation]));
  front.push(...labelled('10F', FRONT.agency, 'Agency/Department', p.agencyLines));
  if (layout.showIssueDate) front.push(...labelled('13F', FRONT.issueDate, 'Issued', [printedDate(p.issueDate)]));
  front.push(...labelled('14F', FRONT.expiry, 'Expires', [printedDate(p.expirationDate)], TYPE.expiry));

  // Zone 2F: the name, set to fit left of the 18F circle, lines centred vertically in the zone.
  const name = setName(p.primary, p.secondary, fonts.bold, NAME_RIGHT_LIMIT_MM - FRONT.name.x - PAD);
  const lineMm = mm(name.sizePt) * LEADING;
  const capMm = mm(name.sizePt) * fonts.bold.capHeight;
  let y = FRONT.name.y + (FRONT.name.height - (lineMm * (name.lines.length - 1) + capMm)) / 2 + capMm;
  for (const line of name.lines) {
    front.push({ kind: 'text', zone: '2F', x: FRONT.name.x + PAD, y, text: line, sizePt: name.sizePt, bold: true, color: COLORS.black });
    y += lineMm;
  }

  // Zone 18F: the colour's letter in a white circle on the right of 15F.
  const c = AFFILIATION_CIRCLE;
  front.push({ kind: 'circle', zone: '18F', cx: c.cx, cy: c.cy, r: c.r, fill: COLORS.white, stroke: COLORS.black, strokeMm: 0.25 });
  const letter = COLOR_LETTER[p.affiliationColor];
  const lw = fonts.bold.widthMm(letter, TYPE.circleLetter);
  front.push({ kind: 'text', zone: '18F', x: c.cx - lw / 2, y: c.cy + (mm(TYPE.circleLetter) * fonts.bold.capHeight) / 2, text: letter, sizePt: TYPE.circleLetter, bold: true, color: COLORS.black });

  if (layout.footer) {
    const emergency = layout.footerStyle === 'emergency';
    if (emergency) front.push({ kind: 'rect', zone: '12F', rect: FRONT.footer, fill: COLORS.red });
    const w = fonts.bold.widthMm(layout.footer, TYPE.data);
    front.push({
      kind: 'text',
      zone: '12F',
      x: FRONT.footer.x + (FRONT.footer.width - w) / 2,
      y: FRONT.footer.y + FRONT.footer.height / 2 + (mm(TYPE.data) * fonts.bold.capHeight) / 2,
      text: layout.footer,
      sizePt: TYPE.data,
      bold: true,
      color: emergency ? COLORS.white : COLORS.black,
    });
  }
  front.push({ kind: 'guide', zone: '7F', rect: FRONT.contact, label: 'Contact area' });

  // Back, Zones 2B and 1B: 6 pt bold along the right edge, read bottom to top.
  const edgeText = (zone: string, r: MmRect, text: string, justify: 'top' | 'bottom'): FaceItem => {
    const w = fonts.bold.widthMm(text, TYPE.data);
    const x = r.x + r.width / 2 + (mm(TYPE.data) * fonts.bold.capHeight) / 2;
    const yStart = justify === 'top' ? r.y + Math.min(w, r.height) : r.y + r.height;
    return { kind: 'text', zone, x, y: yStart, text, sizePt: TYPE.data, bold: true, color: COLORS.black, rotate: -90 };
  };
  back.push(edgeText('2B', BACK.issuerId, p.issuerId, 'top'));
  back.push(edgeText('1B', BACK.serial, p.agencyCardSerial, 'bottom'));
  if (layout.returnAddress.length > 0) back.push(...labelled('4B', BACK.returnAddress, 'If found, return to:', layout.returnAddress, TYPE.data));
  if (layout.title18Notice) {
    let ty = BACK.title18.y + PAD;
    for (const line of TITLE_18_NOTICE) {
      ty += mm(TYPE.label) * LEADING;
      back.push({ kind: 'text', zone: '7B', x: BACK.title18.x, y: ty, text: line, sizePt: TYPE.label, bold: false, color: COLORS.black });
    }
  }
  back.push({ kind: 'guide', zone: 'contact', rect: BACK.contactBack, label: 'Back of contact area' });

  return {
    front: { side: 'front', width: CARD_MM.width, height: CARD_MM.height, items: front },
    back: { side: 'back', width: CARD_MM.width, height: CARD_MM.height, items: back },
    name,
  };
}
