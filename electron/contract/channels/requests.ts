/**
 * StationApi, card requests: create, decide (approve or reject) and produce;
 * the request follows its card object once approved.
 */
import { z } from 'zod';
import { Affiliation, Id, Pin, ReaderName, Reason } from './fields.js';

export const RequestStateShape = z.enum(['requested', 'approved', 'rejected', 'cancelled', 'in_production', 'production_failed', 'produced']);
export const CardRequestShape = z.object({
  id: z.string(),
  /** The short number people use: shown as "R-000123" (request-number.ts). */
  number: z.number().int().min(1),
  personId: z.string(),
  personName: z.string(),
  /**
   * The person's identifiers, so an approver checks identity beside the photo (issue 12, observation 4);
   * null when the person record is gone, absent on older answers.
   */
  person: z.object({ affiliation: Affiliation, employeeId: z.string().nullable(), email: z.string().nullable() }).nullable().optional(),
  profile: Affiliation,
  state: RequestStateShape,
  source: z.enum(['desk', 'kiosk', 'idprs']),
  /** Username of the officer who requested the card (null: kiosk, IDPRS). */
  requestedBy: z.string().nullable(),
  /** The requesting officer's id (separation of duties compares ids, never names). */
  requesterId: z.string().nullable(),
  /** Username of the approver who decided (null: undecided, or approved by the station for a card that needs no approval). */
  decidedBy: z.string().nullable(),
  /** The deciding approver's id. */
  approverId: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  cardId: z.string().nullable(),
  /** The card number assigned on approval. */
  cardNumber: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CardRequestView = z.infer<typeof CardRequestShape>;

export const requestsChannels = {
  'requests.create': { input: z.object({ personId: Id, profile: Affiliation }).strict(), output: CardRequestShape },
  'requests.list': { input: z.object({ state: z.array(RequestStateShape).optional(), personId: Id.optional() }).strict(), output: z.array(CardRequestShape) },
  'requests.get': { input: z.object({ requestId: Id }).strict(), output: CardRequestShape },
  'requests.approve': { input: z.object({ requestId: Id }).strict(), output: CardRequestShape },
  'requests.reject': { input: z.object({ requestId: Id, reason: Reason }).strict(), output: CardRequestShape },
  /** Produces the approved request's card in a reader (the single-production flow). */
  'requests.produce': { input: z.object({ requestId: Id, readerName: ReaderName, pin: Pin.optional() }).strict(), output: z.object({ jobId: z.string() }) },
} as const;
