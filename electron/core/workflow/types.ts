/**
 * The card request workflow's vocabulary: officers and their roles, callers,
 * card requests and their states, as card management systems name them
 * (HID ActivID CMS, Intercede MyID: registration officer, approver, issuer…).
 */

/** Officer roles and their words: the contract's (electron/contract/officer-rules.ts). */
export { ROLES, ROLE_WORDS, type Role } from '../../contract/officer-rules.js';
import type { Role } from '../../contract/officer-rules.js';

/** A station officer (never carries the password hash out of the store). */
export interface Officer {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  /** The officer's own person record, if they are also a cardholder (separation of duties). */
  personId: string | null;
  status: 'active' | 'disabled';
  createdAt: string;
  /** True when failed logins locked the account until an administrator unlocks it (officers.list, officers.unlock). */
  loginLocked?: boolean;
}

/**
 * Who is calling the core. Officers come with a session; the IDPRS (CPR
 * intake) and a kiosk are system callers with fixed, narrow rights.
 */
export type Caller =
  | { kind: 'officer'; officer: Officer; sessionId: string }
  /** The IDPRS, through `door`: its CPR endpoint or its drop folder (which authenticated it). */
  | { kind: 'idprs'; door?: IdprsDoor }
  | { kind: 'kiosk'; personId?: string }
  | { kind: 'anonymous' };

/** The doors the IDPRS comes through. */
export type IdprsDoor = 'http' | 'folder';

/** Where a request came from. */
export type RequestSource = 'desk' | 'kiosk' | 'idprs';

/**
 * States of a card request / card object, as in the field. A request is
 * `requested` until decided; approval creates the card object (card number,
 * FASC-N, PUK), after which the request follows its card.
 */
export const REQUEST_STATES = ['requested', 'approved', 'rejected', 'cancelled', 'in_production', 'production_failed', 'produced'] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** A card request. */
export interface CardRequest {
  id: string;
  /** The short number people use (electron/contract/request-number.ts), in creation order. */
  number: number;
  personId: string;
  profile: 'employee' | 'contractor' | 'visitor';
  state: RequestState;
  source: RequestSource;
  /** Officer id, or null for IDPRS / kiosk requests. */
  requestedBy: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  /** The card object, created on approval. */
  cardId: string | null;
  /** The CPR this request came from (IDPRS), if any. */
  cprId: string | null;
  createdAt: string;
  updatedAt: string;
}
