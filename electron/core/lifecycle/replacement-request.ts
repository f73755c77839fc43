/**
 * The card request of a reissued card (issue 5 "Reissue/replace"): the
 * replacement goes through the request workflow like any other card, so it
 * gets its own request for the same person and profile, already approved: it
 * re-fulfils the replaced card's request, so it keeps that request's
 * requester and approver (issue 10: the reissuing officer is its producer and
 * must differ from them), linked to the card it replaces. The link lives in
 * the request's decision reason and in the audit event `request.created`
 * (details.replacesCardId).
 */
import { StationError } from '../errors.js';
import type { StationStore } from '../store/store.js';
import type { CardRecord } from '../store/records.js';
import type { CardRequest } from '../workflow/types.js';
import type { ReissueReason } from './reasons.js';

/** The decision reason of a replacement request: names the replaced card (number, else id) and why. */
export function replacementReason(old: CardRecord, reason: ReissueReason): string {
  return `Replaces card ${old.cardNumber ?? old.id} (${reason}).`;
}

/**
 * Refuses a reissue for a person who already has an open request (one open
 * request per person, as `requests.create` rules): checked before the old card
 * is revoked, so a refused reissue changes nothing.
 * @throws StationError REQUEST_STATE (details.requestId, details.state)
 */
export function assertNoOpenRequest(store: StationStore, old: CardRecord): void {
  const open = store.requests.openForPerson(old.personId).find((r) => r.cardId !== old.id);
  if (open) {
    throw new StationError('REQUEST_STATE', `The cardholder already has an open card request (${open.state.replace('_', ' ')}); finish or cancel it before reissuing.`, {
      requestId: open.id,
      state: open.state,
    });
  }
}

/**
 * Creates the approved request of `replacement`, in the caller's transaction,
 * and audits it (actor = the reissuing officer's username).
 * @param requestedBy the replaced card's requester (officer id; null for a kiosk or IDPRS request)
 * @param approvedBy  the replaced card's approver (officer id; null when its profile needed none)
 * @returns the request (state 'approved', cardId = the replacement)
 */
export function createReplacementRequest(
  store: StationStore,
  args: { old: CardRecord; replacement: CardRecord; reason: ReissueReason; actor: string; requestedBy: string | null; approvedBy: string | null; now: Date },
): CardRequest {
  const { old, replacement, reason, actor, requestedBy, approvedBy, now } = args;
  const created = store.requests.create({ personId: old.personId, profile: replacement.cardProfile as CardRequest['profile'], source: 'desk', requestedBy, state: 'approved' });
  const request = store.requests.update(created.id, { decidedBy: approvedBy, decidedAt: now.toISOString(), decisionReason: replacementReason(old, reason), cardId: replacement.id });
  store.audit.append({
    actor,
    action: 'request.created',
    outcome: 'ok',
    personId: old.personId,
    cardId: replacement.id,
    details: { requestId: request.id, profile: request.profile, source: 'desk', replacesCardId: old.id, reason, cardNumber: replacement.cardNumber },
  });
  return request;
}
