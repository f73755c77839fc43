/** Certificates repository: every certificate the station caused to be issued. */
import { z } from 'zod';
import { CERT_STATUSES, type CertStatus, type CertificateRecord, type NewCertificate } from './records.js';
import { guard, notFound, validate, type StoreContext } from './sql.js';

const HEX = z.string().regex(/^[0-9A-F]+$/);
const TIMESTAMP = z.iso.datetime({ offset: true });
const NEW_CERTIFICATE = z.object({
  serial: HEX.max(40),
  cardId: z.uuid(),
  jobId: z.uuid().nullish(),
  slot: z.string().regex(/^[0-9A-F]{2}$/),
  publicKeySpki: HEX,
  der: z.instanceof(Uint8Array).refine((d) => d.length > 0, 'empty'),
  status: z.enum(CERT_STATUSES).default('valid'),
  notBefore: TIMESTAMP,
  notAfter: TIMESTAMP,
  issuedAt: TIMESTAMP.optional(),
});

interface CertificateRow {
  serial: string;
  card_id: string;
  job_id: string | null;
  slot: string;
  public_key_spki: string;
  der: Buffer;
  status: CertStatus;
  not_before: string;
  not_after: string;
  issued_at: string;
  revoked_at: string | null;
  revocation_reason: string | null;
}

function toRecord(row: CertificateRow): CertificateRecord {
  return {
    serial: row.serial,
    cardId: row.card_id,
    jobId: row.job_id,
    slot: row.slot,
    publicKeySpki: row.public_key_spki,
    der: new Uint8Array(row.der),
    status: row.status,
    notBefore: row.not_before,
    notAfter: row.not_after,
    issuedAt: row.issued_at,
    revokedAt: row.revoked_at,
    revocationReason: row.revocation_reason,
  };
}

export interface CertificatesRepository {
  /**
   * Records an issued certificate (serial and SPKI as uppercase hex, slot as '9A'…).
   * @throws StationError INVALID_INPUT (bad field, serial already recorded), NOT_FOUND_RECORD (unknown card/job)
   */
  add(c: NewCertificate): CertificateRecord;
  /** @param serial hex, any case */
  get(serial: string): CertificateRecord | undefined;
  /** The card's certificates, in issue order. */
  listByCard(cardId: string): CertificateRecord[];
  /** The certificates a job caused to be issued (Cancel revokes exactly these). */
  listByJob(jobId: string): CertificateRecord[];
  /**
   * Sets the status. 'revoked' and 'hold' stamp `revokedAt` (now) and `reason`; 'valid' (release from hold) clears both.
   * @throws StationError NOT_FOUND_RECORD, INVALID_INPUT
   */
  setStatus(serial: string, status: CertStatus, reason?: string): void;
}

export function certificatesRepository(ctx: StoreContext): CertificatesRepository {
  const { db } = ctx;
  const insert = db.prepare(
    `INSERT INTO certificates (serial, card_id, job_id, slot, public_key_spki, der, status, not_before, not_after, issued_at)
     VALUES (@serial, @cardId, @jobId, @slot, @publicKeySpki, @der, @status, @notBefore, @notAfter, @issuedAt)`,
  );
  const bySerial = db.prepare('SELECT * FROM certificates WHERE serial = ?');
  const byCard = db.prepare('SELECT * FROM certificates WHERE card_id = ? ORDER BY issued_at, rowid');
  const byJob = db.prepare('SELECT * FROM certificates WHERE job_id = ? ORDER BY issued_at, rowid');
  const setStatus = db.prepare(
    'UPDATE certificates SET status = @status, revoked_at = @revokedAt, revocation_reason = @reason WHERE serial = @serial',
  );
  const get = (serial: string): CertificateRecord | undefined => {
    const row = guard('certificate', () => bySerial.get(String(serial).toUpperCase()) as CertificateRow | undefined);
    return row ? toRecord(row) : undefined;
  };
  return {
    add(c) {
      const v = validate(NEW_CERTIFICATE, c, 'certificate');
      guard('certificate', () =>
        insert.run({ ...v, jobId: v.jobId ?? null, der: Buffer.from(v.der), issuedAt: v.issuedAt ?? ctx.now() }),
      );
      return get(v.serial)!;
    },
    get,
    listByCard(cardId) {
      return guard('certificate', () => byCard.all(cardId) as CertificateRow[]).map(toRecord);
    },
    listByJob(jobId) {
      return guard('certificate', () => byJob.all(jobId) as CertificateRow[]).map(toRecord);
    },
    setStatus(serial, status, reason) {
      const s = validate(z.enum(CERT_STATUSES), status, 'certificate status');
      const r = validate(z.string().max(200).optional(), reason, 'revocation reason');
      const stamped = s !== 'valid';
      const result = guard('certificate', () =>
        setStatus.run({ serial: String(serial).toUpperCase(), status: s, revokedAt: stamped ? ctx.now() : null, reason: stamped ? (r ?? null) : null }),
      );
      if (result.changes === 0) throw notFound('certificate', serial);
    },
  };
}
