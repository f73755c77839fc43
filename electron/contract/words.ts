/**
 * The one place where the station's codes become the officer's words:
 * request states, card statuses, job statuses, audit actions, the officer's
 * termination reasons and RFC 5280 CRL reasons. Every face (screens, CLI,
 * the core's own sentences) takes its words from here; the codes themselves
 * stay in data, exports and data-* attributes. Imports nothing runtime-specific.
 */
import type { CardStatus, RequestState } from './state-machines.js';
import { requestNumberText } from './request-number.js';

/** A request's state in words. */
export const REQUEST_STATE_WORDS: Readonly<Record<RequestState, string>> = {
  requested: 'Waiting for approval',
  approved: 'Approved',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  in_production: 'In production',
  production_failed: 'Production failed',
  produced: 'Produced',
};

/** A card's status in words. */
export const CARD_STATUS_WORDS: Readonly<Record<CardStatus, string>> = {
  approved: 'Approved, not produced',
  in_production: 'In production',
  production_failed: 'Production failed',
  produced: 'Produced, awaiting collection',
  cancelled: 'Cancelled',
  active: 'Active',
  suspended: 'Suspended',
  revoked: 'Revoked',
  expired: 'Expired',
};

/** A production job's status in words. */
export const JOB_STATUS_WORDS: Readonly<Record<'pending' | 'running' | 'failed' | 'done' | 'cancelled', string>> = {
  pending: 'Waiting',
  running: 'Running',
  failed: 'Failed',
  done: 'Done',
  cancelled: 'Cancelled',
};

/** A certificate's status in words. */
export const CERTIFICATE_STATUS_WORDS: Readonly<Record<string, string>> = {
  valid: 'Valid',
  revoked: 'Revoked',
  hold: 'On hold',
};

/** Why an officer terminates a card, as offered and as chosen (contract TerminationReasonShape). */
export const TERMINATION_REASON_WORDS: Readonly<Record<'lost' | 'stolen' | 'damaged' | 'left' | 'key-compromise', string>> = {
  lost: 'Lost',
  stolen: 'Stolen',
  damaged: 'Damaged',
  left: 'The cardholder left the organization',
  'key-compromise': 'Key compromise',
};

/**
 * RFC 5280 §5.3.1 CRL reason names in words. A certificate keeps the CRL's
 * code; where the officer's own reason is known (a card's terminationReason)
 * the screens say that instead (see {@link revocationText}).
 */
const CRL_REASON_WORDS: Readonly<Record<string, string>> = {
  unspecified: 'unspecified',
  keyCompromise: 'lost, stolen or key compromised',
  cACompromise: 'CA compromised',
  affiliationChanged: 'cardholder left',
  superseded: 'damaged, replaced by a new card',
  cessationOfOperation: 'card recycled',
  certificateHold: 'suspended',
  removeFromCRL: 'resumed',
  privilegeWithdrawn: 'privilege withdrawn',
  aACompromise: 'attribute authority compromised',
};

/** A certificate's CRL reason (an RFC 5280 name) in words; unknown names are spelled out. */
export function revocationReasonText(reason: string): string {
  return CRL_REASON_WORDS[reason] ?? reason.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/**
 * Why a certificate was revoked, as the officer should read it: the
 * officer's termination reason when the card has one ("lost"), else the CRL
 * reason in words (recycling, suspension, cards terminated before reasons were kept).
 */
export function revocationText(crlReason: string, terminationReason: keyof typeof TERMINATION_REASON_WORDS | null | undefined): string {
  return terminationReason ? TERMINATION_REASON_WORDS[terminationReason].toLowerCase() : revocationReasonText(crlReason);
}

/** Audit actions in words (electron/core's audit.append actions). */
const AUDIT_ACTION_WORDS: Readonly<Record<string, string>> = {
  'officer.login': 'Logged in',
  'officer.logout': 'Logged out',
  'officer.added': 'Officer added',
  'officer.locked': 'Officer account locked after failed logins',
  'officer.unlocked': 'Officer account unlocked',
  'officer.linked': 'Officer linked to a person record',
  'session.locked': 'Session locked after inactivity',
  'session.resumed': 'Session resumed after a page reload',
  'person.added': 'Person registered',
  'person.updated': 'Person record changed',
  'person.imported': 'Person imported',
  'person.photo': 'Photo',
  'person.photo.added': 'Photo taken',
  'person.photo.replaced': 'Photo replaced',
  'person.update': 'Person record change',
  'persons.import': 'Person import',
  'officer.updated': 'Officer name or roles changed',
  'officer.disabled': 'Officer account disabled',
  'officer.enabled': 'Officer account re-enabled',
  'officer.passwordReset': 'Officer password reset',
  'officer.link': 'Officer link to a person record',
  'request.created': 'Card requested',
  'request.approved': 'Request approved',
  'request.rejected': 'Request rejected',
  'request.deleted': 'Request deleted',
  'request.cancelled': 'Request cancelled',
  'request.approval.voided': 'Approval withdrawn',
  'request.production': 'Request production',
  'cpr.accepted': 'Request from the IDPRS accepted',
  'cpr.rejected': 'Request from the IDPRS refused',
  'cpr.delete': 'IDPRS request deletion',
  'cpr.deleted': 'Request deleted by the IDPRS',
  'kiosk.requested': 'Card requested at the kiosk',
  'kiosk.started': 'Kiosk mode started',
  'kiosk.identified': 'Identified at the kiosk',
  'kiosk.identify': 'Identification at the kiosk',
  'kiosk.refused': 'Refused at the kiosk',
  'kiosk.request': 'Card request at the kiosk',
  'kiosk.reset': 'Kiosk cleared for the next person',
  'kiosk.throttled': 'Kiosk paused after repeated failures',
  'kiosk.ended': 'Kiosk mode ended',
  'job.created': 'Production started',
  'job.run': 'Production ran',
  'job.retry': 'Production retried',
  'job.cancelled': 'Production cancelled',
  'job.step.failed': 'A production step failed',
  'card.produced': 'Card produced',
  'card.reissued': 'Card reissued',
  'card.revoked': 'Card revoked',
  'card.suspended': 'Card suspended',
  'card.resumed': 'Card resumed',
  'card.activated': 'Card activated',
  'card.unlocked': 'PIN unlocked',
  'card.recycled': 'Card recycled',
  'card.expired': 'Card expired',
  'card.reprinted': 'Card face reprinted',
  'card.reprint': 'Card face reprint',
  'card.printed': 'Card face printed',
  'card.print.cancelled': 'Card face print cancelled',
  'card.taken-over': 'Card taken over from a cancelled production',
  'batch.started': 'Batch started',
  'batch.start': 'Batch start',
  'batch.done': 'Batch finished',
  'batch.item.cancelled': 'Batch card cancelled',
  'batch.item.interrupted': 'Batch card interrupted',
  'batch.item.retried': 'Batch card retried',
  'pin-mailer.produced': 'PIN mailer printed',
  'profile.updated': 'Card profile changed',
  'profile.update': 'Card profile change',
  'layout.update': 'Card layout change',
  'layout.updated': 'Card layout changed',
  'audit.exported': 'Audit log exported',
  'notifications.secret.set': 'Notification delivery secret set',
};

/**
 * An audit action in words: the table above, else the code's parts as a
 * sentence ("cards.revoke" → "Cards revoke"), never the dotted code.
 */
export function auditActionText(action: string): string {
  const known = AUDIT_ACTION_WORDS[action];
  if (known) return known;
  const words = action.split(/[._-]+/).filter(Boolean).join(' ');
  return words ? words[0]!.toUpperCase() + words.slice(1) : action;
}

/**
 * Where a person stands, in words, for the persons list: their newest card
 * ("Card 00000002 · Active"), else their open request ("Request R-000005 ·
 * Waiting for approval"), else "No card"; the open request is added after
 * a card ("… · request R-000007 in production") when both exist.
 */
export function personStandingText(standing: { card: { cardNumber: string | null; status: CardStatus } | null; request: { number: number; state: RequestState } | null }): string {
  const { card, request } = standing;
  const requestWords = request ? `${requestNumberText(request.number)} · ${REQUEST_STATE_WORDS[request.state]}` : null;
  if (card && card.cardNumber) {
    const cardWords = `Card ${card.cardNumber} · ${CARD_STATUS_WORDS[card.status]}`;
    return requestWords && request && !['approved', 'in_production', 'production_failed'].includes(request.state) ? `${cardWords}; request ${requestWords}` : cardWords;
  }
  if (requestWords) return `Request ${requestWords}`;
  return 'No card';
}
