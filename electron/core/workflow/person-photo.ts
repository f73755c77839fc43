/**
 * The cardholder's portrait (issue 11 "Photo"): taken at the desk, imported
 * from a file, or delivered by the IDPRS in a CPR. A photo passes the portrait
 * rules (physical/portrait.ts) and is stored as a new version; replacing one
 * is audited (who, when, the version and source; never the image).
 *
 * Who may store a photo is the rule book's (RuleBook.photo: nobody their
 * own); what a replacement undoes is its state machines' photo rows, applied
 * here ({@link applyPhotoReplacementRules}).
 */
import { StationError } from '../errors.js';
import { checkPortrait, type FractionRect, type PortraitFinding } from '../physical/portrait.js';
import type { ImageCodec } from '../physical/image-codec.js';
import type { PhotoInfo, PhotoSource } from '../store/photos.js';
import type { StationStore } from '../store/store.js';
import { actorOf } from './authorization.js';
import { CARD_TRANSITIONS, REQUEST_TRANSITIONS, transitionsFrom } from '../../contract/state-machines.js';
import type { CardRequest, Caller } from './types.js';

/** A photo offered for a person. */
export interface PhotoOffer {
  /** JPEG or PNG bytes. */
  image: Uint8Array;
  /** The frame guide's crop, fractions of the image; absent: the whole image. */
  crop?: FractionRect;
  source: PhotoSource;
}

/** The answer to an offered photo: stored (or, on a dry run, what would be stored), or refused with every finding. */
export type PhotoOutcome =
  | { accepted: true; stored: PhotoInfo | null; portrait: { jpeg: Uint8Array; width: number; height: number }; voidedRequests: string[] }
  | { accepted: false; findings: PortraitFinding[] };

/** Where the photo rows of the state machines leave an approved request and its card object. */
const PHOTO_VOIDS = {
  request: transitionsFrom(REQUEST_TRANSITIONS, 'photo', 'approved')[0]!.to,
  card: transitionsFrom(CARD_TRANSITIONS, 'photo', 'approved')[0]!.to,
};

/** What replacing a person's photo undoes. */
interface ReplacementEffects {
  /** Approved requests whose card has not started production: their approval is void. */
  voidApproved: CardRequest[];
}

/**
 * What replacing a person's photo undoes: the approval of the person's approved requests (the
 * approver compared the old photo with the identity; the rule book's photo rows, whose duty —
 * nobody stores their own photo — RuleBook.photo checks at the door). Refused while a card of the
 * person is in production (the chip may already hold the old face).
 * @returns what the replacement undoes
 * @throws StationError REQUEST_STATE (a production is running or failed)
 */
export function applyPhotoReplacementRules(store: StationStore, personId: string): ReplacementEffects {
  const open = store.requests.openForPerson(personId);
  const producing = open.find((r) => r.state === 'in_production' || r.state === 'production_failed');
  if (producing) {
    throw new StationError('REQUEST_STATE', 'A card of this person is in production: finish or cancel that production before replacing the photo.', {
      requestId: producing.id,
      state: producing.state,
    });
  }
  const hadPhoto = store.photos.current(personId) !== undefined;
  return { voidApproved: hadPhoto ? open.filter((r) => r.state === 'approved') : [] };
}

/**
 * Checks a photo for a person and, unless `dryRun`, stores it as the person's current photo.
 * A replacement voids approvals (see {@link applyPhotoReplacementRules}): those requests go back to
 * 'requested' and their card objects are cancelled, in the same transaction as the photo.
 * @param onVoided called with each request whose approval was voided (for `request.changed`)
 * @throws StationError NOT_FOUND_RECORD (person), FORBIDDEN, REQUEST_STATE, PHOTO_REJECTED (unreadable image)
 */
export async function offerPersonPhoto(
  deps: { store: StationStore; codec: ImageCodec },
  personId: string,
  offer: PhotoOffer,
  caller: Caller,
  options: { dryRun?: boolean; onVoided?: (r: CardRequest) => void } = {},
): Promise<PhotoOutcome> {
  const { store } = deps;
  const person = store.persons.get(personId);
  if (!person) throw new StationError('NOT_FOUND_RECORD', 'There is no such person.', { personId });
  const actor = actorOf(caller);
  let effects: ReplacementEffects;
  try {
    effects = applyPhotoReplacementRules(store, personId);
  } catch (e) {
    store.audit.append({ actor, action: 'person.photo', outcome: 'refused', personId, details: { rule: String((e as StationError).details.rule ?? (e as StationError).code) } });
    throw e;
  }
  const checked = await checkPortrait(deps.codec, offer.image, offer.crop);
  if (!checked.ok) {
    if (!options.dryRun) store.audit.append({ actor, action: 'person.photo', outcome: 'refused', personId, details: { problems: checked.findings.map((f) => f.problem).join(',') } });
    return { accepted: false, findings: checked.findings };
  }
  if (options.dryRun) return { accepted: true, stored: null, portrait: checked.portrait, voidedRequests: effects.voidApproved.map((r) => r.id) };
  const voided: CardRequest[] = [];
  const stored = store.transaction(() => {
    // Checked again inside the transaction: a production may have started meanwhile.
    const now = applyPhotoReplacementRules(store, personId);
    const info = store.photos.add({ personId, jpeg: checked.portrait.jpeg, width: checked.portrait.width, height: checked.portrait.height, source: offer.source, capturedBy: actor });
    store.audit.append({
      actor,
      action: info.version === 1 ? 'person.photo.added' : 'person.photo.replaced',
      outcome: 'ok',
      personId,
      details: { version: info.version, source: offer.source },
    });
    for (const r of now.voidApproved) {
      const updated = store.requests.update(r.id, { state: PHOTO_VOIDS.request, decidedBy: null, decidedAt: null, decisionReason: 'The photo was replaced after approval: the request needs a new approval.', cardId: null });
      if (r.cardId) store.cards.update(r.cardId, { status: PHOTO_VOIDS.card });
      store.audit.append({ actor, action: 'request.approval.voided', outcome: 'ok', personId, cardId: r.cardId, details: { requestId: r.id, reason: 'photo replaced' } });
      voided.push(updated);
    }
    return info;
  });
  for (const r of voided) options.onVoided?.(r);
  return { accepted: true, stored, portrait: checked.portrait, voidedRequests: voided.map((r) => r.id) };
}
