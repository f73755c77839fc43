/**
 * Separation of duties as pure predicates (FIPS 201-3 §2.1: identity
 * proofing, registration and issuance adhere to separation of duties, so no
 * single person issues a credential alone). The core's rule book
 * (electron/core/policy/) refuses with exactly these sentences; the screens
 * call the same functions to hide or explain what would be refused. Imports
 * nothing runtime-specific.
 *
 * - Nobody for themselves: no officer requests, approves, produces, reissues,
 *   unlocks, resumes, activates or takes the one-time secrets of a card whose
 *   cardholder is their own person record.
 * - Approval comes from someone else: never the requester, never the producer.
 * - Requester and producer differ where the agency's policy says so
 *   (config `separationOfDuties.producerDiffersFromRequester`, default on).
 * - A card needs an approver when its profile says so, when the profile does
 *   not serve the person's affiliation, when it was asked for at a kiosk, or
 *   when the person's last decided request for that profile was rejected.
 */
import type { CardProfile } from './card-profile.js';
import { rolesPhrase, type Role } from './officer-rules.js';
import { mayCall } from './access.js';
import { CHANNEL_ROLES } from './station-api.js';
import { REQUEST_TRANSITIONS, CARD_TRANSITIONS, transitionsFrom, type DutyParty, type Operation, type Transition } from './state-machines.js';

/** An officer as separation of duties sees them: who they are and whose card would be their own. */
export interface DutyOfficer {
  id: string;
  /** The officer's own person record (officers are linked to it explicitly), or null. */
  personId: string | null;
}

/** The parties of a card or request: its cardholder (person id) and the officers who requested and approved it (ids). */
export interface CardParties {
  cardholder: string;
  requester: string | null;
  approver: string | null;
}

/** The agency's separation-of-duties settings (config `separationOfDuties`). */
export interface DutySettings {
  /** The officer who requested a card may not produce it (default on). */
  producerDiffersFromRequester: boolean;
}

export const DEFAULT_DUTY_SETTINGS: DutySettings = { producerDiffersFromRequester: true };

/** Whether `officer` is `party` of `parties`. */
export function isParty(officer: DutyOfficer, party: DutyParty, parties: CardParties): boolean {
  switch (party) {
    case 'cardholder':
      return officer.personId !== null && officer.personId === parties.cardholder;
    case 'requester':
      return parties.requester !== null && parties.requester === officer.id;
    case 'approver':
      return parties.approver !== null && parties.approver === officer.id;
  }
}

/** The parties of a card request as the StationApi shows it (CardRequestShape: ids, never usernames). */
export function requestParties(r: { personId: string; requesterId: string | null; approverId: string | null; state: string }): CardParties {
  return { cardholder: r.personId, requester: r.requesterId, approver: r.state === 'rejected' ? null : r.approverId };
}

/** The first party of row `t` the acting officer is but must not be, or null when separation of duties lets them act. */
export function dutyConflict(t: Pick<Transition<string>, 'distinct' | 'distinctBySetting'>, officer: DutyOfficer, parties: CardParties, settings: DutySettings): DutyParty | null {
  for (const party of t.distinct ?? []) if (isParty(officer, party, parties)) return party;
  if (settings.producerDiffersFromRequester) for (const party of t.distinctBySetting ?? []) if (isParty(officer, party, parties)) return party;
  return null;
}

/** What an operation does to a card, in a sentence ("unlock your own card"). */
const OWN_CARD_WORDS: Partial<Record<Operation, string>> = {
  request: 'You cannot request a card for yourself: another registration officer must request it.',
  approve: 'This request is for your own card: another approver must approve it.',
  produce: 'You cannot produce a card for yourself: another production officer must produce it.',
  reissue: 'You cannot reissue your own card: another security officer must do it.',
  unlock: 'You cannot unlock your own card: another security officer must do it.',
  resume: 'You cannot resume your own card: another security officer must do it.',
  activate: 'You cannot activate your own card: another officer must do it at the desk.',
  takeSecrets: 'You cannot see the one-time PIN or PUK of your own card: another officer must take them for the cardholder.',
  pinMailer: 'You cannot print the PIN mailer of your own card: another officer must do it.',
};

/**
 * The refusal of a duty conflict: the rule's name (StationError details.rule)
 * and the officer's sentence. Rule names: `<operation>ForSelf`,
 * `<operation>OwnRequest`, `<operation>OwnApproval`.
 */
export function dutyRefusal(operation: Operation, party: DutyParty): { rule: string; sentence: string } {
  switch (party) {
    case 'cardholder':
      return { rule: `${operation}ForSelf`, sentence: OWN_CARD_WORDS[operation] ?? `You cannot ${operation} your own card: another officer must do it.` };
    case 'requester':
      return {
        rule: `${operation}OwnRequest`,
        sentence:
          operation === 'approve'
            ? 'You created this request: another approver must approve it.'
            : "You requested this card: the station's policy needs another officer to produce it.",
      };
    case 'approver':
      return { rule: `${operation}OwnApproval`, sentence: 'You approved this card: another production officer must produce it.' };
  }
}

/**
 * Why `officer` may not do `operation` from state `from` (the request's or the
 * card's), as a refusal, or null. Roles are not asked here (mayCall does).
 */
export function dutyBlock(
  table: 'card' | 'request',
  operation: Operation,
  from: string | null,
  officer: DutyOfficer,
  parties: CardParties,
  settings: DutySettings = DEFAULT_DUTY_SETTINGS,
): { rule: string; sentence: string; party: DutyParty } | null {
  const rows = transitionsFrom<string>(table === 'card' ? CARD_TRANSITIONS : REQUEST_TRANSITIONS, operation, from);
  for (const row of rows) {
    const party = dutyConflict(row, officer, parties, settings);
    if (party) return { ...dutyRefusal(operation, party), party };
  }
  return null;
}

// ---------- approval ----------

/** Why a card needs an approver's decision (null: it needs none). */
export type ApprovalReason = 'profile' | 'affiliation' | 'kiosk' | 'rejected';

/** Where a request comes from. */
export type RequestSource = 'desk' | 'kiosk' | 'idprs';

/** A request as the approval rule reads the person's history: its profile, its state and whether an approver decided it. */
export interface RequestHistoryEntry {
  profile: string;
  state: string;
  /** Non-null when an approver (never the station) decided the request. */
  decidedBy: string | null;
}

/**
 * Whether the person's last decision for `profileId` stands as a rejection:
 * a rejected request for that profile with no request approved by an
 * approver after it. A standing rejection blocks issuance of that profile to
 * the person until a new request is approved.
 * @param history the person's requests in the order they were made
 */
export function rejectionStands(history: readonly RequestHistoryEntry[], profileId: string): boolean {
  let stands = false;
  for (const r of history) {
    if (r.profile !== profileId) continue;
    if (r.state === 'rejected') stands = true;
    else if (r.decidedBy !== null) stands = false;
  }
  return stands;
}

/**
 * Why a card of `profile` for a person of `affiliation` needs an approver,
 * or null when it needs none.
 */
export function approvalReason(args: {
  profile: Pick<CardProfile, 'approvalRequired' | 'affiliations'>;
  affiliation: string;
  source: RequestSource;
  rejectionStands: boolean;
}): ApprovalReason | null {
  if (args.rejectionStands) return 'rejected';
  if (args.profile.approvalRequired) return 'profile';
  if (!(args.profile.affiliations as readonly string[]).includes(args.affiliation)) return 'affiliation';
  // A kiosk identifies by attributes on record, weaker than the desk's check.
  if (args.source === 'kiosk') return 'kiosk';
  return null;
}

/** The officer's sentence for why a card cannot be issued without an approved request. */
export function approvalSentence(reason: ApprovalReason, profileLabel: string): string {
  const then = 'create a request and have an approver approve it, then produce the request.';
  switch (reason) {
    case 'profile':
      return `Cards of this profile need an approved request: ${then}`;
    case 'affiliation':
      return `A ${profileLabel} card for a person of another affiliation needs an approved request: ${then}`;
    case 'rejected':
      return `A request for a ${profileLabel} card for this person was rejected: only a new request that an approver approves can issue one.`;
    case 'kiosk':
      return 'A request made at a kiosk waits for an approver.';
  }
}

// ---------- direct issue (the Issue card screen) ----------

/** The channels whose roles direct issue needs: it requests and produces in one call. */
export const DIRECT_ISSUE_CHANNELS = ['requests.create', 'production.start'] as const;

/** The refusal of direct issue by the roles of its channels, or null. */
function directIssueRolesBlock(officer: { roles: readonly Role[] }): { rule: string; sentence: string } | null {
  const missing = DIRECT_ISSUE_CHANNELS.filter((c) => !mayCall(officer, c));
  if (missing.length === 0) return null;
  const roles = missing.flatMap((c) => (Array.isArray(CHANNEL_ROLES[c]) ? (CHANNEL_ROLES[c] as readonly Role[]) : []));
  return { rule: 'directIssueRoles', sentence: `Issuing a card directly both requests and produces it: that needs ${rolesPhrase(roles)} too.` };
}

/** The refusal of direct issue by the agency's requester/producer setting, or null. */
function directIssueSettingBlock(settings: DutySettings): { rule: string; sentence: string } | null {
  if (!settings.producerDiffersFromRequester) return null;
  return {
    rule: 'produceOwnRequest',
    sentence: "The station's policy needs two officers for every card: a registration officer requests it (Requests screen) and another officer produces it.",
  };
}

/**
 * Why `officer` cannot issue cards directly at all, whoever the person (the
 * Issue card screen offers nothing then): the roles of both channels it
 * carries (CHANNEL_ROLES of requests.create and production.start), and the
 * agency's requester/producer setting. Null when they may.
 */
export function directIssueOfficerBlock(officer: { roles: readonly Role[] }, settings: DutySettings): { rule: string; sentence: string } | null {
  return directIssueRolesBlock(officer) ?? directIssueSettingBlock(settings);
}

/**
 * Why `officer` cannot issue a `profile` card to `person` directly (request
 * and production in one call, `production.start`), or null when they may. The
 * core refuses with exactly this: never for oneself, the roles of both
 * channels, the approval rule, then the agency's requester/producer setting.
 * @param history the person's requests in the order they were made
 */
export function directIssueBlock(args: {
  officer: DutyOfficer & { roles: readonly Role[] };
  person: { id: string; affiliation: string };
  profile: Pick<CardProfile, 'id' | 'label' | 'approvalRequired' | 'affiliations'>;
  history: readonly RequestHistoryEntry[];
  settings: DutySettings;
}): { rule: string; sentence: string; reason?: ApprovalReason } | null {
  const { officer, person, profile, settings } = args;
  const self = dutyConflict({ distinct: ['cardholder'] }, officer, { cardholder: person.id, requester: null, approver: null }, settings);
  if (self) return dutyRefusal('request', self);
  const roles = directIssueRolesBlock(officer);
  if (roles) return roles;
  const reason = approvalReason({ profile, affiliation: person.affiliation, source: 'desk', rejectionStands: rejectionStands(args.history, profile.id) });
  if (reason) return { rule: 'approvalRequired', sentence: approvalSentence(reason, profile.label), reason };
  return directIssueSettingBlock(settings);
}
