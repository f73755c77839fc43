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

/**
 * The synthetic photo as a one-frame Y4M video (YUV 4:2:0, BT.601 full range), the file Chromium's
 * fake camera plays in a loop (`--use-file-for-fake-video-capture`): the e2e camera sees a face.
 */
export async function syntheticY4m(o: Pick<SyntheticPhoto, 'width' | 'height' | 'background' | 'exposure'>): Promise<Uint8Array> {
  const { width: w, height: h } = o;
  if (w % 2 !== 0 || h % 2 !== 0) throw new Error('A 4:2:0 frame needs an even width and height.');
  const png = await syntheticPhoto({ ...o, format: 'png' });
  const rgb = await sharp(Buffer.from(png)).removeAlpha().raw().toBuffer();
  const y = new Uint8Array(w * h);
  const u = new Uint8Array((w / 2) * (h / 2));
  const v = new Uint8Array((w / 2) * (h / 2));
  const clamp = (x: number) => Math.max(0, Math.min(255, Math.round(x)));
  for (let i = 0; i < w * h; i++) y[i] = clamp(0.299 * rgb[i * 3]! + 0.587 * rgb[i * 3 + 1]! + 0.114 * rgb[i * 3 + 2]!);
  for (let row = 0; row < h / 2; row++) {
    for (let col = 0; col < w / 2; col++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) {
        const p = ((row * 2 + dy) * w + col * 2 + dx) * 3;
        r += rgb[p]!;
        g += rgb[p + 1]!;
        b += rgb[p + 2]!;
      }
      [r, g, b] = [r / 4, g / 4, b / 4];
      u[row * (w / 2) + col] = clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
      v[row * (w / 2) + col] = clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
    }
  }
  const header = Buffer.from(`YUV4MPEG2 W${w} H${h} F30:1 Ip A1:1 C420jpeg\nFRAME\n`, 'ascii');
  return new Uint8Array(Buffer.concat([header, y, u, v]));
}
