/**
 * The cardholder's portrait: the rules a photo must pass before it is kept,
 * and the one stored form every use starts from (card face Zone 1F, the
 * Cardholder Facial Image on the chip, the screens).
 *
 * Sources:
 * - FIPS 201-3 §4.1.4.1 Zone 1F: "a frontal pose from top of the head to shoulder. A minimum of 300
 *   dots per inch (DPI) resolution SHALL be used"; Figure 4-1 gives the zone as 27.75 mm wide ×
 *   37.0 mm high (aspect ratio 0.75), so the portrait is cropped to 3:4 and must hold at least
 *   328 × 438 pixels (27.75 mm and 37.0 mm at 300 DPI).
 * - Brightness limits are the station's own plain checks for a usable photo (SP 800-76-2 leaves
 *   exposure to the capture guidance of INCITS 385 / ISO/IEC 19794-5, which names no numbers).
 */
import { StationError } from '../errors.js';
import type { ImageCodec, PixelRect } from './image-codec.js';

/** Zone 1F size, mm (FIPS 201-3 Figure 4-1). */
export const PHOTO_ZONE_MM = { width: 27.75, height: 37.0 } as const;
/** Lowest print resolution of Zone 1F, dots per inch (FIPS 201-3 §4.1.4.1). */
export const MIN_PRINT_DPI = 300;
const MM_PER_INCH = 25.4;
/** Width ÷ height of the portrait (Zone 1F: 27.75 / 37.0 = 0.75). */
export const PORTRAIT_ASPECT = PHOTO_ZONE_MM.width / PHOTO_ZONE_MM.height;
/** Smallest crop the station accepts, pixels: Zone 1F at 300 DPI. */
export const MIN_PORTRAIT_PIXELS = {
  width: Math.ceil((PHOTO_ZONE_MM.width / MM_PER_INCH) * MIN_PRINT_DPI),
  height: Math.ceil((PHOTO_ZONE_MM.height / MM_PER_INCH) * MIN_PRINT_DPI),
} as const;
/** The stored portrait, pixels: 3:4, about 412 DPI over Zone 1F, so the print never upsamples. */
export const STORED_PORTRAIT_PIXELS = { width: 450, height: 600 } as const;
/** JPEG quality of the stored portrait (1–100). */
const STORED_QUALITY = 90;
/** Mean luma (0–255) below which a photo is too dark, above which too bright. */
export const LUMA_LIMITS = { tooDark: 50, tooBright: 215 } as const;
/** Spread of grey values (standard deviation, 0–255) below which the photo shows nothing (a blank or covered lens). */
export const MIN_LUMA_SPREAD = 10;

/** Why a photo is refused. */
export type PortraitProblem = 'format' | 'landscape' | 'too-small' | 'too-dark' | 'too-bright' | 'blank';

/** A refusal: the problem and the sentence the officer reads. */
export interface PortraitFinding {
  problem: PortraitProblem;
  sentence: string;
}

/** A crop as fractions (0–1) of the oriented image: left, top, width, height; from the capture screen's frame guide. */
export interface FractionRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The stored portrait. */
export interface Portrait {
  jpeg: Uint8Array;
  width: number;
  height: number;
}

/** The result of checking a photo: the portrait when every check passed, else every finding. */
export type PortraitCheck = { ok: true; portrait: Portrait; region: PixelRect } | { ok: false; findings: PortraitFinding[] };

/**
 * The pixel region of `crop` (whole image when absent) narrowed, about its centre, to the 3:4
 * portrait proportion. A region wider than tall is not narrowed: it is refused as landscape.
 */
export function portraitRegion(image: { width: number; height: number }, crop?: FractionRect): PixelRect {
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  const f = crop ?? { x: 0, y: 0, width: 1, height: 1 };
  const left = Math.round(clamp(f.x) * image.width);
  const top = Math.round(clamp(f.y) * image.height);
  const width = Math.max(1, Math.min(image.width - left, Math.round(clamp(f.width) * image.width)));
  const height = Math.max(1, Math.min(image.height - top, Math.round(clamp(f.height) * image.height)));
  if (width > height) return { left, top, width, height };
  // Taller than 3:4 → trim height; wider (but still portrait) → trim width.
  if (width / height < PORTRAIT_ASPECT) {
    const h = Math.round(width / PORTRAIT_ASPECT);
    return { left, top: top + Math.floor((height - h) / 2), width, height: h };
  }
  const w = Math.round(height * PORTRAIT_ASPECT);
  return { left: left + Math.floor((width - w) / 2), top, width: w, height };
}

/**
 * Checks a photo and, when it passes, makes the stored portrait: cropped to `crop` and 3:4,
 * resized to {@link STORED_PORTRAIT_PIXELS}, JPEG. Never throws for a bad photo: every finding is returned.
 * @throws StationError PHOTO_REJECTED only when the bytes are not a readable image
 */
export async function checkPortrait(codec: ImageCodec, bytes: Uint8Array, crop?: FractionRect): Promise<PortraitCheck> {
  const facts = await codec.inspect(bytes);
  if (facts.format !== 'jpeg' && facts.format !== 'png') {
    return { ok: false, findings: [{ problem: 'format', sentence: 'The photo must be a JPEG or PNG image.' }] };
  }
  const region = portraitRegion(facts, crop);
  const findings: PortraitFinding[] = [];
  if (region.width > region.height) {
    findings.push({ problem: 'landscape', sentence: 'The photo is not in portrait orientation: crop it to a head-and-shoulders frame taller than wide.' });
  }
  const min = MIN_PORTRAIT_PIXELS;
  if (region.width < min.width || region.height < min.height) {
    findings.push({
      problem: 'too-small',
      sentence: `The photo is too small: the portrait needs at least ${min.width} × ${min.height} pixels to print at ${MIN_PRINT_DPI} DPI; this one has ${region.width} × ${region.height}.`,
    });
  }
  const light = await codec.light(bytes, region);
  if (light.meanLuma < LUMA_LIMITS.tooDark) {
    findings.push({ problem: 'too-dark', sentence: 'The photo is too dark: add light in front of the person and take it again.' });
  } else if (light.meanLuma > LUMA_LIMITS.tooBright) {
    findings.push({ problem: 'too-bright', sentence: 'The photo is too bright: reduce the light or move away from the window and take it again.' });
  } else if (light.lumaStdDev < MIN_LUMA_SPREAD) {
    findings.push({ problem: 'blank', sentence: 'The photo shows almost nothing (one flat colour): is the lens covered?' });
  }
  if (findings.length > 0) return { ok: false, findings };
  const jpeg = await codec.cropToJpeg(bytes, region, STORED_PORTRAIT_PIXELS, STORED_QUALITY);
  return { ok: true, portrait: { jpeg, ...STORED_PORTRAIT_PIXELS }, region };
}

/**
 * {@link checkPortrait}, refusing a photo that fails.
 * @throws StationError PHOTO_REJECTED naming every problem (details.problem: the first one's code)
 */
export async function preparePortrait(codec: ImageCodec, bytes: Uint8Array, crop?: FractionRect): Promise<Portrait> {
  const checked = await checkPortrait(codec, bytes, crop);
  if (!checked.ok) {
    throw new StationError('PHOTO_REJECTED', checked.findings.map((f) => f.sentence).join(' '), { problem: checked.findings[0]!.problem });
  }
  return checked.portrait;
}
