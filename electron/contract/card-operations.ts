/**
 * Which card lifecycle operation may start from which card status, read from
 * the card state machine (state-machines.ts CARD_TRANSITIONS): the core
 * refuses any other status with CARD_STATE, and the Cards screen offers an
 * action only where the table allows it, so a shown button is exactly a call
 * the core would accept. Imports nothing runtime-specific.
 */
import { CARD_TRANSITIONS, type CardStatus } from './state-machines.js';

/** The lifecycle operations, each named after its `cards.<verb>` channel. */
export const CARD_OPERATIONS = ['revoke', 'suspend', 'resume', 'activate', 'unlock', 'reissue', 'recycle'] as const;
export type CardOperation = (typeof CARD_OPERATIONS)[number];

/** Card statuses from which each lifecycle operation may start (the `from` column of its rows). */
export const CARD_OPERATION_STATES: Readonly<Record<CardOperation, readonly CardStatus[]>> = Object.fromEntries(
  CARD_OPERATIONS.map((op) => [op, [...new Set(CARD_TRANSITIONS.filter((t) => t.operation === op && t.from !== null).map((t) => t.from as CardStatus))]]),
) as unknown as Record<CardOperation, readonly CardStatus[]>;

/** Whether `operation` may start on a card in `status`. */
export function operationAllowed(operation: CardOperation, status: CardStatus): boolean {
  return CARD_OPERATION_STATES[operation].includes(status);
}
