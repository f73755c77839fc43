/**
 * CPR intake: card production requests from the IDPRS, signed as CMS
 * SignedData, whatever door they come through (HTTP, folder drop, CLI).
 *
 * Alternate flows (issue 4, as the issuing system documents them):
 * - the person already exists (same IDPRS person id) → used as is;
 * - the person does not exist → created when the IDPRS manages persons
 *   (`idprs.managesPersons`), else rejected CPR_PERSON_UNKNOWN;
 * - a CPR was already accepted for the person before → the stored person
 *   attributes are replaced by the new CPR's;
 * - an issuance request is already open for the person → rejected
 *   CPR_REQUEST_EXISTS, telling the IDPRS to delete it and submit a new one;
 * - invalid CPR (signature cannot be verified: CPR_SIGNATURE_INVALID /
 *   CPR_MALFORMED; or it cannot be stored: CPR_STORE_FAILED) → rejected,
 *   telling the IDPRS to delete it and resubmit.
 * Every CPR, accepted or rejected, is recorded in the ledger (cprs) and
 * audited with actor 'idprs'. Resending a CPR (same bytes) that is not
 * deleted is answered with its first answer, so an HTTP retry creates
 * nothing twice.
 *
 * Freshness (issue 10, finding 4: a deleted CPR replayed, an old CPR rolling
 * a person's attributes back). A CPR whose signature verified and that was
 * decided on its merits is spent: its document (SHA-256 of the DER) and its
 * IDPRS request id are never taken again, even after a delete-request
 * (CPR_REPLAYED, CPR_ID_CONFLICT). A forged, malformed or unstorable CPR
 * spends nothing: its ids are only what its sender claims, and counting them
 * would let anyone who can drop a file block a request id. The freshness time
 * is the CPR's own `submittedAt`, which is inside the signed content and
 * always present; the CMS signing-time attribute is optional and only says
 * when the bytes were signed (a re-signature changes it), so it is not used.
 * A CPR must be submitted strictly after the last CPR ever accepted for the
 * same IDPRS person (CPR_STALE), and not more than MAX_FUTURE_SKEW_MS ahead of
 * the station's clock (CPR_FUTURE_DATED), since a far-future time would
 * refuse every later CPR for the person.
 */
import { requestNumberText } from '../../contract/request-number.js';
import { REQUEST_STATE_WORDS } from '../../contract/words.js';
import { createHash } from 'node:crypto';
import { isStationError, StationError } from '../errors.js';
import type { NewAuditEvent } from '../store/records.js';
import { IdprsIdSchema, parseCprDocument, type CprDocument } from './cpr-document.js';
import { decodeCprEnvelope } from './cpr-envelope.js';
import type { CprRequestPort, RequestRef } from './cpr-port.js';
import type { CprRecord, CprRecords } from './cpr-records.js';
import { isCprErrorCode, type CprErrorCode, type CprResult } from './cpr-result.js';

/** Audit actor of everything the intake does. */
export const IDPRS_ACTOR = 'idprs';

/** Through which door a CPR came (audited): the IDPRS's endpoint or drop folder, or an officer's call (`station cpr submit`). */
export type CprChannel = 'http' | 'folder' | 'officer';

/** What the intake is built from. */
export interface CprIntakeDeps {
  records: CprRecords;
  requests: CprRequestPort;
  /** Runs `fn` in one SQLite transaction (StationStore.transaction). */
  transaction<T>(fn: () => T): T;
  audit(event: NewAuditEvent): void;
  /** DER of the IDPRS signing certificate (idprs.signerCertificate). */
  signerCertificate: Uint8Array;
  /** idprs.managesPersons: a CPR for an unknown person creates it. */
  managesPersons: boolean;
  /**
   * Checks a CPR's photo with the desk's portrait rules and makes the stored portrait
   * (physical/portrait.ts preparePortrait). Absent: a CPR carrying a photo is refused.
   * @throws StationError PHOTO_REJECTED with the reasons in words
   */
  preparePhoto?: (image: Uint8Array) => Promise<{ jpeg: Uint8Array; width: number; height: number }>;
  now?: () => Date;
}

/** How far ahead of the station's clock a CPR's submittedAt may be (clock skew between IDPRS and station), ms. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

/** Request states the delete-request can no longer undo. */
const UNDELETABLE_STATES: ReadonlySet<string> = new Set(['in_production', 'produced']);
/** Request states the delete-request cancels. */
const DELETABLE_STATES: ReadonlySet<string> = new Set(['requested', 'approved', 'production_failed']);

/** The CPR intake service. */
export class CprIntake {
  private readonly now: () => Date;

  constructor(private readonly deps: CprIntakeDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Takes one signed CPR.
   * @param body the CMS message as DER, base64 or PEM
   * @param channel the door it came through (audited)
   * @returns the answer for the IDPRS; never throws for a bad CPR (the rejection is the answer)
   */
  async submit(body: Uint8Array, channel: CprChannel): Promise<CprResult> {
    // The CMS code (pkijs) loads with the first CPR, not with the station (issue 14: start-up).
    const { peekUnverifiedContent, verifyCprSignature } = await import('./cpr-signature.js');
    const sha256 = createHash('sha256').update(body).digest('hex');
    let der: Uint8Array | undefined;
    let doc: CprDocument | undefined;
    try {
      der = decodeCprEnvelope(body);
      const verified = await verifyCprSignature(der, this.deps.signerCertificate, this.now());
      doc = parseCprDocument(verified.content);
      const documentSha256 = createHash('sha256').update(der).digest('hex');
      const accepted = doc;
      // The photo is checked before the acceptance's transaction (image work is asynchronous).
      const portrait = doc.person.photo ? await this.portraitOf(doc.person.photo) : undefined;
      return this.deps.transaction(() => this.accept(accepted, documentSha256, channel, portrait));
    } catch (e) {
      const err = asCprError(e);
      const claimed: ClaimedIds = doc ? { idprsRequestId: doc.idprsRequestId, personExternalId: doc.person.externalId } : claimedIds(der, peekUnverifiedContent);
      // Refused on its merits, a verified CPR is spent; one the station failed to store is not the IDPRS's fault.
      const spent = doc !== undefined && err.code !== 'CPR_STORE_FAILED' ? doc : undefined;
      return this.reject(err, claimed, der ? createHash('sha256').update(der).digest('hex') : sha256, channel, spent);
    }
  }

  /**
   * The IDPRS delete-request: cancels the request made from the CPR with that
   * IDPRS request id and marks its CPRs deleted (rejected ones too).
   * Deleting again answers CPR_DELETED again.
   */
  async deleteRequest(idprsRequestId: string): Promise<CprResult> {
    if (!IdprsIdSchema.safeParse(idprsRequestId).success) return notFound(idprsRequestId);
    const { records, requests } = this.deps;
    try {
      const rows = records.byIdprsRequestId(idprsRequestId);
      if (rows.length === 0) return notFound(idprsRequestId);
      const live = rows.filter((r) => r.status !== 'deleted');
      const acceptedRow = live.find((r) => r.status === 'accepted');
      const current = acceptedRow?.requestId ? requests.getRequest(acceptedRow.requestId) : undefined;
      let request: RequestRef | undefined = current;
      if (current && UNDELETABLE_STATES.has(current.state)) return this.deleteRefused(idprsRequestId, acceptedRow!, current);
      if (current && DELETABLE_STATES.has(current.state)) {
        try {
          request = await requests.deleteForIdprs(idprsRequestId);
        } catch (e) {
          // The request moved on (e.g. production started) between the check and the call.
          const now = requests.getRequest(current.id);
          if (isStationError(e, 'REQUEST_STATE') && now) return this.deleteRefused(idprsRequestId, acceptedRow!, now);
          throw e;
        }
      }
      return this.deps.transaction(() => {
        if (live.length > 0) {
          records.markDeleted(live.map((r) => r.id));
          this.audit('cpr.deleted', 'ok', { idprsRequestId, requestId: request?.id, cprs: live.length }, request?.personId);
        }
        const latest = acceptedRow ?? rows[0]!;
        return {
          status: 'deleted',
          code: 'CPR_DELETED',
          message:
            live.length > 0
              ? `CPR ${idprsRequestId} is deleted${request?.state === 'cancelled' ? ' and its card request cancelled' : ''}.`
              : `CPR ${idprsRequestId} was already deleted.`,
          cprId: latest.id,
          idprsRequestId,
          requestId: request?.id ?? latest.requestId,
          requestState: request?.state ?? null,
        } satisfies CprResult;
      });
    } catch (e) {
      const err = asCprError(e);
      return { status: 'rejected', code: err.code as CprErrorCode, message: err.message, cprId: null, idprsRequestId, requestId: null, requestState: null };
    }
  }

  private deleteRefused(idprsRequestId: string, row: CprRecord, request: RequestRef): CprResult {
    this.audit('cpr.delete', 'refused', { idprsRequestId, requestId: request.id, code: 'CPR_DELETE_REFUSED' }, request.personId);
    return {
      status: row.status,
      code: 'CPR_DELETE_REFUSED',
      message: `The card request of CPR ${idprsRequestId} is ${request.state === 'produced' ? 'already produced' : 'in production'} and can no longer be deleted.`,
      cprId: row.id,
      idprsRequestId,
      requestId: request.id,
      requestState: request.state,
    };
  }

  /**
   * The status of a CPR, by the IDPRS request id (or the station's CPR id):
   * the accepted CPR if there is one, else the latest received.
   */
  status(id: string): CprResult {
    const rows = IdprsIdSchema.safeParse(id).success ? this.deps.records.byIdprsRequestId(id) : [];
    // The accepted CPR, else the one accepted and then deleted (not a later refused replay of it), else the latest.
    const row = rows.find((r) => r.status === 'accepted') ?? rows.find((r) => r.status === 'deleted' && r.requestId) ?? rows[0] ?? this.deps.records.get(id);
    if (!row) return notFound(id);
    const request = row.requestId ? this.deps.requests.getRequest(row.requestId) : undefined;
    const code = row.status === 'accepted' ? 'CPR_ACCEPTED' : row.status === 'deleted' ? 'CPR_DELETED' : isCprErrorCode(row.errorCode ?? '') ? (row.errorCode as CprErrorCode) : 'CPR_STORE_FAILED';
    return {
      status: row.status,
      code,
      message: row.message ?? (row.status === 'deleted' ? `CPR ${row.idprsRequestId ?? row.id} is deleted.` : `CPR ${row.idprsRequestId ?? row.id} is accepted.`),
      cprId: row.id,
      idprsRequestId: row.idprsRequestId,
      requestId: row.requestId,
      requestState: request?.state ?? null,
    };
  }

  /**
   * The portrait of a CPR's photo, checked like one taken at the desk.
   * @throws StationError CPR_MALFORMED (field person.photo) saying why the photo is not usable
   */
  private async portraitOf(photo: string): Promise<{ jpeg: Uint8Array; width: number; height: number }> {
    const refuse = (why: string) => new StationError('CPR_MALFORMED', `The CPR photo cannot be used: ${why} Delete the CPR and submit a corrected one.`, { field: 'person.photo' });
    if (!this.deps.preparePhoto) throw refuse('this station takes no photos from CPRs.');
    try {
      return await this.deps.preparePhoto(new Uint8Array(Buffer.from(photo, 'base64')));
    } catch (e) {
      if (isStationError(e, 'PHOTO_REJECTED')) throw refuse(e.message);
      throw e;
    }
  }

  /** The acceptance path; runs inside one transaction, so a refusal leaves nothing behind. */
  private accept(doc: CprDocument, documentSha256: string, channel: CprChannel, portrait?: { jpeg: Uint8Array; width: number; height: number }): CprResult {
    const { records, requests } = this.deps;
    const seen = records.verifiedByDocument(documentSha256);
    const live = seen.find((r) => r.status === 'accepted');
    if (live) {
      const request = live.requestId ? requests.getRequest(live.requestId) : undefined;
      return { ...acceptedResult(live, request?.state ?? null), message: `CPR ${doc.idprsRequestId} was already accepted.`, replay: true };
    }
    if (seen.some((r) => r.status === 'deleted')) {
      throw new StationError(
        'CPR_REPLAYED',
        `This signed CPR (${doc.idprsRequestId}) was received before and deleted: a CPR is never taken twice. Submit a new CPR under a new request id.`,
      );
    }
    const refused = seen.find((r) => r.status === 'rejected' && isCprErrorCode(r.errorCode ?? ''));
    if (refused) return { ...rejectedResult(refused), replay: true };

    const sameId = records.byIdprsRequestId(doc.idprsRequestId).filter((r) => r.verified);
    if (sameId.length > 0) {
      const accepted = sameId.some((r) => r.status === 'accepted');
      throw new StationError(
        'CPR_ID_CONFLICT',
        accepted
          ? `IDPRS request ${doc.idprsRequestId} was already accepted with other content: submit the new CPR under a new request id.`
          : `IDPRS request id ${doc.idprsRequestId} was used before (by a CPR that was refused or deleted): submit the new CPR under a new request id.`,
      );
    }

    const submitted = new Date(doc.submittedAt);
    if (submitted.getTime() > this.now().getTime() + MAX_FUTURE_SKEW_MS) {
      throw new StationError(
        'CPR_FUTURE_DATED',
        `The CPR says it was submitted at ${doc.submittedAt}, later than the station's clock allows: check the IDPRS clock, then submit a new CPR.`,
        { submittedAt: doc.submittedAt },
      );
    }
    const lastAccepted = records.lastAcceptedSubmission(doc.person.externalId);
    if (lastAccepted !== undefined && submitted.toISOString() <= lastAccepted) {
      throw new StationError(
        'CPR_STALE',
        `The CPR was submitted at ${doc.submittedAt}, not after the last CPR accepted for this person (${lastAccepted}): an older CPR never replaces a newer one. Submit a new CPR.`,
        { submittedAt: doc.submittedAt, lastAccepted },
      );
    }

    let personId = requests.findPersonByExternalId(doc.person.externalId);
    if (!personId && !this.deps.managesPersons) {
      throw new StationError(
        'CPR_PERSON_UNKNOWN',
        `There is no person with IDPRS id ${doc.person.externalId} at the station, and the station does not create persons from CPRs: register the person, then submit a new CPR under a new request id.`,
      );
    }
    if (personId) {
      const open = requests.openRequestFor(personId);
      if (open) {
        const from = open.cprId ? records.get(open.cprId)?.idprsRequestId : undefined;
        throw new StationError(
          'CPR_REQUEST_EXISTS',
          `An issuance request already exists for this person (${from ? `IDPRS request ${from}` : `station request ${requestNumberText(open.number)}`}): delete it, then submit a new CPR.`,
          { requestId: open.id },
        );
      }
    }

    let personAction: 'used' | 'created' | 'replaced';
    if (!personId) {
      personId = requests.createPerson(doc.person);
      personAction = 'created';
      this.audit('person.added', 'ok', { externalId: doc.person.externalId, idprsRequestId: doc.idprsRequestId }, personId);
    } else if (records.everAcceptedFor(doc.person.externalId)) {
      requests.replacePersonAttributes(personId, doc.person);
      personAction = 'replaced';
      this.audit('person.updated', 'ok', { externalId: doc.person.externalId, idprsRequestId: doc.idprsRequestId }, personId);
    } else {
      personAction = 'used';
    }

    if (portrait) {
      // Before the request exists: its approval (automatic or an approver's) is of this face.
      requests.storePhoto(personId, portrait, (version) =>
        this.audit(version === 1 ? 'person.photo.added' : 'person.photo.replaced', 'ok', { version, source: 'idprs', idprsRequestId: doc.idprsRequestId }, personId),
      );
    }

    const row = records.insert({
      idprsRequestId: doc.idprsRequestId,
      personExternalId: doc.person.externalId,
      status: 'accepted',
      errorCode: null,
      message: null,
      documentSha256,
      requestId: null,
      submittedAt: submitted.toISOString(),
      verified: true,
    });
    const request = requests.createRequest(personId, doc.profile, row.id);
    records.setRequest(row.id, request.id);
    this.audit('cpr.accepted', 'ok', { idprsRequestId: doc.idprsRequestId, cprId: row.id, requestId: request.id, person: personAction, channel }, personId);
    return {
      ...acceptedResult({ ...row, requestId: request.id }, request.state),
      message: `CPR ${doc.idprsRequestId} accepted: card request ${requestNumberText(request.number)} is ${REQUEST_STATE_WORDS[request.state].toLowerCase()}.`,
    };
  }

  /**
   * Records and audits a rejection; answers it even when recording fails.
   * @param spent the verified document when the refusal spends it (its hash and request id are then seen)
   */
  private reject(err: StationError, claimed: ClaimedIds, documentSha256: string, channel: CprChannel, spent?: CprDocument): CprResult {
    let cprId: string | null = null;
    try {
      cprId = this.deps.records.insert({
        idprsRequestId: claimed.idprsRequestId,
        personExternalId: claimed.personExternalId,
        status: 'rejected',
        errorCode: err.code,
        message: err.message,
        documentSha256,
        requestId: null,
        submittedAt: spent ? new Date(spent.submittedAt).toISOString() : null,
        verified: spent !== undefined,
      }).id;
      this.audit('cpr.rejected', 'refused', { code: err.code, idprsRequestId: claimed.idprsRequestId ?? undefined, cprId, channel, reason: reasonOf(err) });
    } catch {
      // The answer still goes out: the IDPRS must learn the CPR was not taken.
    }
    return {
      status: 'rejected',
      code: err.code as CprErrorCode,
      message: err.message,
      cprId,
      idprsRequestId: claimed.idprsRequestId,
      requestId: typeof err.details.requestId === 'string' ? err.details.requestId : null,
      requestState: null,
    };
  }

  private audit(action: string, outcome: NewAuditEvent['outcome'], details: Record<string, unknown>, personId?: string): void {
    this.deps.audit({ actor: IDPRS_ACTOR, action, outcome, personId: personId ?? null, details });
  }
}

interface ClaimedIds {
  idprsRequestId: string | null;
  personExternalId: string | null;
}

/** The ids a rejected CPR claims (unverified; only for the ledger). */
function claimedIds(der: Uint8Array | undefined, peekUnverifiedContent: (der: Uint8Array) => Uint8Array | null): ClaimedIds {
  const none = { idprsRequestId: null, personExternalId: null };
  const content = der ? peekUnverifiedContent(der) : null;
  if (!content) return none;
  try {
    const raw = JSON.parse(new TextDecoder().decode(content)) as { idprsRequestId?: unknown; person?: { externalId?: unknown } };
    const id = IdprsIdSchema.safeParse(raw.idprsRequestId);
    const ext = IdprsIdSchema.safeParse(raw.person?.externalId);
    return { idprsRequestId: id.success ? id.data : null, personExternalId: ext.success ? ext.data : null };
  } catch {
    return none;
  }
}

/** Any failure as a CPR error: ours pass through; everything else means the CPR could not be stored. */
function asCprError(e: unknown): StationError {
  if (isStationError(e) && isCprErrorCode(e.code)) return e;
  return new StationError(
    'CPR_STORE_FAILED',
    'The station could not store this CPR: delete it and submit it again; if it fails again, call the station administrator.',
    { cause: isStationError(e) ? e.code : 'unexpected' },
  );
}

function reasonOf(err: StationError): string | undefined {
  const r = err.details.reason ?? err.details.field ?? err.details.cause;
  return typeof r === 'string' ? r : undefined;
}

function acceptedResult(row: CprRecord, requestState: CprResult['requestState']): CprResult {
  return {
    status: 'accepted',
    code: 'CPR_ACCEPTED',
    message: '',
    cprId: row.id,
    idprsRequestId: row.idprsRequestId,
    requestId: row.requestId,
    requestState,
  };
}

/** The answer a refused CPR got, given again when the same bytes are sent again. */
function rejectedResult(row: CprRecord): CprResult {
  return {
    status: 'rejected',
    code: row.errorCode as CprErrorCode,
    message: row.message ?? '',
    cprId: row.id,
    idprsRequestId: row.idprsRequestId,
    requestId: null,
    requestState: null,
  };
}

function notFound(id: string): CprResult {
  return { status: 'rejected', code: 'CPR_NOT_FOUND', message: `There is no CPR ${id} at this station.`, cprId: null, idprsRequestId: id, requestId: null, requestState: null };
}
