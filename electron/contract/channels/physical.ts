/**
 * StationApi, the physical card (issue 11): the cardholder's photo, the card
 * face layouts and previews, the OS print queues, reprints and the PIN mailer.
 * Images cross as base64 (the bridge carries JSON); card faces as SVG text
 * drawn by the core from the same items as the printed PDF.
 */
import { z } from 'zod';
import { CardLayoutFields, CardLayoutPatchSchema, CardLayoutView } from '../card-layout.js';
import { Affiliation, Id, Reason } from './fields.js';

/**
 * Most base64 characters an offered photo may have: about 660 KB of JPEG or PNG, under the bridge's
 * 1 MiB frame (electron/bridge/protocol.ts). The capture screen sends the camera frame as a JPEG,
 * and shrinks a larger imported file to at most 1600 pixels before sending it.
 */
export const MAX_PHOTO_BASE64 = 900_000;
export const PHOTO_TOO_LARGE = 'The photo file is too large (at most about 650 KB): the screen shrinks larger images before sending them.';
const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64');
/** base64 of a JPEG (FF D8 FF → "/9j/") or a PNG (89 50 4E 47 0D 0A 1A 0A → "iVBORw0KGgo"). */
export const ImageBase64 = Base64.refine((b) => b.startsWith('/9j/') || b.startsWith('iVBORw0KGgo'), 'The image must be a JPEG or PNG file.');

/** A crop as fractions (0–1) of the image: the capture screen's frame guide. */
export const CropShape = z
  .object({ x: z.number().min(0).max(1), y: z.number().min(0).max(1), width: z.number().gt(0).max(1), height: z.number().gt(0).max(1) })
  .strict()
  .refine((c) => c.x + c.width <= 1.0001 && c.y + c.height <= 1.0001, 'The crop must lie inside the image.');

/** What the station knows about a stored photo (no image). */
export const PhotoInfoShape = z.object({
  personId: z.string(),
  version: z.number(),
  width: z.number(),
  height: z.number(),
  source: z.enum(['camera', 'file', 'idprs']),
  capturedBy: z.string(),
  capturedAt: z.string(),
});
export type PhotoInfoView = z.infer<typeof PhotoInfoShape>;

/** Why a photo was refused, in words (electron/core/physical/portrait.ts). */
export const PhotoFindingShape = z.object({ problem: z.enum(['format', 'landscape', 'too-small', 'too-dark', 'too-bright', 'blank']), sentence: z.string() });
export type PhotoFindingView = z.infer<typeof PhotoFindingShape>;

/** A card face: both sides as SVG documents (1 unit = 1 mm, ID-1 portrait). */
export const CardFaceShape = z.object({ front: z.string(), back: z.string() });
export type CardFaceView = z.infer<typeof CardFaceShape>;

/** A print queue of the operating system (CUPS). */
export const PrinterShape = z.object({ name: z.string(), state: z.enum(['idle', 'processing', 'stopped']), accepting: z.boolean(), message: z.string() });
export type PrinterView = z.infer<typeof PrinterShape>;

/** A card named by its id, 8-digit card number or CHUID GUID. */
const CardRef = z.string().min(1).max(64).regex(/^[A-Za-z0-9-]+$/, 'Name the card by its id, card number or GUID.');

export const physicalChannels = {
  /**
   * Offers a photo for a person (camera frame or imported file): checked (portrait, size for
   * 300 DPI, light), cropped to 3:4 and stored as the person's current photo, unless `dryRun`.
   * A refused photo answers `accepted: false` with every finding in words; nothing is stored.
   * Replacing a photo voids approvals of the person's approved requests (`voidedRequests`).
   */
  'persons.setPhoto': {
    input: z
      .object({
        personId: Id,
        image: ImageBase64.max(MAX_PHOTO_BASE64, PHOTO_TOO_LARGE),
        source: z.enum(['camera', 'file']),
        crop: CropShape.optional(),
        dryRun: z.boolean().optional(),
      })
      .strict(),
    output: z.object({
      accepted: z.boolean(),
      findings: z.array(PhotoFindingShape),
      /** The stored photo (null on a dry run or a refusal). */
      photo: PhotoInfoShape.nullable(),
      /** The portrait as it would be stored (base64 JPEG, 450 × 600), for the officer to confirm. */
      preview: z.string().nullable(),
      voidedRequests: z.array(z.string()),
    }),
  },
  /** A person's current photo (base64 JPEG) with its facts, or null when there is none. */
  'persons.getPhoto': { input: z.object({ personId: Id }).strict(), output: PhotoInfoShape.extend({ jpeg: z.string() }).nullable() },
  /** Every card profile's card face layout. */
  'layouts.list': { input: z.object({}).strict(), output: z.array(CardLayoutView) },
  'layouts.get': { input: z.object({ profile: Affiliation }).strict(), output: CardLayoutView },
  /** Changes a layout (administrators): any fields, and the Zone 11F seal image; validated whole, versioned, audited. */
  'layouts.update': { input: z.object({ profile: Affiliation, patch: CardLayoutPatchSchema }).strict(), output: CardLayoutView },
  /**
   * The card face a layout draws: the stored layout with `layout`'s unsaved fields over it, for a
   * person (their name and photo) or a sample cardholder.
   */
  'layouts.preview': {
    input: z.object({ profile: Affiliation, layout: CardLayoutFields.partial().strict().optional(), personId: Id.optional() }).strict(),
    output: CardFaceShape,
  },
  /** The face of a card (an approved card object or a made card), as it is or will be printed. */
  'cards.preview': { input: z.object({ card: CardRef }).strict(), output: CardFaceShape },
  /** Prints a finished card's face again (the reason is audited and the card's reprint count goes up). */
  'cards.reprint': {
    input: z.object({ card: CardRef, reason: Reason }).strict(),
    output: z.object({ cardId: z.string(), queue: z.string(), printJob: z.number(), reprintCount: z.number() }),
  },
  /** The operating system's print queues (CUPS), with their state. */
  'printers.list': { input: z.object({}).strict(), output: z.array(PrinterShape) },
} as const;
