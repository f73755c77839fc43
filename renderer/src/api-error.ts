/**
 * The error the renderer shows: the core's `{ code, message }` from a failed
 * Result, carried as a thrown value so stores can `try/await`. The message is
 * the core's sentence for the officer; a few codes get friendlier words here.
 * Codes are mapped, messages are never parsed. PCSC_UNAVAILABLE keeps the
 * core's sentence: it says how to start pcscd (issue 10).
 */
import type { ApiError as ApiErrorShape, ErrorCode } from '../../electron/contract/station-api';

/** The renderer's own code: the link to the station (preload or bridge socket) itself failed, so there is no Result. */
export const BRIDGE_FAILED = 'BRIDGE';

/** A failed StationApi call: stable `code` (the contract's ErrorCode, or BRIDGE) and the officer's sentence. */
export class ApiError extends Error {
  readonly code: ErrorCode | typeof BRIDGE_FAILED;
  readonly retryable: boolean;
  readonly details: ApiErrorShape['details'];

  constructor(shape: { code: ErrorCode | typeof BRIDGE_FAILED; message: string } & Partial<Pick<ApiErrorShape, 'retryable' | 'details'>>) {
    super(shape.message);
    this.name = 'ApiError';
    this.code = shape.code;
    this.retryable = shape.retryable ?? false;
    this.details = shape.details ?? {};
  }
}

/** Friendlier words for errors the officer meets at the desk, with the next action. */
const FRIENDLY: Record<string, string> = {
  CARD_REMOVED: 'The card was removed. Put it back in the reader and try again.',
  NO_CARD: 'There is no card in the reader. Insert a card and try again.',
  NOT_PIV: 'This card is not a PIV card and cannot be personalized. Insert a blank PIV card.',
  READER_BUSY: 'The reader is busy with another card. Wait for it to finish, or use another reader.',
};

/**
 * The sentence to show for any thrown value: the friendly words for a known
 * code, else the core's own message, else a generic sentence (never a stack).
 */
export function errorSentence(e: unknown): string {
  if (e instanceof ApiError) return FRIENDLY[e.code] ?? e.message;
  return 'Something went wrong in the station. Try again; if it persists, ask IT support.';
}
