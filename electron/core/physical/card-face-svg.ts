/**
 * The on-screen card face: one SVG per side, drawn from the same item list as
 * the printed PDF (card-face.ts). Text is drawn as the card font's glyph
 * outlines, so the screen needs no font and shows the printed line breaks
 * exactly; each text keeps its words as an accessible label.
 */
import { CARD_MM, type Rgb } from './card-geometry.js';
import type { CardFonts } from './card-fonts.js';
import type { CardSide, FaceItem } from './card-face.js';

/** ISO/IEC 7810 ID-1 corner radius, mm (drawn as the card's outline on screen). */
const CORNER_RADIUS_MM = 3.18;

const rgb = (c: Rgb) => `rgb(${c[0]},${c[1]},${c[2]})`;
const num = (v: number) => String(Math.round(v * 1000) / 1000);
/** Escapes text for an XML attribute or element. */
function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
const base64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

function item(i: FaceItem, fonts: CardFonts, guides: boolean): string {
  switch (i.kind) {
    case 'rect':
      return `<rect data-zone="${i.zone}" x="${num(i.rect.x)}" y="${num(i.rect.y)}" width="${num(i.rect.width)}" height="${num(i.rect.height)}" fill="${rgb(i.fill)}"/>`;
    case 'circle':
      return `<circle data-zone="${i.zone}" cx="${num(i.cx)}" cy="${num(i.cy)}" r="${num(i.r)}" fill="${rgb(i.fill)}" stroke="${rgb(i.stroke)}" stroke-width="${num(i.strokeMm)}"/>`;
    case 'image':
      return `<image data-zone="${i.zone}" x="${num(i.rect.x)}" y="${num(i.rect.y)}" width="${num(i.rect.width)}" height="${num(i.rect.height)}" preserveAspectRatio="none"${i.opacity < 1 ? ` opacity="${num(i.opacity)}"` : ''} href="data:image/${i.format};base64,${base64(i.bytes)}"/>`;
    case 'text': {
      const font = i.bold ? fonts.bold : fonts.regular;
      const transform = `translate(${num(i.x)} ${num(i.y)})${i.rotate ? ` rotate(${i.rotate})` : ''}`;
      return `<path data-zone="${i.zone}" role="img" aria-label="${xml(i.text)}" transform="${transform}" fill="${rgb(i.color)}" d="${font.pathMm(i.text, i.sizePt)}"/>`;
    }
    case 'guide':
      if (!guides) return '';
      return (
        `<g data-zone="${i.zone}" data-guide="true"><rect x="${num(i.rect.x)}" y="${num(i.rect.y)}" width="${num(i.rect.width)}" height="${num(i.rect.height)}" fill="none" stroke="rgb(150,150,150)" stroke-width="0.2" stroke-dasharray="0.8 0.6"/>` +
        `<path transform="translate(${num(i.rect.x + 0.6)} ${num(i.rect.y + 2)})" fill="rgb(150,150,150)" d="${fonts.regular.pathMm(i.label, 3)}"/></g>`
      );
  }
}

/**
 * One side as an SVG document, 1 user unit = 1 mm.
 * @param guides draw the on-screen guides (contact area, missing photo); never on a print
 */
export function cardSideSvg(side: CardSide, fonts: CardFonts, guides = true): string {
  const w = num(CARD_MM.width);
  const h = num(CARD_MM.height);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}mm" height="${h}mm" role="img" aria-label="Card ${side.side}">` +
    `<rect x="0.1" y="0.1" width="${num(CARD_MM.width - 0.2)}" height="${num(CARD_MM.height - 0.2)}" rx="${CORNER_RADIUS_MM}" fill="rgb(255,255,255)" stroke="rgb(120,120,120)" stroke-width="0.2"/>` +
    side.items.map((i) => item(i, fonts, guides)).join('') +
    '</svg>'
  );
}
