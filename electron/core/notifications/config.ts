/**
 * Configuration of notifications to the IDPRS (`notifications` in config.json).
 * The HMAC secret is not here: it is sealed in the store (secret.ts).
 */
import { z } from 'zod';

/** Delivery tuning; every delay in milliseconds. */
export const DeliveryPolicySchema = z.object({
  /** Attempts before an event becomes a dead letter. */
  maxAttempts: z.number().int().min(1).max(1000).default(12),
  /** Delay after the first failed attempt; doubles each attempt up to `maxDelayMs`. */
  baseDelayMs: z.number().int().min(1).max(3_600_000).default(1_000),
  /** Upper bound of one back-off delay. */
  maxDelayMs: z.number().int().min(1).max(86_400_000).default(300_000),
  /** Share of a delay drawn at random (0 none, 1 "full jitter"): spreads retries after an outage. */
  jitter: z.number().min(0).max(1).default(0.5),
  /** Time allowed for one HTTP request (connect + answer). */
  requestTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
  /** Events sent at the same time (one per stream at most). */
  concurrency: z.number().int().min(1).max(64).default(4),
  /** How often the worker looks for events written by other processes. */
  pollIntervalMs: z.number().int().min(10).max(600_000).default(2_000),
});
export type DeliveryPolicy = z.infer<typeof DeliveryPolicySchema>;

/** `notifications`: the IDPRS endpoint and the delivery policy. */
export const NotificationsConfigSchema = z
  .object({
    /** The IDPRS endpoint receiving the POSTed events (http or https). */
    url: z.url({ protocol: /^https?$/ }),
  })
  .extend(DeliveryPolicySchema.shape);
export type NotificationsConfig = z.infer<typeof NotificationsConfigSchema>;

/** The default policy (every field at its default). */
export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = DeliveryPolicySchema.parse({});
