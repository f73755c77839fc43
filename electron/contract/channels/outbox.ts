/**
 * StationApi, notifications outbox: the events for the IDPRS, their delivery
 * state and the redelivery of dead letters.
 */
import { z } from 'zod';
import { Id } from './fields.js';

export const OutboxStatusShape = z.enum(['pending', 'delivered', 'dead']);
/** One outbox event as the Notifications screen shows it (electron/core/notifications/service.ts). */
export const OutboxEventShape = z.object({
  id: z.string(),
  type: z.string(),
  status: OutboxStatusShape,
  /** The ordering stream (`person:<id>`) and the event's place in it. */
  stream: z.string(),
  seq: z.number(),
  /** Null for the station's own events (signed audit heads). */
  personId: z.string().nullable(),
  personName: z.string().nullable(),
  cardId: z.string().nullable(),
  cardNumber: z.string().nullable(),
  requestId: z.string().nullable(),
  attempts: z.number(),
  createdAt: z.string(),
  nextAttemptAt: z.string(),
  lastAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  deadAt: z.string().nullable(),
  lastError: z.string().nullable(),
});
export type OutboxEventView = z.infer<typeof OutboxEventShape>;
/** Whether the station delivers to the IDPRS at all (electron/core/notifications/delivery-setup.ts). */
export const OutboxDeliveryShape = z.object({
  configured: z.boolean(),
  missing: z.array(z.enum(['url', 'secret'])),
  /** What to configure, in words (null when configured). */
  sentence: z.string().nullable(),
});
export type OutboxDeliveryView = z.infer<typeof OutboxDeliveryShape>;
const OutboxCountsShape = z.object({ pending: z.number(), delivered: z.number(), dead: z.number() });

export const outboxChannels = {
  /** One status's events (optionally one person's or card's), `offset`/`limit` paging (limit default 50), with the total and the count per status. */
  'outbox.list': {
    input: z
      .object({ status: OutboxStatusShape, personId: Id.optional(), cardId: Id.optional(), offset: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(500).optional() })
      .strict(),
    output: z.object({ events: z.array(OutboxEventShape), total: z.number(), counts: OutboxCountsShape, delivery: OutboxDeliveryShape }),
  },
  /** Puts one dead letter (`eventId`) or every dead letter (`allDead: true`) back for delivery now; audited per letter. */
  'outbox.redeliver': {
    input: z
      .object({ eventId: Id.optional(), allDead: z.literal(true).optional() })
      .strict()
      .refine((v) => (v.eventId !== undefined) !== (v.allDead === true), { message: 'Name one dead letter (eventId) or all of them (allDead: true).' }),
    output: z.object({ redelivered: z.array(OutboxEventShape) }),
  },
  /** Seals the HMAC secret shared with the IDPRS (replacing the previous one); audited, never echoed. */
  'outbox.setSecret': { input: z.object({ secret: z.string().min(1).max(1024) }).strict(), output: z.object({}) },
} as const;
