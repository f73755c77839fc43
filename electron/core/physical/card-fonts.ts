/**
 * The card face's type: Liberation Sans Regular and Bold.
 *
 * FIPS 201-3 §4.1.4 names Arial; "If the Arial font is not available, a visually similar font ...
 * MAY be substituted for all references to Arial ... consistently". Arial cannot be installed
 * here, so the station uses Liberation Sans (SIL OFL), which is metric-compatible with Arial: every
 * glyph has Arial's advance width, so line breaks and fits are those Arial would give. This is a
 * deviation from the named font, not from the layout. The fonts come from the operating system
 * (Debian: fonts-liberation2), never from this repository.
 *
 * One set of metrics serves every renderer: the SVG preview draws the glyph outlines, the PDF
 * embeds the same font files, so what the officer sees is what is printed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type Fontkit from '@pdf-lib/fontkit';
import { StationError } from '../errors.js';
import { PT_PER_MM } from './card-geometry.js';

/** Where Liberation Sans is looked for, in order (Debian/Ubuntu liberation2 and liberation, Fedora, Homebrew). */
export const FONT_DIRS = [
  '/usr/share/fonts/truetype/liberation2',
  '/usr/share/fonts/truetype/liberation',
  '/usr/share/fonts/liberation-sans',
  '/opt/homebrew/share/fonts',
  '/usr/local/share/fonts',
];
const FILES = { regular: 'LiberationSans-Regular.ttf', bold: 'LiberationSans-Bold.ttf' } as const;

/** One face of the font: its file bytes (for embedding) and metrics. */
export interface FontFace {
  /** The TTF file, embedded in the PDF. */
  bytes: Uint8Array;
  /** Width of `text` at `sizePt`, mm. */
  widthMm(text: string, sizePt: number): number;
  /**
   * SVG path data of `text` with its baseline origin at (0, 0), y down, in mm at `sizePt`.
   * Empty for blank text.
   */
  pathMm(text: string, sizePt: number): string;
  /** Cap height as a fraction of the type size (for centring capitals). */
  capHeight: number;
}

/** The two faces the card face uses. */
export interface CardFonts {
  regular: FontFace;
  bold: FontFace;
}

/**
 * fontkit, required on first use (issue 14, start-up): loading it decompresses its Unicode tables,
 * a few hundred ms of CPU that every station start paid although only the card face needs it.
 * A synchronous require keeps {@link cardFonts} synchronous (its callers are); the package is
 * CommonJS (its "main" is a UMD build), so require returns the same object its default import does.
 */
function fontkit(): typeof Fontkit {
  return createRequire(import.meta.url)('@pdf-lib/fontkit') as typeof Fontkit;
}

function face(bytes: Uint8Array): FontFace {
  const font = fontkit().create(bytes);
  const unitsToMm = (sizePt: number) => sizePt / font.unitsPerEm / PT_PER_MM;
  return {
    bytes,
    capHeight: font.capHeight / font.unitsPerEm,
    widthMm: (text, sizePt) => font.layout(text).advanceWidth * unitsToMm(sizePt),
    pathMm(text, sizePt) {
      const run = font.layout(text);
      const k = unitsToMm(sizePt);
      const parts: string[] = [];
      let penX = 0;
      run.glyphs.forEach((glyph, i) => {
        const pos = run.positions[i]!;
        // Glyph outlines are in font units, y up: scale and flip each command's coordinates.
        const x0 = penX + pos.xOffset;
        const y0 = pos.yOffset;
        for (const c of (glyph.path as unknown as GlyphPath).commands) {
          const pts: string[] = [];
          for (let j = 0; j + 1 < c.args.length; j += 2) {
            pts.push(`${round((x0 + c.args[j]!) * k)} ${round(-(y0 + c.args[j + 1]!) * k)}`);
          }
          const op = { moveTo: 'M', lineTo: 'L', quadraticCurveTo: 'Q', bezierCurveTo: 'C', closePath: 'Z' }[c.command];
          if (op) parts.push(op + pts.join(' '));
        }
        penX += pos.xAdvance;
      });
      return parts.join('');
    },
  };
}

/** fontkit's Path keeps its drawing commands (not in its type declarations). */
interface GlyphPath {
  commands: { command: 'moveTo' | 'lineTo' | 'quadraticCurveTo' | 'bezierCurveTo' | 'closePath'; args: number[] }[];
}

const round = (v: number) => Math.round(v * 1000) / 1000;

let loaded: { dir: string; fonts: CardFonts } | undefined;

/**
 * Loads Liberation Sans Regular and Bold (once per directory).
 * @param dir a directory holding both files; absent: the first of {@link FONT_DIRS} that has them
 * @throws StationError INVALID_INPUT when the fonts are missing, naming the package that provides them
 */
export function cardFonts(dir?: string): CardFonts {
  const found = dir ?? FONT_DIRS.find((d) => existsSync(join(d, FILES.regular)) && existsSync(join(d, FILES.bold)));
  if (!found || !existsSync(join(found, FILES.regular)) || !existsSync(join(found, FILES.bold))) {
    throw new StationError('INVALID_INPUT', 'The card face needs the Liberation Sans fonts (Debian: install the package fonts-liberation2).', { fonts: dir ?? FONT_DIRS[0]! });
  }
  if (loaded?.dir === found) return loaded.fonts;
  const fonts = { regular: face(new Uint8Array(readFileSync(join(found, FILES.regular)))), bold: face(new Uint8Array(readFileSync(join(found, FILES.bold)))) };
  loaded = { dir: found, fonts };
  return fonts;
}
