/**
 * A card's face from what the station stores: its printed values, the
 * layout, the portrait and the seal. The preview (SVG) and the print (PDF)
 * come from here, so both show the same card.
 */
import type { CardLayout } from '../../contract/card-layout.js';
import { StationError } from '../errors.js';
import { cardFace, type CardFace, type FaceImage } from './card-face.js';
import { cardSideSvg } from './card-face-svg.js';
import type { CardFonts } from './card-fonts.js';
import type { PrintedCard } from './printed-card.js';

/** Everything a face is drawn from. */
export interface FaceSources {
  printed: PrintedCard;
  layout: CardLayout;
  /** The stored portrait (JPEG); undefined before a photo exists. */
  photo?: Uint8Array;
  seal: FaceImage | null;
}

/** The face of `sources`. */
export function faceOf(sources: FaceSources, fonts: CardFonts): CardFace {
  return cardFace({ printed: sources.printed, layout: sources.layout, photo: sources.photo ? { bytes: sources.photo, format: 'jpeg' } : null, seal: sources.seal, fonts });
}

/** Both sides as SVG documents (the on-screen preview, with guides). */
export function previewSvgs(sources: FaceSources, fonts: CardFonts): { front: string; back: string; nameSizePt: number } {
  const face = faceOf(sources, fonts);
  return { front: cardSideSvg(face.front, fonts), back: cardSideSvg(face.back, fonts), nameSizePt: face.name.sizePt };
}

/**
 * The printable PDF of `sources`.
 * @throws StationError PHOTO_MISSING when there is no portrait (a card is never printed without its photograph, Zone 1F)
 */
export async function printablePdf(sources: FaceSources, fonts: CardFonts, title: string, date: Date): Promise<Uint8Array> {
  if (!sources.photo) throw new StationError('PHOTO_MISSING', 'The person has no photo: take or import one before printing the card.');
  // pdf-lib is loaded with the first print, not with the station (issue 14, start-up).
  const { cardFacePdf } = await import('./card-face-pdf.js');
  return cardFacePdf(faceOf(sources, fonts), fonts, { title, date });
}
