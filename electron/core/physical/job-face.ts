/**
 * The card face of a production job, from its snapshot (issue 11): the
 * printed values and layout the job recorded when it was created, the photo
 * version it recorded, and the profile's current seal. The print step, a
 * reprint and the previews of a card all draw from here.
 */
import type { StationConfig } from '../config/station-config.js';
import type { ProductionParams } from '../issuance/job-types.js';
import type { CardRecord, PersonRecord } from '../store/records.js';
import type { StationStore } from '../store/store.js';
import { LayoutRegistry } from '../workflow/layout-registry.js';
import type { CardProfile } from '../../contract/card-profile.js';
import type { FaceSources } from './card-render.js';
import { printedCardOf } from './printed-card.js';

/**
 * The face of the card a job makes.
 * @param profileOf the card's profile, asked only for jobs made before snapshots
 */
export function jobFaceSources(
  deps: { store: StationStore; config: StationConfig },
  params: Pick<ProductionParams, 'printed' | 'layout' | 'photoVersion' | 'profile'>,
  person: PersonRecord,
  card: CardRecord,
  profileOf: () => CardProfile,
): FaceSources {
  const entry = new LayoutRegistry(deps).get(card.cardProfile);
  const layout = params.layout ?? entry.layout;
  // Jobs made before snapshots print what the card record says today.
  const printed =
    params.printed ??
    printedCardOf({ person, card, profile: profileOf(), config: deps.config, layout, issuedOn: new Date(card.createdAt) });
  const photo = params.photoVersion !== undefined ? deps.store.photos.get(person.id, params.photoVersion)?.jpeg : undefined;
  return { printed, layout, photo, seal: layout.showSeal ? entry.seal : null };
}
