/**
 * What the station answers the IDPRS, over HTTP, in a folder drop's
 * `.result.json`, and on `station cpr submit`: one JSON object
 * `{ status, code, message, cprId, idprsRequestId, requestId, requestState }`.
 *
 * Stable codes (the IDPRS keys on `code`, never on `message`):
 * | code                  | status   | HTTP | meaning and what the IDPRS does |
 * |-----------------------|----------|------|---------------------------------|
 * | CPR_ACCEPTED          | accepted | 201 (200 when the same CPR is sent again) | a card request was created (`requestId`) |
 * | CPR_DELETED           | deleted  | 200  | the delete-request was carried out (the request is cancelled) |
 * | CPR_MALFORMED         | rejected | 400  | not CMS SignedData / not a CPR JSON: delete it and resubmit a corrected one |
 * | CPR_SIGNATURE_INVALID | rejected | 422  | the signature cannot be verified with the configured certificate: delete it and resubmit |
 * | CPR_PERSON_UNKNOWN    | rejected | 422  | no such person and the IDPRS does not manage persons: register the person at the station, then submit a new CPR |
 * | CPR_REQUEST_EXISTS    | rejected | 409  | an issuance request is already open for the person: delete it, then submit a new CPR |
 * | CPR_ID_CONFLICT       | rejected | 409  | that idprsRequestId was used before (accepted, refused or deleted) by another document: use a new id |
 * | CPR_REPLAYED          | rejected | 409  | the same signed CPR was received before and deleted: a CPR is never taken twice; submit a new one |
 * | CPR_STALE             | rejected | 409  | its `submittedAt` is not after the last CPR accepted for the person: an older CPR never replaces a newer one |
 * | CPR_FUTURE_DATED      | rejected | 422  | its `submittedAt` is more than 5 minutes ahead of the station's clock: check the IDPRS clock |
 * | CPR_STORE_FAILED      | rejected | 500  | the CPR cannot be stored: delete it and resubmit |
 * | CPR_NOT_FOUND         | rejected | 404  | no CPR with that id (status and delete-request calls) |
 * | CPR_DELETE_REFUSED    | rejected | 409  | the request is in production or produced and can no longer be deleted |
 *
 * Resending a CPR (the same bytes) that is not deleted gets its first answer
 * again, with `replay: true` (HTTP 200 for an acceptance). Freshness rules:
 * electron/core/workflow/cpr-intake.ts.
 */
import type { ErrorCode } from '../errors.js';
import type { RequestState } from './types.js';
import type { CprStatus } from './cpr-records.js';

/** Codes of a successful answer. */
export type CprSuccessCode = 'CPR_ACCEPTED' | 'CPR_DELETED';

/** The CPR error codes (a subset of the station's ErrorCode). */
export const CPR_ERROR_CODES = [
  'CPR_MALFORMED',
  'CPR_SIGNATURE_INVALID',
  'CPR_PERSON_UNKNOWN',
  'CPR_REQUEST_EXISTS',
  'CPR_ID_CONFLICT',
  'CPR_REPLAYED',
  'CPR_STALE',
  'CPR_FUTURE_DATED',
  'CPR_STORE_FAILED',
  'CPR_NOT_FOUND',
  'CPR_DELETE_REFUSED',
] as const satisfies readonly ErrorCode[];
export type CprErrorCode = (typeof CPR_ERROR_CODES)[number];

/** The answer to one intake call. */
export interface CprResult {
  status: CprStatus;
  code: CprSuccessCode | CprErrorCode;
  /** One sentence for the IDPRS operator, saying what to do next on a rejection. Never a secret. */
  message: string;
  /** The station's id of this CPR (null when nothing was recorded, e.g. CPR_NOT_FOUND). */
  cprId: string | null;
  idprsRequestId: string | null;
  /** The card request created (accepted) or concerned. */
  requestId: string | null;
  requestState: RequestState | null;
  /** True when the same signed CPR had already been answered (a resend answered idempotently). */
  replay?: boolean;
}

const HTTP_STATUS: Record<CprResult['code'], number> = {
  CPR_ACCEPTED: 201,
  CPR_DELETED: 200,
  CPR_MALFORMED: 400,
  CPR_SIGNATURE_INVALID: 422,
  CPR_PERSON_UNKNOWN: 422,
  CPR_REQUEST_EXISTS: 409,
  CPR_ID_CONFLICT: 409,
  CPR_REPLAYED: 409,
  CPR_STALE: 409,
  CPR_FUTURE_DATED: 422,
  CPR_STORE_FAILED: 500,
  CPR_NOT_FOUND: 404,
  CPR_DELETE_REFUSED: 409,
};

/** The HTTP status answering `result` (see the table above). */
export function httpStatusOf(result: CprResult): number {
  if (result.code === 'CPR_ACCEPTED' && result.replay) return 200;
  return HTTP_STATUS[result.code];
}

/** True when `code` is one of the CPR error codes. */
export function isCprErrorCode(code: string): code is CprErrorCode {
  return (CPR_ERROR_CODES as readonly string[]).includes(code);
}
