/**
 * Whether this station can deliver its outbox to the IDPRS at all (issue 12,
 * observation 3: a station without delivery showed its events "Pending" with
 * 0 attempts and a next attempt in the past, as if delivery were stuck).
 * Delivery needs both halves the worker needs (station-delivery.ts): the
 * endpoint `notifications.url` in config.json and the HMAC secret shared with
 * the IDPRS, sealed in the store. The Notifications screen shows the sentence
 * as it stands; no face restates which half is missing.
 */
import type { StationConfig } from '../config/station-config.js';
import { NOTIFY_SECRET_ENV } from './station-delivery.js';

/** What is missing for delivery, in the order the officer sets them up. */
export type DeliveryGap = 'url' | 'secret';

/** Delivery set-up as the Notifications screen shows it (OutboxDeliveryShape). */
export interface DeliverySetup {
  /** True when the endpoint and the shared secret are both set: the station's delivery worker sends. */
  configured: boolean;
  /** The halves still missing (empty when configured). */
  missing: DeliveryGap[];
  /** What to configure, in words, naming each setting and where it lives; null when configured. */
  sentence: string | null;
}

/** The officer's words for each missing half. */
const GAP_WORDS: Record<DeliveryGap, string> = {
  url: 'set "notifications": { "url": … } (the IDPRS endpoint) in the station\'s config.json',
  secret: `set the secret shared with the IDPRS with \`station outbox secret set\` (it reads ${NOTIFY_SECRET_ENV})`,
};

/**
 * Delivery set-up from the configuration and the sealed secret's presence.
 * @param notifications config.json's `notifications` section (undefined when absent)
 * @param secretSet     true when a shared secret is sealed in the store (secret.ts hasNotificationSecret)
 */
export function deliverySetup(notifications: StationConfig['notifications'], secretSet: boolean): DeliverySetup {
  const missing: DeliveryGap[] = [];
  if (!notifications) missing.push('url');
  if (!secretSet) missing.push('secret');
  if (missing.length === 0) return { configured: true, missing, sentence: null };
  const steps = missing.map((gap) => GAP_WORDS[gap]).join(', then ');
  return {
    configured: false,
    missing,
    sentence: `Delivery to the identity registration system (IDPRS) is not configured: ${steps}. Until then events wait here and none is lost; no delivery is attempted.`,
  };
}
