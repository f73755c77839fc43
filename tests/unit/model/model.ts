/**
 * The model of the model-based tests and its invariants (issue 10). The model
 * is the test's own account of who did what: it learns from every successful
 * StationApi call which officer requested, approved and produced which card,
 * computes by its own rules which cards need an approver, and remembers the
 * status a suspension interrupted. After every command it holds the station's
 * store against five invariants:
 *
 * (i)   no credential reached produced/active without the approvals it needs,
 *       from officers other than its requester, its producers and its cardholder;
 * (ii)  no officer received a one-time secret, an unlock or a reissue for their
 *       own card (nor requested, approved, produced, resumed or activated it);
 * (iii) card and request states moved only along the state machines
 *       (electron/contract/state-machines.ts), a lifecycle operation along one
 *       of its own rows, and resume back to the status its suspension recorded;
 * (iv)  every state change has its audit event, and the audit chain verifies;
 * (v)   a refused call changed nothing but its own audit events (and a refused
 *       login its throttle counters).
 * A broken invariant throws: fast-check shrinks the sequence and prints the seed.
 */
import type { Database } from 'better-sqlite3';
import { chainHash, GENESIS_HASH } from '../../../electron/core/audit/chain.js';
import { AuditService } from '../../../electron/core/audit/service.js';
import { CARD_TRANSITIONS, REQUEST_TRANSITIONS, type Operation, type Transition } from '../../../electron/contract/state-machines.js';
import type { VirtualPivCard } from '../../../native/virtual-card/card.js';
import type { Role } from '../../../electron/core/workflow/types.js';
import type { ModelPerson, ModelStation, ModelTemplate } from './harness.js';
import { MODEL_PASSWORD, MODEL_PIN, idle } from './harness.js';

export type Affiliation = 'employee' | 'contractor' | 'visitor';
export const AFFILIATIONS: readonly Affiliation[] = ['employee', 'contractor', 'visitor'];

/** Error codes that mean the station refused the call as such (nothing may change but its audit events). */
export const REFUSALS = new Set([
  'FORBIDDEN',
  'NOT_AUTHENTICATED',
  'SESSION_LOCKED',
  'CARD_STATE',
  'REQUEST_STATE',
  'JOB_STATE',
  'INVALID_INPUT',
  'NOT_FOUND_RECORD',
  'READER_BUSY',
  'UNSUPPORTED',
  'KIOSK_NOT_RECOGNIZED',
  'KIOSK_THROTTLED',
  'CARD_MISMATCH',
]);

/** MODEL_FULL_SNAPSHOTS=1: compare every table around refused calls, to name the rows a refusal changed. */
const FULL_SNAPSHOTS = process.env.MODEL_FULL_SNAPSHOTS === '1';

/**
 * The fields of a StationApi answer the commands read (each channel's output
 * has some of them: a request, a card, a job, a batch, one-time secrets, an import).
 */
export interface Answer {
  id: string;
  personId: string;
  profile: Affiliation;
  state: string;
  status: string;
  cardId: string | null;
  jobId: string;
  batchId: string;
  requestId: string;
  puk?: string;
  pin?: string;
  /** A PIN mailer (jobs.pinMailer): the PDF, base64, or null when no generated PIN waited. */
  pdf?: string | null;
  /** The stored photo (persons.setPhoto): null on a dry run. */
  photo?: { version: number } | null;
  imported: number;
}

/** Card statuses of an issued credential. */
const ISSUED = new Set(['produced', 'active', 'suspended', 'expired']);

export interface OfficerM {
  id: string;
  username: string;
  roles: Role[];
  personId: string | null;
  /** The connection the officer is logged in on. */
  connection: string;
}

/**
 * An officer who acted on a card, with the person record they were linked to
 * when they acted (separation of duties holds at the time of the act: a link
 * made later does not turn a past act into self-service).
 */
export interface Actor {
  id: string;
  personId: string | null;
}

/** What the model knows of a card. */
export interface CardM {
  id: string;
  personId: string;
  profile: Affiliation;
  requester: Actor | null;
  approver: Actor | null;
  /** By the model's own rules, when the card's request was made. */
  approvalNeeded: boolean;
  /** Every officer whose call ran a production of the card. */
  producers: Map<string, Actor>;
  /** The PIN the cardholder knows, when the model knows it. */
  pin?: string;
  /** The status the last suspension interrupted. */
  suspendedFrom?: string;
}

export interface RequestM {
  id: string;
  personId: string;
  profile: Affiliation;
  requester: Actor | null;
  approvalNeeded: boolean;
}

/** A profile as the model tracks it (changed only by successful profiles.update calls). */
interface ProfileM {
  approvalRequired: boolean;
  affiliations: Affiliation[];
}

/** The model and the real station of one sequence. */
export class ModelRun {
  readonly officers: OfficerM[] = [];
  readonly persons: (ModelPerson & { affiliation: Affiliation })[];
  readonly profiles: Record<Affiliation, ProfileM> = {
    employee: { approvalRequired: true, affiliations: ['employee'] },
    contractor: { approvalRequired: true, affiliations: ['contractor'] },
    visitor: { approvalRequired: false, affiliations: ['visitor'] },
  };
  readonly requests = new Map<string, RequestM>();
  readonly cards = new Map<string, CardM>();
  /** Physical (virtual) cards: the card object each holds. */
  readonly physical = new Map<string, VirtualPivCard>();
  /** Batch id → the officer who started it. */
  readonly batches = new Map<string, Actor>();
  /** Jobs the model saw started. */
  readonly jobs: string[] = [];
  /** `personId|profile` whose last decided request was rejected. */
  readonly rejections = new Set<string>();
  /** The card in the reader. */
  inReader: VirtualPivCard | undefined;
  /** Whether the kiosk connection is in kiosk mode, and who identified at it. */
  kioskActive = false;
  kioskPerson: string | undefined;
  /** What the commands did, for the failure message. */
  readonly log: string[] = [];

  private prevCards = new Map<string, string>();
  private prevRequests = new Map<string, string>();
  private lastSeq = 0;
  private lastHash = GENESIS_HASH;
  private readonly db: Database;

  constructor(
    readonly real: ModelStation,
    template: ModelTemplate,
    readonly producerDiffersFromRequester: boolean,
  ) {
    this.db = real.station.store.db;
    this.persons = template.persons.map((p) => ({ ...p }));
    for (const c of template.cards) {
      this.cards.set(c.id, {
        id: c.id,
        personId: c.personId,
        profile: c.profile,
        requester: { id: c.requester, personId: null },
        approver: { id: c.approver, personId: null },
        approvalNeeded: true,
        producers: new Map([[c.producer, { id: c.producer, personId: null }]]),
        pin: MODEL_PIN,
      });
      this.physical.set(c.id, real.templateCards.get(c.id)!);
    }
    for (const r of template.approvedRequests) {
      const requester = { id: r.requester, personId: null };
      this.requests.set(r.id, { id: r.id, personId: r.personId, profile: r.profile, requester, approvalNeeded: true });
      this.cards.set(r.cardId, { id: r.cardId, personId: r.personId, profile: r.profile, requester, approver: { id: r.approver, personId: null }, approvalNeeded: true, producers: new Map() });
    }
    this.inReader = real.reader.card;
  }

  /** Adds an officer to the store and logs them in on their own connection. */
  async addOfficer(username: string, roles: Role[], personId: string | null, passwordHash: string): Promise<OfficerM> {
    const record = this.real.station.store.officers.create({ username, displayName: username, passwordHash, roles, personId });
    const o: OfficerM = { id: record.id, username, roles, personId, connection: username };
    this.officers.push(o);
    const r = await this.real.core.dispatch('auth.login', { username, password: MODEL_PASSWORD }, o.connection);
    if (!r.ok) throw new Error(`login of ${username} failed: ${r.error.code}`);
    return o;
  }

  /** Starts the bookkeeping after setup: the store as it is now is the first observation. */
  begin(): void {
    const now = this.observe();
    this.prevCards = now.cards;
    this.prevRequests = now.requests;
    this.verifyNewAudit();
  }

  officer(i: number): OfficerM {
    return this.officers[i % this.officers.length]!;
  }

  officerById(id: string | null): OfficerM | undefined {
    return id === null ? undefined : this.officers.find((o) => o.id === id);
  }

  /** An officer as an actor now (their person link at this moment). */
  actor(o: OfficerM): Actor {
    return { id: o.id, personId: o.personId };
  }

  person(i: number) {
    return this.persons[i % this.persons.length]!;
  }

  /** The i-th known item of a list, or undefined when there is none. */
  pick<T>(list: readonly T[], i: number): T | undefined {
    return list.length === 0 ? undefined : list[i % list.length];
  }

  /** By the model's rules: does a card of `profile` for `person`, asked at `source`, need an approver? */
  approvalNeeded(personId: string, profile: Affiliation, source: 'desk' | 'kiosk' | 'idprs'): boolean {
    const person = this.persons.find((p) => p.id === personId);
    const p = this.profiles[profile];
    return p.approvalRequired || !person || !p.affiliations.includes(person.affiliation) || source === 'kiosk' || this.rejections.has(`${personId}|${profile}`);
  }

  /** A self-service success: invariant (ii) broken. */
  selfService(officer: OfficerM, personId: string, what: string): void {
    if (officer.personId !== null && officer.personId === personId) throw new Error(`invariant (ii): ${officer.username} ${what} for their own card`);
  }

  // ---------- calls ----------

  /**
   * One StationApi call as `officer` (or on `connection`). A refused call is
   * held to invariant (v): the store (but its audit events) is unchanged and
   * every audit event it appended says refused or failed.
   */
  async call(who: OfficerM | string, channel: string, input: unknown): Promise<{ ok: true; value: Answer } | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } }> {
    const connection = typeof who === 'string' ? who : who.connection;
    // A login may count a failure in the throttle counters (the one change a refusal may make): compare the tables, less those.
    const full = FULL_SNAPSHOTS || channel === 'auth.login';
    const before = full ? this.snapshot() : '';
    const changes = this.totalChanges();
    const seq = this.maxSeq();
    const heads = this.heads();
    const r = await this.real.core.dispatch(channel, input, connection);
    this.log.push(`${typeof who === 'string' ? who : who.username} ${channel} ${JSON.stringify(input)} → ${r.ok ? 'ok' : r.error.code}`);
    if (!r.ok && REFUSALS.has(r.error.code)) {
      await idle(this.real.core);
      const added = this.db.prepare('SELECT action, outcome FROM audit_events WHERE seq > ?').all(seq) as { action: string; outcome: string }[];
      const ok = added.filter((e) => e.outcome === 'ok');
      if (ok.length > 0) throw new Error(`invariant (v): refused ${channel} (${r.error.code}) appended successful audit events ${JSON.stringify(ok)}`);
      if (full) {
        const after = this.snapshot();
        if (after !== before) throw new Error(`invariant (v): refused ${channel} (${r.error.code}: ${r.error.message}) changed the store:\n${diff(before, after)}`);
      } else {
        // Every row written since the call began is one of its audit events (or a signed head of the chain they extend).
        const written = this.totalChanges() - changes;
        const own = added.length + (this.heads() - heads);
        if (written !== own) {
          throw new Error(`invariant (v): refused ${channel} (${r.error.code}: ${r.error.message}) wrote ${written - own} rows besides its ${added.length} audit events (MODEL_FULL_SNAPSHOTS=1 names them)`);
        }
      }
    }
    return r as never;
  }

  /** Rows inserted, updated or deleted on the store's connection since it opened (SQLite total_changes()). */
  private totalChanges(): number {
    return this.db.prepare('SELECT total_changes()').pluck().get() as number;
  }

  private heads(): number {
    return this.db.prepare('SELECT count(*) FROM audit_heads').pluck().get() as number;
  }

  // ---------- after every command ----------

  /** Waits for the station, then learns what it did and checks every invariant. */
  async settle(lifecycle?: { cardId: string; operation: Operation }): Promise<void> {
    await idle(this.real.core);
    this.learnBatches();
    this.checkTransitions(lifecycle);
    this.checkIssued();
    this.verifyNewAudit();
  }

  /** Producers of batch jobs: the officer who started the batch. */
  private learnBatches(): void {
    const rows = this.db.prepare('SELECT i.batch_id AS batchId, j.card_id AS cardId FROM batch_items i JOIN jobs j ON j.id = i.job_id').all() as { batchId: string; cardId: string }[];
    for (const { batchId, cardId } of rows) {
      const starter = this.batches.get(batchId);
      const card = this.cards.get(cardId);
      if (starter && card && !card.producers.has(starter.id)) card.producers.set(starter.id, starter);
    }
  }

  /** Current card statuses and request states (also: which physical card a newly produced card is). */
  private observe(): { cards: Map<string, string>; requests: Map<string, string> } {
    const cards = new Map((this.db.prepare('SELECT id, status FROM cards').all() as { id: string; status: string }[]).map((r) => [r.id, r.status]));
    const requests = new Map((this.db.prepare('SELECT id, state FROM card_requests').all() as { id: string; state: string }[]).map((r) => [r.id, r.state]));
    return { cards, requests };
  }

  /** Invariant (iii) and the audit half of (iv) for records that changed. */
  private checkTransitions(lifecycle?: { cardId: string; operation: Operation }): void {
    const now = this.observe();
    const newEvents = this.db.prepare('SELECT card_id AS cardId, details_json AS details FROM audit_events WHERE seq > ?').all(this.lastSeq) as { cardId: string | null; details: string | null }[];
    const mentions = (cardId: string | null, requestId: string | null) =>
      newEvents.some((e) => (cardId !== null && e.cardId === cardId) || (requestId !== null && e.details !== null && e.details.includes(`"requestId":"${requestId}"`)));
    for (const [id, status] of now.cards) {
      const before = this.prevCards.get(id) ?? null;
      if (before === status) continue;
      if (lifecycle && lifecycle.cardId === id) {
        const row = CARD_TRANSITIONS.find((t) => t.from === before && t.to === status && t.operation === lifecycle.operation);
        if (!row) throw new Error(`invariant (iii): ${lifecycle.operation} moved card ${id} from ${before} to ${status}, not along the card state machine`);
      } else if (!reachable(CARD_TRANSITIONS, before, status)) {
        throw new Error(`invariant (iii): card ${id} moved from ${before} to ${status}, not along the card state machine`);
      }
      if (!mentions(id, null)) throw new Error(`invariant (iv): card ${id} went from ${before} to ${status} with no audit event`);
      // The card a production finished on is the card that was in the reader.
      if (status === 'produced' && (before === null || before === 'approved' || before === 'in_production' || before === 'production_failed') && this.inReader) {
        this.physical.set(id, this.inReader);
      }
    }
    for (const [id, state] of now.requests) {
      const before = this.prevRequests.get(id) ?? null;
      if (before === state) continue;
      if (!reachable(REQUEST_TRANSITIONS, before, state)) throw new Error(`invariant (iii): request ${id} moved from ${before} to ${state}, not along the request state machine`);
      const cardId = (this.db.prepare('SELECT card_id FROM card_requests WHERE id = ?').pluck().get(id) as string | null) ?? null;
      if (!mentions(cardId, id)) throw new Error(`invariant (iv): request ${id} went from ${before} to ${state} with no audit event`);
    }
    this.prevCards = now.cards;
    this.prevRequests = now.requests;
  }

  /** Invariant (i) on every issued credential. */
  private checkIssued(): void {
    for (const [id, status] of this.prevCards) {
      if (!ISSUED.has(status)) continue;
      const card = this.cards.get(id);
      if (!card) throw new Error(`invariant (i): card ${id} is ${status} but no call the model saw made it`);
      const who = (a: Actor | null) => (a ? (this.officerById(a.id)?.username ?? a.id) : 'nobody');
      const holder = (a: Actor | null) => a !== null && a.personId === card.personId;
      const { approver, requester } = card;
      if (card.approvalNeeded) {
        if (!approver) throw new Error(`invariant (i): card ${id} (${card.profile}) is ${status} without the approval it needs`);
        if (approver.id === requester?.id) throw new Error(`invariant (i): card ${id} was approved by its requester ${who(approver)}`);
        if (card.producers.has(approver.id)) throw new Error(`invariant (i): card ${id} was approved by its producer ${who(approver)}`);
        if (holder(approver)) throw new Error(`invariant (i): card ${id} was approved by its cardholder ${who(approver)}`);
      }
      for (const p of card.producers.values()) {
        if (holder(p)) throw new Error(`invariant (i): card ${id} was produced by its cardholder ${who(p)}`);
        if (this.producerDiffersFromRequester && p.id === requester?.id) throw new Error(`invariant (i): card ${id} was produced by its requester ${who(p)}`);
      }
      if (holder(requester)) throw new Error(`invariant (i): card ${id} was requested by its cardholder ${who(requester)}`);
    }
  }

  /** Invariant (iv): the events appended since the last check extend the hash chain. */
  private verifyNewAudit(): void {
    const rows = this.db.prepare('SELECT * FROM audit_events WHERE seq > ? ORDER BY seq').all(this.lastSeq) as AuditRow[];
    for (const row of rows) {
      const fields = { seq: row.seq, at: row.at, actor: row.actor, action: row.action, outcome: row.outcome, personId: row.person_id, cardId: row.card_id, jobId: row.job_id, details: row.details_json === null ? null : JSON.parse(row.details_json) };
      if (row.prev_hash !== this.lastHash || row.hash !== chainHash(this.lastHash, fields as never)) throw new Error(`invariant (iv): the audit chain breaks at event ${row.seq} (${row.action})`);
      this.lastHash = row.hash;
      this.lastSeq = row.seq;
    }
  }

  /** At the end of a sequence: the station's own verification of the whole log (hash chain and signed heads). */
  verifyWholeAudit(): void {
    const v = new AuditService({ store: this.real.station.store, signer: this.real.station.auditSigner }).verify({});
    if (!v.ok) throw new Error(`invariant (iv): audit verify: ${JSON.stringify(v.firstBroken)}`);
  }

  private maxSeq(): number {
    return (this.db.prepare('SELECT coalesce(max(seq), 0) FROM audit_events').pluck().get() as number) ?? 0;
  }

  /** Every row of every table that records state (not the audit log and its signed heads, not the search index). */
  private snapshot(): string {
    const tables = (
      this.db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'persons_fts%' AND name NOT IN ('audit_events', 'audit_heads', 'audit_keys', 'schema_migrations') ORDER BY name")
        .pluck()
        .all() as string[]
    ).filter((t) => !/throttle|lockout/.test(t)); // login throttle counters: a refused login may count itself there
    const out: string[] = [];
    for (const t of tables) {
      const rows = this.db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).raw().all() as unknown[][];
      out.push(`${t}: ${JSON.stringify(rows, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v))}`);
    }
    return out.join('\n');
  }
}

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  outcome: string;
  person_id: string | null;
  card_id: string | null;
  job_id: string | null;
  details_json: string | null;
  prev_hash: string;
  hash: string;
}

/** Whether `to` can be reached from `from` along rows of `table` (several rows may pass between two observations). */
function reachable(table: readonly Transition<string>[], from: string | null, to: string): boolean {
  const seen = new Set<string | null>([from]);
  const queue: (string | null)[] = [from];
  while (queue.length > 0) {
    const s = queue.shift()!;
    for (const t of table) {
      if (t.from !== s) continue;
      if (t.to === to) return true;
      if (!seen.has(t.to)) {
        seen.add(t.to);
        queue.push(t.to);
      }
    }
  }
  return false;
}

/** The first differing lines of two snapshots. */
function diff(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(x.length, y.length) && out.length < 4; i++) {
    if (x[i] !== y[i]) out.push(`- ${(x[i] ?? '').slice(0, 400)}\n+ ${(y[i] ?? '').slice(0, 400)}`);
  }
  return out.join('\n');
}
