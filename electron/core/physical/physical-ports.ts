/**
 * What the physical half of the card needs from the machine (issue 11): the
 * image codec, the card printer over the OS spooler, the desk's printer queue
 * and the card fonts. The composition root (electron/boot) builds it from
 * native/image and native/cups; tests build it from the same parts.
 */
import type { StationConfig } from '../config/station-config.js';
import { cardFonts, type CardFonts } from './card-fonts.js';
import { CardPrinter } from './card-printer.js';
import type { ImageCodec } from './image-codec.js';
import type { FollowOptions, PrintSpooler } from './print-spooler.js';

/** The physical ports. */
export interface PhysicalPorts {
  codec: ImageCodec;
  printer: CardPrinter;
  /** The desk's card printer queue (config cardPrinter.queue); undefined: this desk has none. */
  cardQueue?: string;
  /** The card face fonts (loaded on first use). @throws StationError INVALID_INPUT when they are missing */
  fonts(): CardFonts;
}

/** Builds the physical ports over a codec and a spooler. */
export function physicalPorts(codec: ImageCodec, spooler: PrintSpooler, config: Pick<StationConfig, 'cardPrinter' | 'cardFonts'>, follow?: FollowOptions): PhysicalPorts {
  return { codec, printer: new CardPrinter(spooler, follow), cardQueue: config.cardPrinter?.queue, fonts: () => cardFonts(config.cardFonts) };
}
