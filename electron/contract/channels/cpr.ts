/**
 * StationApi, CPR intake: card production requests from the IDPRS, signed as
 * CMS SignedData, and its status and delete-request calls. The IDPRS reaches
 * these through its own doors (the CPR endpoint, the drop folder), which
 * authenticate it; an officer may call them too (`station cpr …`) and is then
 * the one audited. A rejection is an answer (`status: 'rejected'` with a
 * stable code), not an error: electron/core/workflow/cpr-result.ts lists the codes.
 */
import { z } from 'zod';
import { RequestStateShape } from './requests.js';

/** Most bytes a signed CPR may have, its portrait included (issue 11): every door checks this one limit. */
export const MAX_CPR_BYTES = 2 * 1024 * 1024;
/** An IDPRS request id, as the IDPRS names its request. */
const IdprsRequestId = z.string().min(1).max(128);

/** What the station answers the IDPRS (the same JSON over HTTP, in a drop folder's `.result.json`, and on `station cpr`). */
export const CprResultShape = z.object({
  status: z.enum(['accepted', 'rejected', 'deleted']),
  /** CPR_ACCEPTED, CPR_DELETED or a CPR_… rejection code. */
  code: z.string(),
  message: z.string(),
  cprId: z.string().nullable(),
  idprsRequestId: z.string().nullable(),
  requestId: z.string().nullable(),
  requestState: RequestStateShape.nullable(),
  /** True when the same signed CPR had already been accepted (a resend answered idempotently). */
  replay: z.boolean().optional(),
});
export type CprResultView = z.infer<typeof CprResultShape>;

export const cprChannels = {
  /** Takes one signed CPR: the CMS message (DER, base64 or PEM) as base64 of its bytes. */
  'cpr.submit': {
    input: z.object({ envelope: z.base64().min(1).max(Math.ceil(MAX_CPR_BYTES / 3) * 4, `A CPR may be at most ${MAX_CPR_BYTES} bytes.`) }).strict(),
    output: CprResultShape,
  },
  /** The IDPRS status call: what became of the CPR with this IDPRS request id. */
  'cpr.status': { input: z.object({ idprsRequestId: IdprsRequestId }).strict(), output: CprResultShape },
  /** The IDPRS delete-request: cancels the request made from that CPR, unless it is in production or produced. */
  'cpr.delete': { input: z.object({ idprsRequestId: IdprsRequestId }).strict(), output: CprResultShape },
} as const;
