/**
 * Synthetic photos for tests: a head-and-shoulders figure drawn as SVG and
 * rasterised by sharp, so no real person's face is ever committed.
 */
import sharp from 'sharp';

/** Options of a synthetic photo. */
export interface SyntheticPhoto {
  width: number;
  height: number;
  /** Background grey, 0–255. */
  background?: number;
  /** Multiplies every grey value (exposure): below 1 darker, above 1 brighter. */
  exposure?: number;
  format?: 'jpeg' | 'png';
  /** One flat colour, nothing drawn (a covered lens). */
  blank?: boolean;
}

const grey = (v: number, exposure: number) => {
  const g = Math.max(0, Math.min(255, Math.round(v * exposure)));
  return `rgb(${g},${g},${g})`;
};

/** A synthetic head-and-shoulders photo (JPEG or PNG bytes). */
export async function syntheticPhoto(o: SyntheticPhoto): Promise<Uint8Array> {
  const e = o.exposure ?? 1;
  const bg = grey(o.background ?? 190, e);
  const { width: w, height: h } = o;
  const figure = o.blank
    ? ''
    : `<ellipse cx="${w / 2}" cy="${h * 0.42}" rx="${Math.min(w, h) * 0.22}" ry="${Math.min(w, h) * 0.29}" fill="${grey(150, e)}"/>` +
      `<ellipse cx="${w / 2 - Math.min(w, h) * 0.08}" cy="${h * 0.38}" rx="${Math.min(w, h) * 0.03}" ry="${Math.min(w, h) * 0.02}" fill="${grey(30, e)}"/>` +
      `<ellipse cx="${w / 2 + Math.min(w, h) * 0.08}" cy="${h * 0.38}" rx="${Math.min(w, h) * 0.03}" ry="${Math.min(w, h) * 0.02}" fill="${grey(30, e)}"/>` +
      `<rect x="${w * 0.15}" y="${h * 0.78}" width="${w * 0.7}" height="${h * 0.3}" rx="${w * 0.2}" fill="${grey(60, e)}"/>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="${bg}"/>${figure}</svg>`;
  const img = sharp(Buffer.from(svg));
  const out = o.format === 'png' ? await img.png().toBuffer() : await img.jpeg({ quality: 92 }).toBuffer();
  return new Uint8Array(out);
}
