/**
 * The frame guide of the capture screen: a full-height 3:4 rectangle in the
 * middle of the camera frame (FIPS 201-3 Zone 1F's proportion), as the crop
 * the core applies. Pure, for tests.
 */

/** Width ÷ height of the portrait (FIPS 201-3 Figure 4-1: 27.75 × 37.0 mm). */
export const PORTRAIT_ASPECT = 0.75;

/** The guide's crop as fractions of a `width` × `height` frame: the tallest centred 3:4 rectangle. */
export function guideCrop(width: number, height: number): { x: number; y: number; width: number; height: number } {
  if (width <= 0 || height <= 0) return { x: 0, y: 0, width: 1, height: 1 };
  if (width / height > PORTRAIT_ASPECT) {
    const w = (height * PORTRAIT_ASPECT) / width;
    return { x: (1 - w) / 2, y: 0, width: w, height: 1 };
  }
  const h = width / PORTRAIT_ASPECT / height;
  return { x: 0, y: (1 - h) / 2, width: 1, height: h };
}

/** Longest side an imported file is sent with, pixels: under the bridge's frame, above Zone 1F's 300 DPI needs. */
export const MAX_SENT_SIDE = 1600;

/** The size an image of `width` × `height` is sent at: unchanged, or shrunk so its longest side is {@link MAX_SENT_SIDE}. */
export function sentSize(width: number, height: number): { width: number; height: number } {
  const k = Math.min(1, MAX_SENT_SIDE / Math.max(width, height));
  return { width: Math.round(width * k), height: Math.round(height * k) };
}
