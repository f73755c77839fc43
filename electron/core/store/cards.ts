/** Cards repository: one record per physical card the station produces. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CARD_STATUSES, MGMT_KEY_STATES, type CardRecord, type NewCard } from './records.js';
import { fromJson, guard, notFound, setClause, toJson, validate, type StoreContext } from './sql.js';
import { CardCapabilitiesShape, type CardCapabilities } from '../../contract/card-capabilities.js';
import { TerminationReasonShape } from '../../contract/channels/cards.js';

/** n uppercase hex digits. */
const upperHex = (n: number) => z.string().regex(new RegExp(`^[0-9A-F]{${n}}$`));
/** n decimal digits. */
const digits = (n: number) => z.string().regex(new RegExp(`^[0-9]{${n}}$`));

/** Field rules shared by create and update (FASC-N fields: TIG SP 800-73-4 Part 1 §3.1.2 / PACS v2.3). */
const CARD_FIELDS = {
  personId: z.uuid(),
  cardProfile: z.string().min(1).max(100),
  status: z.enum(CARD_STATUSES),
  chipSerial: z.number().int().min(0).max(0xffffffff).nullable(),
  guid: upperHex(32),
  fascn: upperHex(50),
  agencyCode: digits(4),
  systemCode: digits(4),
  credentialNumber: digits(6),
  expirationDate: z.iso.date(),
  mgmtKeyAlg: z.string().min(1).max(32).nullable(),
  mgmtKeyVersion: z.number().int().min(0).nullable(),
  mgmtKeyState: z.enum(MGMT_KEY_STATES),
  cardNumber: digits(8).nullable(),
  reprintCount: z.number().int().min(0),
  capabilities: CardCapabilitiesShape.nullable(),
  requestedBy: z.string().min(1).nullable(),
  approvedBy: z.string().min(1).nullable(),
  producedBy: z.string().min(1).nullable(),
  lifecycleBy: z.string().min(1).nullable(),
  suspendedFrom: z.enum(['produced', 'active']).nullable(),
  terminationReason: TerminationReasonShape.nullable(),
};

const NEW_CARD = z.object({
  ...CARD_FIELDS,
  id: z.uuid().optional(),
  status: CARD_FIELDS.status.default('in_production'),
  chipSerial: CARD_FIELDS.chipSerial.default(null),
  mgmtKeyAlg: CARD_FIELDS.mgmtKeyAlg.default(null),
  mgmtKeyVersion: CARD_FIELDS.mgmtKeyVersion.default(null),
  mgmtKeyState: CARD_FIELDS.mgmtKeyState.default('transport'),
  cardNumber: CARD_FIELDS.cardNumber.default(null),
  reprintCount: CARD_FIELDS.reprintCount.default(0),
  capabilities: CARD_FIELDS.capabilities.default(null),
  requestedBy: CARD_FIELDS.requestedBy.default(null),
  approvedBy: CARD_FIELDS.approvedBy.default(null),
}).omit({ producedBy: true, lifecycleBy: true, suspendedFrom: true, terminationReason: true });

/** Every field except the identity and timestamps may change; unknown keys are refused. */
const CARD_PATCH = z.object(CARD_FIELDS).partial().strict();

/** camelCase field → column, for updates. */
const COLUMNS: Record<keyof typeof CARD_FIELDS, string> = {
  personId: 'person_id',
  cardProfile: 'card_profile',
  status: 'status',
  chipSerial: 'chip_serial',
  guid: 'guid',
  fascn: 'fascn',
  agencyCode: 'agency_code',
  systemCode: 'system_code',
  credentialNumber: 'credential_number',
  expirationDate: 'expiration_date',
  mgmtKeyAlg: 'mgmt_key_alg',
  mgmtKeyVersion: 'mgmt_key_version',
  mgmtKeyState: 'mgmt_key_state',
  cardNumber: 'card_number',
  reprintCount: 'reprint_count',
  capabilities: 'capabilities',
  requestedBy: 'requested_by',
  approvedBy: 'approved_by',
  producedBy: 'produced_by',
  lifecycleBy: 'lifecycle_by',
  suspendedFrom: 'suspended_from',
  terminationReason: 'termination_reason',
};

interface CardRow {
  id: string;
  person_id: string;
  card_profile: string;
  status: CardRecord['status'];
  chip_serial: number | null;
  guid: string;
  fascn: string;
  agency_code: string;
  system_code: string;
  credential_number: string;
  expiration_date: string;
  mgmt_key_alg: string | null;
  mgmt_key_version: number | null;
  mgmt_key_state: CardRecord['mgmtKeyState'];
  card_number: string | null;
  reprint_count: number;
  capabilities: string | null;
  requested_by: string | null;
  approved_by: string | null;
  produced_by: string | null;
  lifecycle_by: string | null;
  suspended_from: 'produced' | 'active' | null;
  termination_reason: CardRecord['terminationReason'];
  created_at: string;
  updated_at: string;
}

function toRecord(row: CardRow): CardRecord {
  return {
    id: row.id,
    personId: row.person_id,
    cardProfile: row.card_profile,
    status: row.status,
    chipSerial: row.chip_serial,
    guid: row.guid,
    fascn: row.fascn,
    agencyCode: row.agency_code,
    systemCode: row.system_code,
    credentialNumber: row.credential_number,
    expirationDate: row.expiration_date,
    mgmtKeyAlg: row.mgmt_key_alg,
    mgmtKeyVersion: row.mgmt_key_version,
    mgmtKeyState: row.mgmt_key_state,
    cardNumber: row.card_number,
    reprintCount: row.reprint_count,
    capabilities: fromJson<CardCapabilities>(row.capabilities),
    requestedBy: row.requested_by,
    approvedBy: row.approved_by,
    producedBy: row.produced_by,
    lifecycleBy: row.lifecycle_by,
    terminationReason: row.termination_reason ?? null,
    suspendedFrom: row.suspended_from,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface CardsRepository {
  /**
   * Records a new card (status defaults to 'in_production', management key to 'transport').
   * @throws StationError INVALID_INPUT (bad field, duplicate GUID or agency/system/credential number), NOT_FOUND_RECORD (unknown person)
   */
  create(c: NewCard): CardRecord;
  get(id: string): CardRecord | undefined;
  /** @param guidHex 32 hex digits, any case */
  findByGuid(guidHex: string): CardRecord | undefined;
  /** Cards with that chip serial, oldest first (a recycled chip may appear more than once). */
  findByChipSerial(serial: number): CardRecord[];
  /**
   * Changes the given fields and `updatedAt`.
   * @throws StationError NOT_FOUND_RECORD (no such card), INVALID_INPUT (bad or unchangeable field)
   */
  update(id: string, patch: Partial<CardRecord>): CardRecord;
  /** The person's cards, oldest first. */
  listByPerson(personId: string): CardRecord[];
}

export function cardsRepository(ctx: StoreContext): CardsRepository {
  const { db } = ctx;
  const insert = db.prepare(
    `INSERT INTO cards (id, person_id, card_profile, status, chip_serial, guid, fascn, agency_code, system_code,
       credential_number, expiration_date, mgmt_key_alg, mgmt_key_version, mgmt_key_state, card_number, reprint_count, capabilities, requested_by, approved_by, created_at, updated_at)
     VALUES (@id, @personId, @cardProfile, @status, @chipSerial, @guid, @fascn, @agencyCode, @systemCode,
       @credentialNumber, @expirationDate, @mgmtKeyAlg, @mgmtKeyVersion, @mgmtKeyState, @cardNumber, @reprintCount, @capabilities, @requestedBy, @approvedBy, @now, @now)`,
  );
  const byId = db.prepare('SELECT * FROM cards WHERE id = ?');
  const byGuid = db.prepare('SELECT * FROM cards WHERE guid = ?');
  const bySerial = db.prepare('SELECT * FROM cards WHERE chip_serial = ? ORDER BY created_at, rowid');
  const byPerson = db.prepare('SELECT * FROM cards WHERE person_id = ? ORDER BY created_at, rowid');
  const get = (id: string): CardRecord | undefined => {
    const row = guard('card', () => byId.get(id) as CardRow | undefined);
    return row ? toRecord(row) : undefined;
  };
  return {
    create(c) {
      const v = validate(NEW_CARD, c, 'card');
      const id = v.id ?? randomUUID();
      guard('card', () => insert.run({ ...v, capabilities: toJson(v.capabilities), id, now: ctx.now() }));
      return get(id)!;
    },
    get,
    findByGuid(guidHex) {
      const row = guard('card', () => byGuid.get(String(guidHex).toUpperCase()) as CardRow | undefined);
      return row ? toRecord(row) : undefined;
    },
    findByChipSerial(serial) {
      return guard('card', () => bySerial.all(serial) as CardRow[]).map(toRecord);
    },
    update(id, patch) {
      // id, createdAt and updatedAt are the store's to set: refuse them in a patch (unless unchanged id).
      const { id: patchId, ...rest } = patch;
      if (patchId !== undefined && patchId !== id) validate(z.never(), patchId, 'card id');
      const v = validate(CARD_PATCH, rest, 'card');
      const set = setClause(v, COLUMNS, 'card');
      const now = ctx.now();
      const result = guard('card', () =>
        db
          .prepare(`UPDATE cards SET ${set ? `${set}, ` : ''}updated_at = @updatedAt WHERE id = @id`)
          .run({ ...v, ...(v.capabilities !== undefined ? { capabilities: toJson(v.capabilities) } : {}), id, updatedAt: now }),
      );
      if (result.changes === 0) throw notFound('card', id);
      return get(id)!;
    },
    listByPerson(personId) {
      return guard('card', () => byPerson.all(personId) as CardRow[]).map(toRecord);
    },
  };
}
