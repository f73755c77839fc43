/**
 * StationApi, the self-service kiosk: a connection an officer turned into a
 * kiosk, where a person identifies and asks for a card.
 */
import { z } from 'zod';
import { Affiliation } from './fields.js';
import { RequestStateShape } from './requests.js';

/** What a kiosk shows about the person who identified: the name and the profiles they may ask for, nothing else. */
export const KioskPersonShape = z.object({
  displayName: z.string(),
  profiles: z.array(z.object({ id: Affiliation, label: z.string() })),
});
export type KioskPersonView = z.infer<typeof KioskPersonShape>;

/** Whether this connection is a kiosk, and who (if anyone) identified at it. */
export const KioskStatusShape = z.object({ kiosk: z.boolean(), person: KioskPersonShape.nullable(), idleSeconds: z.number() });
export type KioskStatusView = z.infer<typeof KioskStatusShape>;

/**
 * The kiosk's receipt of a request: its number and state (always `requested`: an approver decides),
 * and the photo on record (a small base64 JPEG, null when there is none) so the person sees which
 * face the card will carry, or that a photo is still to be taken at the desk.
 */
export const KioskReceiptShape = z.object({ requestId: z.string(), requestNumber: z.number().int().min(1), profile: Affiliation, state: RequestStateShape, photo: z.string().nullable().optional() });
export type KioskReceiptView = z.infer<typeof KioskReceiptShape>;

export const kioskChannels = {
  /** Turns this connection into a self-service kiosk: the officer's session ends (electron/core/workflow/kiosk.ts). */
  'kiosk.start': { input: z.object({}).strict(), output: KioskStatusShape },
  /** Whether this connection is a kiosk (public: every window asks it before choosing its face). */
  'kiosk.status': { input: z.object({}).strict(), output: KioskStatusShape },
  /** The person identifies with attributes on record: employee id and e-mail address. */
  'kiosk.identify': {
    input: z.object({ employeeId: z.string().trim().min(1).max(32), email: z.string().trim().min(3).max(254) }).strict(),
    output: KioskPersonShape,
  },
  /** A card request for the identified person, always for an approver to decide. */
  'kiosk.request': { input: z.object({ profile: Affiliation }).strict(), output: KioskReceiptShape },
  /** Forgets the identified person: the next person starts clean. */
  'kiosk.reset': { input: z.object({}).strict(), output: KioskStatusShape },
} as const;
