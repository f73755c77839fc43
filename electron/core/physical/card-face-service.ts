/**
 * The physical card as the StationApi offers it (issue 11): photos, layouts
 * and their previews, the face of a card, reprints, the OS print queues and
 * the PIN mailer. Rules live in the modules this one calls (portrait rules,
 * photo rules, layout registry, card printer); this service puts them
 * together for the handlers and records what the audit must hold.
 */
import type { CardLayout } from '../../contract/card-layout.js';
import type { StationConfig } from '../config/station-config.js';
import { StationError } from '../errors.js';
import { addMonths } from '../issuance/card-numbering.js';
import type { ProductionParams } from '../issuance/job-types.js';
import type { CardRecord, PersonRecord } from '../store/records.js';
import type { RuleBook } from '../policy/rule-book.js';
import type { PhotoInfo } from '../store/photos.js';
import type { StationStore } from '../store/store.js';
import { LayoutRegistry } from '../workflow/layout-registry.js';
import { offerPersonPhoto, type PhotoOutcome } from '../workflow/person-photo.js';
import type { ProfileRegistry } from '../workflow/profile-registry.js';
import type { CardRequest, Caller } from '../workflow/types.js';
import { cardPrintTitle } from './card-printer.js';
import { CARD_MEDIA } from './card-geometry.js';
import { previewSvgs, printablePdf, type FaceSources } from './card-render.js';
import { jobFaceSources } from './job-face.js';
import type { PhysicalPorts } from './physical-ports.js';
import { printedCardOf } from './printed-card.js';
import type { FractionRect } from './portrait.js';

/** The cardholder a layout preview shows when no person is chosen. */
const SAMPLE_PERSON = { givenName: 'Jane', surname: 'Doe' };

const base64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

/** The physical card's services. */
export class CardFaceService {
  readonly layouts: LayoutRegistry;
  private readonly profiles: ProfileRegistry;

  constructor(private readonly deps: { store: StationStore; config: StationConfig; profiles: ProfileRegistry; rules: RuleBook; physical?: PhysicalPorts; now?: () => Date }) {
    this.layouts = new LayoutRegistry(deps);
    this.profiles = deps.profiles;
  }

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  /** The physical ports. @throws StationError UNSUPPORTED on a station built without them */
  private ports(): PhysicalPorts {
    if (!this.deps.physical) throw new StationError('UNSUPPORTED', 'This station cannot process photos or print.');
    return this.deps.physical;
  }

  /** The desk's card printer queue. @throws StationError PRINTER_UNAVAILABLE when none is configured */
  private cardQueue(): string {
    const queue = this.ports().cardQueue;
    if (!queue) throw new StationError('PRINTER_UNAVAILABLE', 'No card printer is configured for this station (config.json cardPrinter.queue).');
    return queue;
  }

  /**
   * Offers a photo for a person (see workflow/person-photo.ts for the rules).
   * @throws StationError NOT_FOUND_RECORD, FORBIDDEN, REQUEST_STATE, PHOTO_REJECTED (unreadable), UNSUPPORTED
   */
  offerPhoto(personId: string, offer: { image: Uint8Array; source: 'camera' | 'file' | 'idprs'; crop?: FractionRect }, caller: Caller, options: { dryRun?: boolean; onVoided?: (r: CardRequest) => void } = {}): Promise<PhotoOutcome> {
    return offerPersonPhoto({ store: this.deps.store, codec: this.ports().codec, rules: this.deps.rules }, personId, offer, caller, options);
  }

  /** A person's current photo with its JPEG, or undefined. */
  photo(personId: string): (PhotoInfo & { jpeg: Uint8Array }) | undefined {
    return this.deps.store.photos.current(personId);
  }

  /**
   * The face a layout draws: the stored layout with `draft` over it, for `person` (name and photo)
   * or a sample cardholder, with a card as it would be made today.
   * @throws StationError INVALID_INPUT (draft breaks a layout rule), NOT_FOUND_RECORD (person)
   */
  previewLayout(profileId: string, draft: Partial<CardLayout> | undefined, personId?: string): { front: string; back: string } {
    const { store, config } = this.deps;
    const entry = this.layouts.get(profileId);
    const layout = { ...entry.layout, ...(draft ?? {}) };
    const person = personId ? store.persons.get(personId) : undefined;
    if (personId && !person) throw new StationError('NOT_FOUND_RECORD', 'There is no such person.', { personId });
    const profile = this.profiles.profile(profileId);
    const now = this.now();
    const printed = printedCardOf({
      person: person ?? SAMPLE_PERSON,
      card: { expirationDate: addMonths(now, profile.cardValidityMonths), credentialNumber: '000000' },
      profile,
      config,
      layout,
      issuedOn: now,
    });
    const sources: FaceSources = { printed, layout, photo: person ? store.photos.current(person.id)?.jpeg : undefined, seal: layout.showSeal ? entry.seal : null };
    return this.svgs(sources);
  }

  /** The face of a card: its production job's snapshot, or (no job yet) the card record as a job would print it now. */
  cardSources(card: CardRecord): FaceSources {
    const { store, config } = this.deps;
    const person = store.persons.get(card.personId);
    if (!person) throw new StationError('NOT_FOUND_RECORD', 'The card refers to a missing person.', { cardId: card.id });
    const jobId = store.requests.latestJobIdForCard(card.id) ?? store.jobs.list().filter((j) => j.cardId === card.id).at(-1)?.id;
    const params = jobId ? (store.jobs.get(jobId)?.params as unknown as ProductionParams | undefined) : undefined;
    if (params) return jobFaceSources({ store, config }, params, person, card, () => this.profiles.profile(card.cardProfile));
    const current = store.photos.current(person.id);
    return jobFaceSources({ store, config }, { profile: card.cardProfile as ProductionParams['profile'], photoVersion: current?.version }, person, card, () => this.profiles.profile(card.cardProfile));
  }

  /** Both sides of a card's face as SVG. */
  previewCard(card: CardRecord): { front: string; back: string } {
    return this.svgs(this.cardSources(card));
  }

  private svgs(sources: FaceSources): { front: string; back: string } {
    const { front, back } = previewSvgs(sources, this.ports().fonts());
    return { front, back };
  }

  /**
   * Prints a finished card's face again on the desk's card printer. The reason is audited and the
   * card's reprint count goes up once the print completed; a failed reprint is audited as failed.
   * Which cards may be printed again, and by whom, is the rule book's (RuleBook.reprint, asked first).
   * @throws StationError PRINTER_UNAVAILABLE, PRINT_FAILED, PHOTO_MISSING
   */
  async reprint(card: CardRecord, reason: string, actor: string): Promise<{ cardId: string; queue: string; printJob: number; reprintCount: number }> {
    const { store } = this.deps;
    const ports = this.ports();
    const queue = this.cardQueue();
    const jobId = store.requests.latestJobIdForCard(card.id) ?? store.jobs.list().filter((j) => j.cardId === card.id).at(-1)?.id ?? card.id;
    const n = card.reprintCount + 1;
    const title = cardPrintTitle(jobId, n);
    const sources = this.cardSources(card);
    try {
      // A crash after printing but before counting leaves the same title: found again, not printed twice.
      const result = await ports.printer.print(queue, title, () => printablePdf(sources, ports.fonts(), title, this.now()), { searchByTitle: true }, () => {}, CARD_MEDIA);
      return store.transaction(() => {
        const updated = store.cards.update(card.id, { reprintCount: n });
        store.audit.append({ actor, action: 'card.reprinted', outcome: 'ok', personId: card.personId, cardId: card.id, details: { reason: reason.slice(0, 200), reprint: n, queue, printJob: result.printJob } });
        return { cardId: card.id, queue, printJob: result.printJob, reprintCount: updated.reprintCount };
      });
    } catch (e) {
      const code = e instanceof StationError ? e.code : 'INTERNAL';
      store.audit.append({ actor, action: 'card.reprint', outcome: 'failed', personId: card.personId, cardId: card.id, details: { reason: reason.slice(0, 200), code } });
      throw e;
    }
  }

  /** The OS print queues. @throws StationError PRINTER_UNAVAILABLE (spooler down), UNSUPPORTED */
  printers() {
    return this.ports().printer.spooler.queues();
  }

  /**
   * The PIN mailer of a job: printed on `queue`, or returned as a PDF. The audit records that a
   * mailer was produced and where, never the PIN.
   * @param pin the job's generated PIN (taken from the one-time secrets by the caller)
   * @throws StationError NOT_FOUND_RECORD, PRINTER_UNAVAILABLE, PRINT_FAILED
   */
  async pinMailer(jobId: string, pin: string, queue: string | undefined, actor: string): Promise<{ pdf: string | null; queue: string | null; printJob: number | null }> {
    const { store, config } = this.deps;
    const job = store.jobs.get(jobId);
    const card = job ? store.cards.get(job.cardId) : undefined;
    const person: PersonRecord | undefined = job ? store.persons.get(job.personId) : undefined;
    if (!job || !card || !person) throw new StationError('NOT_FOUND_RECORD', `There is no production job ${jobId}.`);
    // pdf-lib is loaded with the first PIN mailer, not with the station (issue 14, start-up).
    const { renderPinMailer } = await import('../workflow/pin-mailer.js');
    const pdf = await renderPinMailer({ holderName: `${person.givenName} ${person.surname}`, cardNumber: card.cardNumber ?? card.credentialNumber, organization: config.organization, pin, date: this.now() });
    let printJob: number | null = null;
    if (queue) {
      const ports = this.ports();
      printJob = (await ports.printer.print(queue, `PIN mailer ${jobId}`, async () => pdf, { searchByTitle: false }, () => {})).printJob;
    }
    store.audit.append({ actor, action: 'pin-mailer.produced', outcome: 'ok', personId: person.id, cardId: card.id, jobId, details: { destination: queue ? 'printer' : 'pdf', queue: queue ?? null } });
    return { pdf: queue ? null : base64(pdf), queue: queue ?? null, printJob };
  }
}
