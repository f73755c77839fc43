/**
 * The cardholder's portrait (issue 11 "Photo"): taken at the desk, imported
 * from a file, or delivered by the IDPRS in a CPR. A photo passes the portrait
 * rules (physical/portrait.ts) and is stored as a new version; replacing one
 * is audited (who, when, the version and source; never the image).
 *
 * Whether a photo may be stored, and what a replacement undoes, is the rule
 * book's (RuleBook.photo over the state machines' photo rows: nobody their
 * own, none while a card of the person is in production, a replacement voids
 * approvals); {@link storePersonPhoto} applies its answer, for the desk and
 * for a CPR's photo alike.
 */
import { isStationError, StationError } from '../errors.js';
import { checkPortrait, type FractionRect, type Portrait, type PortraitFinding } from '../physical/portrait.js';
import type { Actor, PhotoPerformer, RuleBook } from '../policy/rule-book.js';
import type { ImageCodec } from '../physical/image-codec.js';
import type { PhotoInfo, PhotoSource } from '../store/photos.js';
import type { StationStore } from '../store/store.js';
import { actorOf } from './authorization.js';
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

/** A portrait to store for a person, and who brings it. */
export interface PhotoToStore {
  personId: string;
  portrait: Portrait;
  source: PhotoSource;
  /** Who took or delivered it (an officer's username, or 'idprs'), recorded on the photo and in the audit. */
  capturedBy: string;
  /** The caller the rule book judges, and the door it came through. */
  actor: Actor;
  performer: PhotoPerformer;
}

/**
 * Stores a portrait as the person's current photo and applies what the rule book says it undoes
 * (RuleBook.photo: refused during a production; each approval it meets voided, the request back
 * to its photo row's state and its card object cancelled, audited as request.approval.voided).
 * Asks the rule book itself, so no path stores a photo past it. Call inside a store transaction:
 * the photo and its effects land together or not at all.
 * @param audited records the photo's own audit event (its caller's words), before the voids' events
 * @returns the stored photo's facts and the requests whose approval was voided
 * @throws StationError FORBIDDEN, REQUEST_STATE (from the rule book), the store's errors
 */
export function storePersonPhoto(
  deps: { store: StationStore; rules: RuleBook },
  photo: PhotoToStore,
  audited: (stored: PhotoInfo) => void,
): { stored: PhotoInfo; voided: CardRequest[] } {
  const { store } = deps;
  const effects = deps.rules.photo(photo.personId, photo.actor, photo.performer);
  const stored = store.photos.add({ personId: photo.personId, jpeg: photo.portrait.jpeg, width: photo.portrait.width, height: photo.portrait.height, source: photo.source, capturedBy: photo.capturedBy });
  audited(stored);
  const voided: CardRequest[] = [];
  for (const v of effects.voids) {
    const updated = store.requests.update(v.request.id, { state: v.to, decidedBy: null, decidedAt: null, decisionReason: 'The photo was replaced after approval: the request needs a new approval.', cardId: null });
    if (v.card) store.cards.update(v.card.id, { status: v.card.to });
    store.audit.append({ actor: photo.capturedBy, action: 'request.approval.voided', outcome: 'ok', personId: photo.personId, cardId: v.request.cardId, details: { requestId: v.request.id, reason: 'photo replaced' } });
    voided.push(updated);
  }
  return { stored, voided };
}

/**
 * Checks a photo for a person and, unless `dryRun`, stores it as the person's current photo
 * ({@link storePersonPhoto}: the rule book decides, asked before the image work and again inside
 * the transaction, since a production may start meanwhile). A replacement voids approvals: those
 * requests go back to 'requested' and their card objects are cancelled, with the photo.
 * @param onVoided called with each request whose approval was voided (for `request.changed`)
 * @throws StationError NOT_FOUND_RECORD (person), FORBIDDEN, REQUEST_STATE, PHOTO_REJECTED (unreadable image)
 */
export async function offerPersonPhoto(
  deps: { store: StationStore; codec: ImageCodec; rules: RuleBook },
  personId: string,
  offer: PhotoOffer,
  caller: Caller,
  options: { dryRun?: boolean; onVoided?: (r: CardRequest) => void } = {},
): Promise<PhotoOutcome> {
  const { store } = deps;
  const person = store.persons.get(personId);
  if (!person) throw new StationError('NOT_FOUND_RECORD', 'There is no such person.', { personId });
  const actor = actorOf(caller);
  const refusedAudited = <T>(decide: () => T): T => {
    try {
      return decide();
    } catch (e) {
      // A refusal by the state of the person's requests is audited here; role and duty refusals by the dispatcher.
      if (isStationError(e, 'REQUEST_STATE')) store.audit.append({ actor, action: 'person.photo', outcome: 'refused', personId, details: { rule: String(e.details.rule ?? e.code) } });
      throw e;
    }
  };
  const effects = refusedAudited(() => deps.rules.photo(personId, caller, 'persons.setPhoto'));
  const checked = await checkPortrait(deps.codec, offer.image, offer.crop);
  if (!checked.ok) {
    if (!options.dryRun) store.audit.append({ actor, action: 'person.photo', outcome: 'refused', personId, details: { problems: checked.findings.map((f) => f.problem).join(',') } });
    return { accepted: false, findings: checked.findings };
  }
  if (options.dryRun) return { accepted: true, stored: null, portrait: checked.portrait, voidedRequests: effects.voids.map((v) => v.request.id) };
  const { stored, voided } = refusedAudited(() =>
    store.transaction(() =>
      storePersonPhoto(deps, { personId, portrait: checked.portrait, source: offer.source, capturedBy: actor, actor: caller, performer: 'persons.setPhoto' }, (info) =>
        store.audit.append({
          actor,
          action: info.version === 1 ? 'person.photo.added' : 'person.photo.replaced',
          outcome: 'ok',
          personId,
          details: { version: info.version, source: offer.source },
        }),
      ),
    ),
  );
  for (const r of voided) options.onVoided?.(r);
  return { accepted: true, stored, portrait: checked.portrait, voidedRequests: voided.map((r) => r.id) };
}
