/**
 * Binds the CPR intake to a station: the persons and card requests of the
 * store, the card request operations of the RequestService, the IDPRS
 * certificate and rules of the configuration.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { IdprsConfig } from '../config/station-config.js';
import { StationError } from '../errors.js';
import type { StationStore } from '../store/store.js';
import type { CprPerson } from './cpr-document.js';
import { CprIntake } from './cpr-intake.js';
import { OPEN_REQUEST_STATES, type CprRequestPort, type RequestRef } from './cpr-port.js';
import { cprRecords } from './cpr-records.js';
import type { Caller, CardRequest } from './types.js';
import type { ImageCodec } from '../physical/image-codec.js';
import { preparePortrait } from '../physical/portrait.js';
import type { RuleBook } from '../policy/rule-book.js';
import { storePersonPhoto } from './person-photo.js';

/** The card request operations the intake needs, on behalf of the IDPRS caller. */
export interface IdprsRequestOps {
  /** Creates a request (source 'idprs', caller { kind: 'idprs' }) linked to the CPR; state per the profile's approval rule. */
  create(personId: string, profile: CardRequest['profile'], cprId: string): RequestRef;
  /** The IDPRS delete-request (RequestService.deleteForIdprs). @throws StationError REQUEST_STATE when it can no longer be cancelled */
  deleteForIdprs(idprsRequestId: string): Promise<RequestRef>;
}

/** The RequestService methods the IDPRS ops use (electron/core/workflow/requests.ts). */
export interface RequestServiceForIdprs {
  create(input: { personId: string; profile: CardRequest['profile']; cprId?: string | null }, caller: Caller): RequestRef;
  deleteForIdprs(idprsRequestId: string): Promise<RequestRef>;
}

/** The IDPRS request operations over the station's RequestService (caller { kind: 'idprs' }, audited as 'idprs'). */
export function idprsRequestOps(requests: RequestServiceForIdprs): IdprsRequestOps {
  const caller: Caller = { kind: 'idprs' };
  return {
    create: (personId, profile, cprId) => requests.create({ personId, profile, cprId }, caller),
    deleteForIdprs: (idprsRequestId) => requests.deleteForIdprs(idprsRequestId),
  };
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/;

/**
 * Reads the IDPRS signing certificate: PEM text given inline, or a PEM or DER
 * file (absolute, or relative to the data dir).
 * @returns the certificate DER
 * @throws StationError INVALID_INPUT when it cannot be read or holds no certificate
 */
export function loadIdprsCertificate(spec: string, dataDir: string): Uint8Array {
  let bytes: Buffer;
  if (PEM_CERTIFICATE.test(spec)) bytes = Buffer.from(spec, 'latin1');
  else {
    try {
      bytes = readFileSync(isAbsolute(spec) ? spec : join(dataDir, spec));
    } catch {
      throw new StationError('INVALID_INPUT', 'The IDPRS signing certificate file (idprs.signerCertificate) cannot be read.');
    }
  }
  const pem = PEM_CERTIFICATE.exec(bytes.toString('latin1'));
  const der = pem ? Buffer.from(pem[1]!.replace(/\s+/g, ''), 'base64') : bytes;
  // DER certificates start with a SEQUENCE (X.690 §8.9).
  if (der.length === 0 || der[0] !== 0x30) throw new StationError('INVALID_INPUT', 'The IDPRS signing certificate (idprs.signerCertificate) is not a PEM or DER certificate.');
  return new Uint8Array(der);
}

/**
 * The intake's view of persons and requests, over the station store and the request operations.
 * A CPR's photo is stored through the rule book like one taken at the desk (RuleBook.photo with
 * performer 'idprs', applied by storePersonPhoto); `auditActor` names who brings the CPR.
 */
export function storeCprPort(store: StationStore, ops: IdprsRequestOps, rules: RuleBook, auditActor = 'idprs'): CprRequestPort {
  const attributes = (p: CprPerson) => ({
    givenName: p.givenName,
    surname: p.surname,
    email: p.email ?? null,
    employeeId: p.employeeId ?? null,
    affiliation: p.affiliation,
  });
  return {
    findPersonByExternalId: (externalId) => store.persons.findByExternalId(externalId)?.id,
    createPerson: (p) => store.persons.add({ ...attributes(p), externalId: p.externalId }).id,
    replacePersonAttributes: (personId, p) => void store.persons.update(personId, attributes(p)),
    openRequestFor: (personId) => store.requests.openForPerson(personId).find((r) => (OPEN_REQUEST_STATES as readonly string[]).includes(r.state)),
    createRequest: (personId, profile, cprId) => ops.create(personId, profile, cprId),
    getRequest: (requestId) => store.requests.get(requestId),
    storePhoto: (personId, portrait, audited) =>
      storePersonPhoto(
        { store, rules },
        { personId, portrait, source: 'idprs', capturedBy: auditActor, actor: { kind: 'idprs' }, performer: 'idprs' },
        (info) => audited(info.version),
      ).stored.version,
    deleteForIdprs: (idprsRequestId) => ops.deleteForIdprs(idprsRequestId),
  };
}

/** What {@link createStationCprIntake} needs of a station. */
export interface CprStationParts {
  dataDir: string;
  store: StationStore;
  idprs: IdprsConfig | undefined;
  requests: IdprsRequestOps;
  /** The station's rule book: a CPR's photo is judged by RuleBook.photo like one taken at the desk. */
  rules: RuleBook;
  /** The image codec that checks a CPR's photo like one taken at the desk; absent: CPRs with a photo are refused. */
  codec?: ImageCodec;
  /** Audit actor of the intake's events: default 'idprs'; an officer's username when an officer brings the CPR or the delete-request. */
  actor?: string;
  now?: () => Date;
}

/**
 * The station's CPR intake.
 * @throws StationError INVALID_INPUT when the configuration has no `idprs` section or its certificate cannot be read
 */
export function createStationCprIntake(parts: CprStationParts): CprIntake {
  if (!parts.idprs) throw new StationError('INVALID_INPUT', 'CPR intake is not configured: add an "idprs" section with the IDPRS signing certificate to config.json.');
  const { store } = parts;
  return new CprIntake({
    records: cprRecords(store.db, parts.now),
    requests: storeCprPort(store, parts.requests, parts.rules, parts.actor),
    transaction: (fn) => store.transaction(fn),
    audit: (e) => void store.audit.append(parts.actor ? { ...e, actor: parts.actor } : e),
    signerCertificate: loadIdprsCertificate(parts.idprs.signerCertificate, parts.dataDir),
    managesPersons: parts.idprs.managesPersons,
    preparePhoto: parts.codec ? (bytes) => preparePortrait(parts.codec!, bytes) : undefined,
    now: parts.now,
  });
}
