/**
 * Record types of the station store: one per table, columns in camelCase.
 * JSON columns are parsed: `params_json` → `params`, `data_json` → `data`,
 * `error_json` → `error`, `details_json` → `details`. Timestamps are ISO-8601
 * strings (UTC), hex is uppercase, dates are YYYY-MM-DD.
 */
import type { ErrorCode, ErrorDetails } from '../errors.js';
import type { CardCapabilities } from '../../contract/card-capabilities.js';

/** A person's relation to the agency (FIPS 201 affiliation, printed on the card). */
export const AFFILIATIONS = ['employee', 'contractor', 'visitor'] as const;
export type Affiliation = (typeof AFFILIATIONS)[number];

/** Card life cycle: the card object created on approval, production states, then issued states. */
export const CARD_STATUSES = ['approved', 'in_production', 'production_failed', 'produced', 'cancelled', 'active', 'suspended', 'revoked', 'expired'] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];

/** Management key state: factory/transport key, lock in progress, station-derived key set. */
export const MGMT_KEY_STATES = ['transport', 'locking', 'locked'] as const;
export type MgmtKeyState = (typeof MGMT_KEY_STATES)[number];

export const JOB_STATUSES = ['pending', 'running', 'failed', 'done', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** 'in_progress' marks a step whose effect cannot be read back (PIN change, lock) as started. */
export const STEP_STATUSES = ['pending', 'running', 'in_progress', 'done', 'failed'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const CERT_STATUSES = ['valid', 'revoked', 'hold'] as const;
export type CertStatus = (typeof CERT_STATUSES)[number];

export const AUDIT_OUTCOMES = ['ok', 'failed', 'refused'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** Kinds of escrowed, already-sealed secrets. */
export const ESCROW_KINDS = ['PUK'] as const;
export type EscrowKind = (typeof ESCROW_KINDS)[number];

/** A JSON object stored in a *_json column. */
export type JsonObject = { [key: string]: unknown };

/** A StationError as stored (StationError.toJSON()). */
export interface StoredError {
  code: ErrorCode;
  message: string;
  details: ErrorDetails;
  retryable: boolean;
}

export interface PersonRecord {
  id: string;
  givenName: string;
  surname: string;
  email: string | null;
  employeeId: string | null;
  affiliation: Affiliation;
  /** The IDPRS person id, for persons the identity registration system manages. */
  externalId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewPerson {
  /** Defaults to a random UUID. */
  id?: string;
  givenName: string;
  surname: string;
  email?: string | null;
  employeeId?: string | null;
  affiliation: Affiliation;
  externalId?: string | null;
}

export interface CardRecord {
  id: string;
  personId: string;
  cardProfile: string;
  status: CardStatus;
  /** Chip serial (YubiKey-compatible GET SERIAL), when the card reports one. */
  chipSerial: number | null;
  /** CHUID GUID, 32 uppercase hex digits (16 bytes). */
  guid: string;
  /** FASC-N, 50 uppercase hex digits (25 bytes). */
  fascn: string;
  /** FASC-N agency code, 4 digits. */
  agencyCode: string;
  /** FASC-N system code, 4 digits. */
  systemCode: string;
  /** FASC-N credential number, 6 digits. */
  credentialNumber: string;
  /** YYYY-MM-DD. */
  expirationDate: string;
  mgmtKeyAlg: string | null;
  mgmtKeyVersion: number | null;
  mgmtKeyState: MgmtKeyState;
  /** Card number (8 digits) assigned on approval from the `card.number` sequence; null for cards produced without a request. */
  cardNumber: string | null;
  /** How often the finished card's face was printed again (migration 14). */
  reprintCount: number;
  /** What the card showed it can do when production identified it, and its retry counts; null before. */
  capabilities: CardCapabilities | null;
  /** Officer id of the requester (null: a kiosk or IDPRS request, or a card made before issue 10). */
  requestedBy: string | null;
  /** Officer id of the approver (null: its profile needed no approval). */
  approvedBy: string | null;
  /** Officer id of the officer whose call ran its (last) production. */
  producedBy: string | null;
  /** Officer id of the officer of its last lifecycle operation. */
  lifecycleBy: string | null;
  /** The status a suspension interrupted (resume restores it); null unless suspended. */
  suspendedFrom: 'produced' | 'active' | null;
  /** Why the officer terminated the card (lost, stolen, …), kept as said; its certificates carry the RFC 5280 CRL reason. Null unless terminated. */
  terminationReason: 'lost' | 'stolen' | 'damaged' | 'left' | 'key-compromise' | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewCard {
  id?: string;
  personId: string;
  cardProfile: string;
  /** Defaults to 'in_production'. */
  status?: CardStatus;
  chipSerial?: number | null;
  guid: string;
  fascn: string;
  agencyCode: string;
  systemCode: string;
  credentialNumber: string;
  expirationDate: string;
  mgmtKeyAlg?: string | null;
  mgmtKeyVersion?: number | null;
  /** Defaults to 'transport'. */
  mgmtKeyState?: MgmtKeyState;
  /** 8 digits; defaults to null. */
  cardNumber?: string | null;
  /** Defaults to 0. */
  reprintCount?: number;
  capabilities?: CardCapabilities | null;
  /** Officer ids of the requester and approver; default null. */
  requestedBy?: string | null;
  approvedBy?: string | null;
}

export interface JobRecord {
  id: string;
  kind: string;
  cardId: string;
  personId: string;
  /** Reader the job runs on; null while it waits for one. */
  readerName: string | null;
  status: JobStatus;
  failedStep: string | null;
  error: StoredError | null;
  /** Non-secret job parameters. */
  params: JsonObject;
  cancelReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewJob {
  id?: string;
  /** Defaults to 'produce'. */
  kind?: string;
  cardId: string;
  personId: string;
  readerName?: string | null;
  /** Defaults to 'pending'. */
  status?: JobStatus;
  /** Non-secret job parameters; defaults to {}. */
  params?: JsonObject;
}

export interface StepRecord {
  jobId: string;
  name: string;
  /** Position in the job's step list, from 0. */
  ordinal: number;
  status: StepStatus;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: StoredError | null;
  /** Non-secret outputs (public key hex, certificate serial…). */
  data: JsonObject | null;
}

export interface CertificateRecord {
  /** Certificate serial number, uppercase hex. */
  serial: string;
  cardId: string;
  jobId: string | null;
  /** PIV slot ('9A', '9C', '9D', '9E'). */
  slot: string;
  /** SubjectPublicKeyInfo DER, uppercase hex. */
  publicKeySpki: string;
  der: Uint8Array;
  status: CertStatus;
  notBefore: string;
  notAfter: string;
  issuedAt: string;
  revokedAt: string | null;
  revocationReason: string | null;
}

export interface NewCertificate {
  serial: string;
  cardId: string;
  jobId?: string | null;
  slot: string;
  publicKeySpki: string;
  der: Uint8Array;
  /** Defaults to 'valid'. */
  status?: CertStatus;
  notBefore: string;
  notAfter: string;
  /** Defaults to now. */
  issuedAt?: string;
}

export interface AuditEventRecord {
  /** Position in the append-only log, from 1. */
  seq: number;
  at: string;
  actor: string;
  action: string;
  outcome: AuditOutcome;
  personId: string | null;
  cardId: string | null;
  jobId: string | null;
  details: JsonObject | null;
}

export interface NewAuditEvent {
  /** Defaults to now. */
  at?: string;
  actor: string;
  action: string;
  outcome: AuditOutcome;
  personId?: string | null;
  cardId?: string | null;
  jobId?: string | null;
  details?: JsonObject | null;
}
