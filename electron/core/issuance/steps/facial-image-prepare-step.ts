/**
 * Prepares the Cardholder Facial Image before anything is written to the
 * card (issue 11): the job's photo is encoded, wrapped (SP 800-76-2 CBEFF),
 * signed and sized to the room the profile allows for it on this card;
 * a photo that cannot fit even at the smallest acceptable size refuses the
 * card here, untouched. The write step later puts exactly these bytes.
 */
import { StationError } from '../../errors.js';
import { buildFacialImage, FaceSourceType } from '../../piv/objects/facial-image.js';
import { fromHex, toHex } from '../../piv/tlv.js';
import type { ProductionStep, StepContext } from '../job-types.js';

export const PREPARE_FACIAL_IMAGE_STEP = 'prepare.facial-image';

/**
 * Image sizes tried, largest first (3:4, the portrait's proportion): 240 × 320 is the smallest, the
 * width ICAO and ISO/IEC 19794-5 full-frontal images start from (about 90 pixels between the eyes).
 */
const SIZES = [
  { width: 360, height: 480 },
  { width: 300, height: 400 },
  { width: 240, height: 320 },
] as const;
/** JPEG qualities tried at each size, best first. */
const QUALITIES = [85, 70, 55, 40, 30] as const;
/** The CBEFF creator field (SP 800-76-2 Table 7: ≤ 17 characters). */
const CREATOR = 'PIV Station';
/** Slack for an ECDSA signature a byte or two longer than the one measured. */
const SIGNATURE_SLACK = 4;

/** A facial image object ready to write, and how it was made. */
export interface PreparedFacialImage {
  /** The object's content (BC CBEFF, FE), SP 800-73-4 Part 1 Table 13. */
  content: Uint8Array;
  width: number;
  height: number;
  /** JPEG quality (1–100) of the face record's image. */
  quality: number;
  photoVersion: number | undefined;
}

/**
 * The largest facial image object of the job's photo that fits in `room` bytes: the sizes and
 * JPEG qualities above tried best first, each wrapped and signed (SP 800-76-2 §9).
 * @param whose whose limit `room` is, for the sentence when nothing fits
 * @throws StationError PHOTO_MISSING (no photo of the job's version), UNSUPPORTED (no image codec),
 *   CARD_INCAPABLE (even the smallest image does not fit)
 */
export async function prepareFacialImage(ctx: StepContext, room: number, whose: 'the card profile' | 'the card'): Promise<PreparedFacialImage> {
  const physical = ctx.physical;
  if (!physical) throw new StationError('UNSUPPORTED', 'This station cannot process photos, so it cannot write a facial image.');
  const version = ctx.params.photoVersion;
  const photo = version !== undefined ? ctx.store.photos.get(ctx.person.id, version) : undefined;
  if (!photo) throw new StationError('PHOTO_MISSING', 'The person has no photo: the card profile writes a facial image, so take or import a photo first.');
  const sign = (signed: Uint8Array, fascn: Uint8Array, uuid: Uint8Array) => ctx.ca.signBiometric(signed, fascn, uuid);
  const build = (jpeg: Uint8Array, size: { width: number; height: number }) =>
    buildFacialImage({
      face: { jpeg, ...size, sourceType: photo.source === 'camera' ? FaceSourceType.VIDEO_FRAME_DIGITAL : FaceSourceType.STATIC_PHOTO_UNKNOWN },
      fascn: fromHex(ctx.card.fascn),
      cardUuid: fromHex(ctx.card.guid),
      created: ctx.now(),
      validTo: new Date(`${ctx.card.expirationDate}T00:00:00Z`),
      creator: CREATOR,
      sign,
    });
  const whole = { left: 0, top: 0, width: photo.width, height: photo.height };
  // Everything but the JPEG (header, record fields, signature, TLVs) is measured once.
  let overhead: number | undefined;
  let smallest = Number.MAX_SAFE_INTEGER;
  for (const size of SIZES) {
    for (const quality of QUALITIES) {
      const jpeg = await physical.codec.cropToJpeg(photo.jpeg, whole, size, quality);
      if (overhead === undefined) overhead = (await build(jpeg, size)).length - jpeg.length;
      smallest = Math.min(smallest, jpeg.length + overhead);
      if (jpeg.length + overhead + SIGNATURE_SLACK > room) continue;
      const content = await build(jpeg, size);
      if (content.length > room) continue;
      return { content, width: size.width, height: size.height, quality, photoVersion: version };
    }
  }
  throw new StationError(
    'CARD_INCAPABLE',
    `The facial image does not fit: ${whose} allows ${room} bytes for it, and the smallest acceptable image (240 × 320) needs ${smallest}.`,
    { room, needed: smallest },
  );
}

export const prepareFacialImageStep: ProductionStep = {
  name: PREPARE_FACIAL_IMAGE_STEP,
  label: 'Prepare the facial image',
  activity: 'preparing the facial image',
  offCard: true,
  async isDone(ctx) {
    return typeof ctx.stepData(PREPARE_FACIAL_IMAGE_STEP)?.content === 'string';
  },
  async run(ctx) {
    const prepared = await prepareFacialImage(ctx, ctx.profile.facialImageMaxBytes, 'the card profile');
    return { ...prepared, content: toHex(prepared.content), bytes: prepared.content.length };
  },
};
