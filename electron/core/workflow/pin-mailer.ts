/**
 * PIN mailer: a printable one-page PDF that carries a generated PIN to the
 * cardholder. The PIN exists only in the returned bytes: the station records
 * that a mailer was produced (audit), never the PIN itself.
 *
 * Layout follows the usual bank/CMS mailer: the address block at the top, the
 * PIN in a box below a fold line with the instruction to memorize and destroy.
 * Uses pdf-lib (standard Helvetica fonts, no embedded assets).
 */
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { StationError } from '../errors.js';

/** What a PIN mailer prints. */
export interface PinMailerInput {
  /** Cardholder name as on the card. */
  holderName: string;
  /** Card number (agency card serial) the PIN belongs to. */
  cardNumber: string;
  /** Issuing organization. */
  organization: string;
  /** The PIN, 6–8 digits. */
  pin: string;
  /** Date printed on the mailer (default: now). */
  date?: Date;
}

/** A4 in PDF points. */
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 56;

/** Characters the standard Helvetica font (WinAnsi) can print; others are replaced. */
function printable(s: string): string {
  return s.normalize('NFKD').replace(/[^\x20-\x7E\xA0-\xFF]/g, '?');
}

/**
 * Renders the mailer.
 * @returns PDF bytes (one A4 page)
 * @throws StationError INVALID_INPUT when the PIN is not 6–8 digits
 */
export async function renderPinMailer(input: PinMailerInput): Promise<Uint8Array> {
  if (!/^\d{6,8}$/.test(input.pin)) throw new StationError('INVALID_INPUT', 'A PIN mailer needs a PIN of 6 to 8 digits.');
  const doc = await PDFDocument.create();
  doc.setTitle('PIN mailer');
  doc.setProducer('PIV Station');
  doc.setCreationDate(input.date ?? new Date());
  const page = doc.addPage([PAGE.width, PAGE.height]);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const mono = await doc.embedFont(StandardFonts.CourierBold);
  const dark = rgb(0.1, 0.1, 0.15);
  let y = PAGE.height - MARGIN;
  const line = (text: string, size = 11, font = regular) => {
    page.drawText(printable(text), { x: MARGIN, y, size, font, color: dark });
    y -= size * 1.6;
  };

  line(input.organization, 14, bold);
  line('PIV card issuance', 11);
  y -= 24;
  line('Personal and confidential', 11, bold);
  line(input.holderName, 12);
  y -= 40;
  // fold line
  page.drawLine({ start: { x: MARGIN, y }, end: { x: PAGE.width - MARGIN, y }, thickness: 0.5, color: rgb(0.6, 0.6, 0.6), dashArray: [4, 4] });
  y -= 40;
  line(`PIN for your PIV card ${input.cardNumber}`, 13, bold);
  y -= 8;
  const boxHeight = 56;
  page.drawRectangle({ x: MARGIN, y: y - boxHeight + 24, width: 240, height: boxHeight, borderColor: dark, borderWidth: 1.5 });
  page.drawText(input.pin.split('').join(' '), { x: MARGIN + 20, y: y - 12, size: 28, font: mono, color: dark });
  y -= boxHeight + 12;
  line('Memorize this PIN, then destroy this letter. Never write the PIN on the card', 10);
  line('or keep it with the card. Nobody from the issuing office will ever ask for it.', 10);
  line('After 3 wrong PINs the card locks; the issuance desk can unlock it.', 10);
  y -= 16;
  line(`Printed ${(input.date ?? new Date()).toISOString().slice(0, 10)}`, 9);
  return doc.save();
}
