/**
 * The printable card: a PDF proof at ID-1 size (53.98 × 85.60 mm, the
 * portrait PIV topography), one page per side (front, back), drawn from the
 * same item list as the screen (card-face.ts). The card font is embedded
 * (subset); the portrait is embedded as the stored JPEG (about 412 DPI over
 * Zone 1F, above FIPS 201-3's 300 DPI minimum), never resampled.
 */
import { PDFDocument, degrees, rgb, type PDFFont, type PDFImage } from 'pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import { CARD_MM, PT_PER_MM, type Rgb } from './card-geometry.js';
import type { CardFonts } from './card-fonts.js';
import type { CardFace, CardSide } from './card-face.js';

/** Document information of a proof. */
export interface ProofInfo {
  /** The PDF title (the print job carries the production job id in it). */
  title: string;
  /** Creation date written into the PDF. */
  date: Date;
}

const color = (c: Rgb) => rgb(c[0] / 255, c[1] / 255, c[2] / 255);

async function drawSide(doc: PDFDocument, side: CardSide, font: { regular: PDFFont; bold: PDFFont }): Promise<void> {
  const page = doc.addPage([CARD_MM.width * PT_PER_MM, CARD_MM.height * PT_PER_MM]);
  const H = page.getHeight();
  const pt = (v: number) => v * PT_PER_MM;
  const images = new Map<Uint8Array, PDFImage>();
  for (const i of side.items) {
    switch (i.kind) {
      case 'rect':
        page.drawRectangle({ x: pt(i.rect.x), y: H - pt(i.rect.y + i.rect.height), width: pt(i.rect.width), height: pt(i.rect.height), color: color(i.fill) });
        break;
      case 'circle':
        page.drawEllipse({ x: pt(i.cx), y: H - pt(i.cy), xScale: pt(i.r), yScale: pt(i.r), color: color(i.fill), borderColor: color(i.stroke), borderWidth: pt(i.strokeMm) });
        break;
      case 'image': {
        let img = images.get(i.bytes);
        if (!img) {
          img = i.format === 'png' ? await doc.embedPng(i.bytes) : await doc.embedJpg(i.bytes);
          images.set(i.bytes, img);
        }
        page.drawImage(img, { x: pt(i.rect.x), y: H - pt(i.rect.y + i.rect.height), width: pt(i.rect.width), height: pt(i.rect.height), opacity: i.opacity });
        break;
      }
      case 'text':
        page.drawText(i.text, { x: pt(i.x), y: H - pt(i.y), size: i.sizePt, font: i.bold ? font.bold : font.regular, color: color(i.color), rotate: i.rotate ? degrees(-i.rotate) : undefined });
        break;
      case 'guide':
        // Screen only: the contact area and missing-photo guides are never printed.
        break;
    }
  }
}

/**
 * The card face as a two-page PDF (front, back) at ID-1 size with the card font embedded.
 * @returns PDF bytes
 */
export async function cardFacePdf(face: CardFace, fonts: CardFonts, info: ProofInfo): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  doc.setTitle(info.title);
  doc.setProducer('PIV Station');
  doc.setCreator('PIV Station');
  doc.setCreationDate(info.date);
  doc.setModificationDate(info.date);
  const font = { regular: await doc.embedFont(fonts.regular.bytes, { subset: true }), bold: await doc.embedFont(fonts.bold.bytes, { subset: true }) };
  await drawSide(doc, face.front, font);
  await drawSide(doc, face.back, font);
  return doc.save();
}
