/**
 * The card production request (CPR) document the IDPRS (identity proofing and
 * registration system) sends: UTF-8 JSON, carried as the attached content
 * (eContentType id-data) of a CMS SignedData (RFC 5652 §5).
 *
 * Schema (every field required unless marked optional; unknown fields refused):
 * ```json
 * {
 *   "idprsRequestId": "REQ-2024-000123",      // the IDPRS's own id of this request, 1-128 of [A-Za-z0-9._:-]
 *   "person": {
 *     "externalId": "P-000042",               // the IDPRS person id, 1-128 of [A-Za-z0-9._:-]; stored as persons.external_id
 *     "givenName": "Dana", "surname": "Tester",
 *     "email": "dana@example.test",           // optional
 *     "employeeId": "100201",                 // optional
 *     "affiliation": "employee",              // employee | contractor | visitor
 *     "photo": "/9j/4AAQ…"                    // optional: the portrait, base64 JPEG or PNG (checked as a photo taken at the desk)
 *   },
 *   "profile": "employee",                    // the card profile: employee | contractor | visitor
 *   "submittedAt": "2024-05-01T10:00:00Z"     // ISO-8601 with offset
 * }
 * ```
 */
import { z } from 'zod';
import { StationError } from '../errors.js';
import { plainName } from '../../contract/plain-text.js';

/** Largest CPR JSON accepted, in bytes (a CPR is a few hundred bytes; with a portrait, up to about 700 KB). */
export const MAX_CPR_JSON_BYTES = 1024 * 1024;
/** Most base64 characters of a CPR's photo (about 700 KB of JPEG or PNG). */
export const MAX_CPR_PHOTO_BASE64 = 960_000;

/** The words of the photo field's checks (CprPersonSchema.photo), the only schema messages a refusal repeats. */
const PHOTO_WORDS = {
  tooLarge: `is larger than ${MAX_CPR_PHOTO_BASE64} base64 characters (about 700 KB)`,
  notBase64: 'is not base64 text',
  notImage: 'must be a JPEG or PNG image',
} as const;
const PHOTO_SENTENCES: ReadonlySet<string> = new Set(Object.values(PHOTO_WORDS));

/** Identifiers the IDPRS chooses: safe in URLs, file names and log lines. */
export const IdprsIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 letters, digits or . _ : -');

const Name = plainName('The name', 200);

/** The person a CPR is for, as the IDPRS knows them. */
export const CprPersonSchema = z
  .object({
    externalId: IdprsIdSchema,
    givenName: Name,
    surname: Name,
    email: z.email().max(320).optional(),
    employeeId: plainName('The employee id', 64).optional(),
    affiliation: z.enum(['employee', 'contractor', 'visitor']),
    /** The portrait (issue 11), base64 JPEG ("/9j/…") or PNG ("iVBORw0KGgo…"). */
    photo: z
      .string()
      .max(MAX_CPR_PHOTO_BASE64, PHOTO_WORDS.tooLarge)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, PHOTO_WORDS.notBase64)
      .refine((b) => b.startsWith('/9j/') || b.startsWith('iVBORw0KGgo'), PHOTO_WORDS.notImage)
      .optional(),
  })
  .strict();
export type CprPerson = z.infer<typeof CprPersonSchema>;

/** A card production request. */
export const CprDocumentSchema = z
  .object({
    idprsRequestId: IdprsIdSchema,
    person: CprPersonSchema,
    profile: z.enum(['employee', 'contractor', 'visitor']),
    submittedAt: z.iso.datetime({ offset: true }),
  })
  .strict();
export type CprDocument = z.infer<typeof CprDocumentSchema>;

/**
 * Decodes and validates the signed content of a CPR.
 *
 * @param content the eContent bytes (UTF-8 JSON, BOM tolerated)
 * @returns the validated document
 * @throws StationError CPR_MALFORMED naming the first offending field (never its value)
 */
export function parseCprDocument(content: Uint8Array): CprDocument {
  if (content.byteLength > MAX_CPR_JSON_BYTES) throw malformed(`The CPR content is larger than ${MAX_CPR_JSON_BYTES} bytes.`, 'size');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(content);
  } catch {
    throw malformed('The CPR content is not UTF-8 text.', 'encoding');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw malformed('The CPR content is not JSON.', 'json');
  }
  const result = CprDocumentSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.code === 'unrecognized_keys' ? unknownFields(issue.keys) : issue.path.join('.') || 'document';
    // The photo's checks carry the station's own words (never the sender's bytes): say which one failed.
    const why = field === 'person.photo' && PHOTO_SENTENCES.has(issue.message) ? `: it ${issue.message}` : ' is missing or invalid';
    throw malformed(`The CPR field "${field}"${why}.`, field);
  }
  return result.data;
}

/** Plain field names: the names of unknown fields are quoted only when they are plain identifiers (never control characters from the sender). */
const PLAIN_FIELD_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function unknownFields(keys: string[]): string {
  return keys.every((k) => PLAIN_FIELD_NAME.test(k)) ? keys.join(', ') : 'unknown fields';
}

function malformed(sentence: string, field: string): StationError {
  return new StationError('CPR_MALFORMED', `${sentence} Delete the CPR and submit a corrected one.`, { field });
}
