/**
 * Field shapes shared by several domains of the StationApi: record ids,
 * reader names, the PIN, the affiliation a card profile is chosen by, the
 * officer roles and a stated reason. Imports nothing runtime-specific.
 */
import { z } from 'zod';
import { PIN_FORMAT_SENTENCE, isPinFormat } from '../pin-rules.js';
import { ROLES } from '../officer-rules.js';
import { REASON_MAX_LENGTH, REASON_MIN_LENGTH } from '../reason-rule.js';

/** A record id (person, job, request, card, batch, event): letters, digits and dashes. */
export const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9-]+$/, 'not an id');
/** A PC/SC reader name as the station lists it. */
export const ReaderName = z.string().min(1).max(128);
/** A PIV PIN as the contract accepts it: 6 to 8 digits (SP 800-73-4 Part 2 §2.4.3); the profile's PIN policy narrows it in the core. */
export const Pin = z.string().refine(isPinFormat, PIN_FORMAT_SENTENCE);
/** A person's affiliation, which is also the id of the card profile they get. */
export const Affiliation = z.enum(['employee', 'contractor', 'visitor']);
/** Officer roles (electron/contract/officer-rules.ts ROLE_WORDS says what each is for). */
export const RoleShape = z.enum(ROLES);
/** Why a request is rejected or a job or batch item cancelled: a few words (electron/contract/reason-rule.ts). */
export const Reason = z.string().trim().min(REASON_MIN_LENGTH).max(REASON_MAX_LENGTH);
