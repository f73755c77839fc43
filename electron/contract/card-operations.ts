/**
 * Which card lifecycle operation may start from which card status (issue 5
 * "Lifecycle operations"). One table for both sides: the core refuses any
 * other status with CARD_STATE (electron/core/lifecycle/service.ts), and the
 * Cards screen offers an action only where this table allows it, so a shown
 * button is exactly a call the core would accept. Imports nothing
 * runtime-specific.
 */
import type { CardView } from './station-api.js';

type CardStatus = CardView['status'];

/** The lifecycle operations, each named after its `cards.<verb>` channel. */
export const CARD_OPERATIONS = ['revoke', 'suspend', 'resume', 'activate', 'unlock', 'reissue', 'recycle'] as const;
export type CardOperation = (typeof CARD_OPERATIONS)[number];

/** Cards that were issued (or tried to be) and are not terminated: their certificates can be revoked. */
const REVOCABLE: readonly CardStatus[] = ['produced', 'active', 'suspended', 'production_failed', 'expired'];

/**
 * Card statuses from which each operation may start.
 * - suspend: a card in use (produced, awaiting collection, or active);
 * - resume: a suspended card; activate: a produced card awaiting collection;
 * - unlock: a card the cardholder still uses, suspended included (the PIN can be reset before resuming);
 * - reissue: any revocable card (it is revoked on the way) or an already revoked one;
 * - recycle: any card of this station that can come back to the desk, cancelled included.
 */
export const CARD_OPERATION_STATES: Readonly<Record<CardOperation, readonly CardStatus[]>> = {
  revoke: REVOCABLE,
  suspend: ['produced', 'active'],
  resume: ['suspended'],
  activate: ['produced'],
  unlock: ['produced', 'active', 'suspended'],
  reissue: [...REVOCABLE, 'revoked'],
  recycle: [...REVOCABLE, 'revoked', 'cancelled'],
};

/** Whether `operation` may start on a card in `status`. */
export function operationAllowed(operation: CardOperation, status: CardStatus): boolean {
  return CARD_OPERATION_STATES[operation].includes(status);
}

/**
 * Card statuses whose face may be printed again (issue 11, `cards.reprint`): a finished card the
 * cardholder holds or will collect. The core refuses any other with CARD_STATE.
 */
export const REPRINTABLE_STATUSES: readonly CardStatus[] = ['produced', 'active', 'suspended'];
