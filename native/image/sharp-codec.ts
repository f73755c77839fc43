/**
 * The station's ImageCodec (electron/core/physical/image-codec.ts) over sharp
 * (libvips): the only place the sharp addon is loaded, on first use (a
 * station that never touches a photo never loads it). sharp's npm package
 * ships its prebuilt Node-API binary, so it loads in Node and Electron alike.
 */
import type SharpFactory from 'sharp';
import { StationError } from '../../electron/core/errors.js';
import type { ImageCodec, ImageFacts, PixelRect, RegionLight } from '../../electron/core/physical/image-codec.js';

/** Largest image accepted, in pixels (a 50-megapixel camera still fits); bigger input is refused before decoding. */
const MAX_INPUT_PIXELS = 50_000_000;
/** ITU-R BT.709 luma weights of R, G, B. */
const LUMA = [0.2126, 0.7152, 0.0722] as const;

function unreadable(): StationError {
  return new StationError('PHOTO_REJECTED', 'The file is not a JPEG or PNG image the station can read.', { problem: 'unreadable' });
}

let loaded: Promise<typeof SharpFactory> | undefined;
/** sharp, loaded once. */
function sharpModule(): Promise<typeof SharpFactory> {
  loaded ??= import('sharp').then((m) => m.default);
  return loaded;
}

/** Runs `work` with sharp and a decoder with the EXIF orientation applied; failures of foreign code become PHOTO_REJECTED. */
async function guarded<T>(work: (sharp: typeof SharpFactory, decode: (bytes: Uint8Array) => ReturnType<typeof SharpFactory>) => Promise<T>): Promise<T> {
  const sharp = await sharpModule();
  const decode = (bytes: Uint8Array) => sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).rotate();
  try {
    return await work(sharp, decode);
  } catch (e) {
    if (e instanceof StationError) throw e;
    throw unreadable();
  }
}

/** Creates the sharp-backed codec. */
export function sharpImageCodec(): ImageCodec {
  return {
    inspect: (bytes) =>
      guarded(async (sharp): Promise<ImageFacts> => {
        const meta = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
        if (!meta.width || !meta.height || !meta.format) throw unreadable();
        // EXIF orientations 5–8 swap width and height.
        const swapped = (meta.orientation ?? 1) >= 5;
        return { format: meta.format, width: swapped ? meta.height : meta.width, height: swapped ? meta.width : meta.height };
      }),
    light: (bytes, region?: PixelRect) =>
      guarded(async (sharp, decode): Promise<RegionLight> => {
        // stats() reads a pipeline's input, not its result: orient, crop and reduce to luma into a raw buffer first.
        const oriented = region ? decode(bytes).extract(region) : decode(bytes);
        const luma = await oriented
          .removeAlpha()
          .toColourspace('srgb')
          .recomb([[...LUMA], [...LUMA], [...LUMA]])
          .extractChannel(0)
          .raw()
          .toBuffer({ resolveWithObject: true });
        const channel = (await sharp(luma.data, { raw: luma.info }).stats()).channels[0]!;
        return { meanLuma: channel.mean, lumaStdDev: channel.stdev };
      }),
    cropToJpeg: (bytes, region, size, quality) =>
      guarded(async (_sharp, decode) => {
        const out = await decode(bytes)
          .extract(region)
          .resize(size.width, size.height, { fit: 'fill' })
          .removeAlpha()
          .toColourspace('srgb')
          // Baseline (not progressive), no chroma subsampling tricks: what card printers and ISO/IEC 19794-5 readers expect.
          .jpeg({ quality: Math.max(1, Math.min(100, Math.round(quality))), progressive: false, mozjpeg: false })
          .toBuffer();
        return new Uint8Array(out);
      }),
  };
}
