/**
 * What a command handler gets: the persistent state, the volatile security
 * status, and card-level settings. A handler returns the response data or
 * throws CardStatusError (via `fail`) with the status word to answer.
 */
import type { CommandApdu } from '../apdu.js';
import type { SecurityStatus } from '../security.js';
import type { CardState } from '../state.js';
import type { KeyGenerator } from '../slot-crypto.js';

export interface CardContext {
  state: CardState;
  security: SecurityStatus;
  /** Extra delay before key generation (ms), from CardFaults. */
  keygenDelayMs: number;
  /** Makes the key GENERATE stores (CardFaults.generateKey, else slot-crypto's generateSlotKey). */
  generateKey: KeyGenerator;
}

/** A command handler: response data on success (SW 9000). */
export type CommandHandler = (cmd: CommandApdu, ctx: CardContext) => Uint8Array | Promise<Uint8Array>;

/** Empty response data. */
export const NO_DATA = new Uint8Array(0);
