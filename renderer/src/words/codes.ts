/**
 * The one place where the renderer turns the core's codes into the
 * officer's words: audit actions and certificate revocation reasons. (Card
 * statuses and request states have their tables in the cards and requests
 * stores, re-exported here so a screen imports words from one module.)
 * The codes themselves stay in data-* attributes for tests and exports.
 */
export { CARD_STATUS_WORDS } from '../stores/cards-store';
export { REQUEST_STATE_WORDS } from '../stores/requests-store';

/** Audit actions the officer meets most, in words. */
const AUDIT_ACTION_WORDS: Record<string, string> = {
  'officer.login': 'Logged in',
  'officer.logout': 'Logged out',
  'officer.added': 'Officer added',
  'officer.locked': 'Officer account locked after failed logins',
  'officer.unlocked': 'Officer account unlocked',
  'officer.linked': 'Officer linked to a person record',
  'officer.updated': 'Officer name or roles changed',
  'officer.disabled': 'Officer account disabled',
  'officer.enabled': 'Officer account re-enabled',
  'officer.passwordReset': 'Officer password reset',
  'session.locked': 'Session locked after inactivity',
  'session.resumed': 'Session resumed after a page reload',
  'person.added': 'Person registered',
  'person.updated': 'Person record changed',
  'person.imported': 'Person imported',
  'request.created': 'Card requested',
  'request.approved': 'Request approved',
  'request.rejected': 'Request rejected',
  'request.deleted': 'Request deleted',
  'job.created': 'Production started',
  'job.run': 'Production ran',
  'job.retry': 'Production retried',
  'job.cancelled': 'Production cancelled',
  'job.step.failed': 'A production step failed',
  'card.produced': 'Card produced',
  'card.reissued': 'Card reissued',
  'card.taken-over': 'Card taken over from a cancelled production',
  'batch.started': 'Batch started',
  'batch.done': 'Batch finished',
  'batch.item.cancelled': 'Batch card cancelled',
  'pin-mailer.produced': 'PIN mailer printed',
  'profile.updated': 'Card profile changed',
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

/** RFC 5280 §5.3.1 CRL reason names in words, with the desk's reasons that map to each (electron/core/lifecycle/reasons.ts). */
const CRL_REASON_WORDS: Record<string, string> = {
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

/** A certificate's revocation reason (an RFC 5280 name) in words; unknown names are spelled out. */
export function revocationReasonText(reason: string): string {
  return CRL_REASON_WORDS[reason] ?? reason.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
