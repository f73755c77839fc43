/**
 * Card profiles (issue 4 "Persons and requests"): what a card for one
 * affiliation gets. One schema, used by the station configuration (seed), the
 * profile store, the StationApi channels and the renderer's editor, so a rule
 * is written once. Imports nothing but zod (it is part of the contract).
 */
import { z } from 'zod';

const digits = (n: number) => z.string().regex(new RegExp(`^\\d{${n}}$`), `must be ${n} digits`);

/** The affiliations a profile exists for. */
export const PROFILE_IDS = ['employee', 'contractor', 'visitor'] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

/** A person's affiliation in words (the persons' screens; a profile's own label is administered). */
export const AFFILIATION_WORDS: Readonly<Record<ProfileId, string>> = { employee: 'Employee', contractor: 'Contractor', visitor: 'Visitor' };

/** The four PIV key slots, in card order (SP 800-73-4 Part 1 Table 4b). */
export const PROFILE_SLOTS = ['9A', '9C', '9D', '9E'] as const;
export type ProfileSlot = (typeof PROFILE_SLOTS)[number];
/**
 * Slots every PIV card carries: PIV Authentication (9A) and Card
 * Authentication (9E) are mandatory (FIPS 201-3 §4.2.2; SP 800-73-4 Part 1
 * Table 3, "M"); Digital Signature (9C) and Key Management (9D) are optional.
 */
export const MANDATORY_SLOTS: readonly ProfileSlot[] = ['9A', '9E'];

/**
 * Optional data objects a profile may write (SP 800-73-4 Part 1 Table 3, "O"):
 * Printed Information (5FC109), Discovery Object (7E), Key History (5FC10C).
 * The mandatory ones (CHUID, CCC, Security Object and the certificates of the
 * written slots) are always written and cannot be switched off.
 */
export const PROFILE_OBJECTS = ['printed', 'discovery', 'key-history'] as const;
export type ProfileObject = (typeof PROFILE_OBJECTS)[number];

/** PIN length limits: the PIV Card Application PIN is 6 to 8 digits (SP 800-73-4 Part 2 §2.4.3). */
export const PIN_MIN_LENGTH = 6;
export const PIN_MAX_LENGTH = 8;

/** Card validity cap: FIPS 201-3 §2.9.1 limits a PIV card to 6 years. */
export const MAX_CARD_VALIDITY_MONTHS = 72;
/** Station policy: a visitor card is short-lived (at most a year). */
export const MAX_VISITOR_CARD_VALIDITY_MONTHS = 12;

/** Algorithms per PIV slot for a card profile (SP 800-78-4 Table 3-1). */
export const SlotAlgorithmsSchema = z.object({
  '9A': z.enum(['P256', 'RSA2048']),
  '9C': z.enum(['P256', 'P384', 'RSA2048']),
  '9D': z.enum(['P256', 'P384', 'RSA2048']),
  '9E': z.enum(['P256', 'RSA2048']),
});
export type SlotAlgorithms = z.infer<typeof SlotAlgorithmsSchema>;

/**
 * Who chooses the cardholder PIN: 'chosen' the cardholder types it at the
 * desk, 'generated' the station generates it (shown once / PIN mailer),
 * 'either' the officer picks per card.
 */
export const PinSourceSchema = z.enum(['chosen', 'generated', 'either']);
export type PinSource = z.infer<typeof PinSourceSchema>;

const pinLength = z.number().int().min(PIN_MIN_LENGTH, `must be at least ${PIN_MIN_LENGTH} digits`).max(PIN_MAX_LENGTH, `must be at most ${PIN_MAX_LENGTH} digits`);

/** PIN policy of a profile: lengths in digits (6–8) and the PIN's source. */
export const PinPolicySchema = z
  .object({ minLength: pinLength, maxLength: pinLength, source: PinSourceSchema })
  .refine((p) => p.minLength <= p.maxLength, { message: 'the shortest PIN length must not exceed the longest', path: ['minLength'] });
export type PinPolicy = z.infer<typeof PinPolicySchema>;

/** The policy of profiles written before PIN policies existed: 6–8 digits, typed or generated. */
export const DEFAULT_PIN_POLICY: PinPolicy = { minLength: PIN_MIN_LENGTH, maxLength: PIN_MAX_LENGTH, source: 'either' };

/** Whether a profile needs an approver when its config says nothing (files written before issue 4): visitors do not. */
export function defaultApprovalRequired(profileId: string): boolean {
  return profileId !== 'visitor';
}

/** Puts slots in card order without duplicates. */
function inSlotOrder(slots: readonly ProfileSlot[]): ProfileSlot[] {
  return PROFILE_SLOTS.filter((s) => slots.includes(s));
}

/** Puts objects in the order they are written without duplicates. */
function inObjectOrder(objects: readonly ProfileObject[]): ProfileObject[] {
  return PROFILE_OBJECTS.filter((o) => objects.includes(o));
}

/** The fields of a profile as written (absent optional fields take their defaults). */
export const CardProfileFields = z.object({
  id: z.enum(PROFILE_IDS),
  label: z.string().min(1).max(64),
  /** Card (CHUID) validity in months; FIPS 201-3 §2.9.1 caps it at 6 years. */
  cardValidityMonths: z.number().int().min(1).max(MAX_CARD_VALIDITY_MONTHS, `must be at most ${MAX_CARD_VALIDITY_MONTHS} months (FIPS 201-3 §2.9.1: 6 years)`),
  /** Certificate validity in months; never beyond the card's expiration. */
  certificateValidityMonths: z.number().int().min(1).max(MAX_CARD_VALIDITY_MONTHS),
  algorithms: SlotAlgorithmsSchema,
  /** FASC-N person/organization association (TIG SCEPACS): 1 employee, 5 contractor, 6 affiliate. */
  personAssociation: digits(1),
  /** Printed Information "employee affiliation" line (SP 800-73-4 Part 1 Table 14, ≤ 20 chars). */
  printedAffiliation: z.string().min(1).max(20),
  /** A request for this profile needs an approver's decision; false → approved on creation. Absent → employee/contractor true, visitor false. */
  approvalRequired: z.boolean().optional(),
  /**
   * The affiliations this profile serves as their own (administrators map affiliations to profiles).
   * A card of this profile for a person of another affiliation always needs an approver. Absent → the profile's own id.
   */
  affiliations: z.array(z.enum(PROFILE_IDS)).min(1, 'must name at least one affiliation').optional(),
  /** Key slots generated and certified; must hold 9A and 9E. Absent → all four. */
  slots: z.array(z.enum(PROFILE_SLOTS)).optional(),
  /** Optional data objects written. Absent → all three. */
  objects: z.array(z.enum(PROFILE_OBJECTS)).optional(),
  /** PIN lengths and source. Absent → {@link DEFAULT_PIN_POLICY}. */
  pinPolicy: PinPolicySchema.optional(),
});

/**
 * A card profile, validated and completed with its defaults. Rules beyond each
 * field: 9A and 9E always written; certificate validity ≤ card validity; a
 * visitor card at most {@link MAX_VISITOR_CARD_VALIDITY_MONTHS} months. Each
 * failure names its field (issue path).
 */
export const CardProfileSchema = CardProfileFields.superRefine((p, ctx) => {
  for (const slot of MANDATORY_SLOTS) {
    if (p.slots && !p.slots.includes(slot)) ctx.addIssue({ code: 'custom', path: ['slots'], message: `slot ${slot} is mandatory on every PIV card (SP 800-73-4 Part 1 Table 3)` });
  }
  if (p.certificateValidityMonths > p.cardValidityMonths) {
    ctx.addIssue({ code: 'custom', path: ['certificateValidityMonths'], message: 'the certificates must not outlive the card (certificate validity ≤ card validity)' });
  }
  if (p.id === 'visitor' && p.cardValidityMonths > MAX_VISITOR_CARD_VALIDITY_MONTHS) {
    ctx.addIssue({ code: 'custom', path: ['cardValidityMonths'], message: `a visitor card is valid for at most ${MAX_VISITOR_CARD_VALIDITY_MONTHS} months` });
  }
}).transform((p) => ({
  ...p,
  approvalRequired: p.approvalRequired ?? defaultApprovalRequired(p.id),
  affiliations: PROFILE_IDS.filter((a) => (p.affiliations ?? [p.id]).includes(a)),
  slots: inSlotOrder(p.slots ?? PROFILE_SLOTS),
  objects: inObjectOrder(p.objects ?? PROFILE_OBJECTS),
  pinPolicy: p.pinPolicy ?? DEFAULT_PIN_POLICY,
}));
export type CardProfile = z.infer<typeof CardProfileSchema>;

/** A change to a profile: any fields but the id (validated again as a whole profile after merging). */
export const CardProfilePatchSchema = CardProfileFields.omit({ id: true }).partial().strict();
export type CardProfilePatch = z.infer<typeof CardProfilePatchSchema>;

/** Words for each profile field in sentences (the field's key goes in the error details). */
const FIELD_WORDS: Record<string, string> = {
  id: 'Profile id',
  label: 'Name',
  cardValidityMonths: 'Card validity',
  certificateValidityMonths: 'Certificate validity',
  algorithms: 'Algorithms',
  personAssociation: 'FASC-N person association',
  printedAffiliation: 'Printed affiliation',
  approvalRequired: 'Approval',
  affiliations: 'Affiliations served',
  slots: 'Key slots',
  objects: 'Optional data objects',
  pinPolicy: 'PIN policy',
  'pinPolicy.minLength': 'Shortest PIN',
  'pinPolicy.maxLength': 'Longest PIN',
  'pinPolicy.source': 'PIN source',
};

/** Words for a field path: "Certificate validity", "Algorithm of 9A", "Key slots" (for slots.2). */
function fieldWords(path: string): string {
  if (FIELD_WORDS[path]) return FIELD_WORDS[path];
  const [head, sub] = path.split('.');
  if (head === 'algorithms' && sub) return `Algorithm of ${sub}`;
  return FIELD_WORDS[head ?? ''] ?? path;
}

/**
 * The sentence for a profile field refused by zod, in words, and the field's
 * key (for `details.field`): "Certificate validity: the certificates must not outlive the card".
 */
export function profileIssueSentence(issue: { path: PropertyKey[]; message: string; code?: string; keys?: string[] } | undefined): { field: string; sentence: string } {
  if (issue?.code === 'unrecognized_keys' && issue.keys) return { field: issue.keys.join(', '), sentence: `${issue.keys.join(', ')} is not a card profile field` };
  const field = issue?.path.map(String).join('.') || 'profile';
  return { field, sentence: `${fieldWords(field)}: ${issue?.message ?? 'is not acceptable'}` };
}

/**
 * The `patch` of `profiles.update`: at least one field; each field checked for
 * form here (the core checks the merged profile's rules), the first failure
 * named in the message.
 */
export const ProfilePatchInput = z.record(z.string(), z.unknown()).superRefine((patch, ctx) => {
  const { id: _id, ...fields } = patch;
  if (Object.keys(fields).length === 0) {
    ctx.addIssue({ code: 'custom', message: 'Give at least one card profile field to change.' });
    return;
  }
  const r = CardProfilePatchSchema.safeParse(fields);
  if (!r.success) {
    const issue = r.error.issues[0];
    const { sentence } = profileIssueSentence(issue as Parameters<typeof profileIssueSentence>[0]);
    ctx.addIssue({ code: 'custom', path: issue?.path ?? [], message: `The card profile is not acceptable: ${sentence}.` });
  }
});

/** A stored profile as the StationApi shows it: the profile, its version and who changed it last. */
export const StoredProfileSchema = z.object({
  profile: CardProfileFields.required(),
  /** 1 when seeded; +1 on every change. */
  version: z.number().int().min(1),
  updatedAt: z.string(),
  /** Officer username of the last change; 'config' for the seed. */
  updatedBy: z.string(),
});
export type StoredProfileView = z.infer<typeof StoredProfileSchema>;
