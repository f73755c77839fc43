/**
 * The image work the station needs (decode, crop, resize, JPEG encode), as a
 * port: the core states what it needs, native/image implements it with a
 * maintained library (sharp, whose addon only native/ may load).
 */

/** Pixel rectangle in an image, origin top left. */
export interface PixelRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** What decoding an image showed. */
export interface ImageFacts {
  /** Container format as decoded; anything but 'jpeg' and 'png' is refused by the photo rules. */
  format: string;
  /** Size after applying the EXIF orientation (what a viewer shows), pixels. */
  width: number;
  height: number;
}

/** Brightness of a region: ITU-R BT.709 luma of the mean colour and the spread of grey values, both 0–255. */
export interface RegionLight {
  meanLuma: number;
  lumaStdDev: number;
}

/** The image codec. Every method takes encoded bytes (JPEG or PNG) and applies their EXIF orientation first. */
export interface ImageCodec {
  /**
   * Decodes the header and size.
   * @throws StationError PHOTO_REJECTED when the bytes are not an image the codec can read
   */
  inspect(bytes: Uint8Array): Promise<ImageFacts>;
  /**
   * Luma statistics of `region` (whole image when absent).
   * @throws StationError PHOTO_REJECTED when the bytes cannot be decoded
   */
  light(bytes: Uint8Array, region?: PixelRect): Promise<RegionLight>;
  /**
   * Crops `region`, resizes it to exactly `width` × `height` (the region should already have that
   * aspect ratio) and encodes a baseline sRGB JPEG at `quality` (1–100) without metadata.
   * @throws StationError PHOTO_REJECTED when the bytes cannot be decoded
   */
  cropToJpeg(bytes: Uint8Array, region: PixelRect, size: { width: number; height: number }, quality: number): Promise<Uint8Array>;
}
