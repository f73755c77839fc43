/**
 * Photos store (issue 11): the cardholders' photos the screens show (fetched
 * once per person and kept until replaced), and the photo an officer offers
 * from the capture screen: first checked by the core (a dry run: the
 * portrait as it would be stored, or every finding in words), then stored.
 * The core decides every rule; the renderer only carries the image.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PhotoFindingView, PhotoInfoView } from '../../../electron/contract/station-api';
import type { StationApi } from '../api';
import { errorSentence } from '../api-error';

/** A photo as shown: its facts and a data URL of the JPEG. */
export type ShownPhoto = PhotoInfoView & { dataUrl: string };

/** An offered photo: base64 JPEG or PNG, where it came from, the frame guide's crop. */
export interface PhotoOffer {
  image: string;
  source: 'camera' | 'file';
  crop?: { x: number; y: number; width: number; height: number };
}

/** The core's answer to an offer. */
export type OfferOutcome =
  | { kind: 'accepted'; preview: string; photo: PhotoInfoView | null; voidedRequests: string[] }
  | { kind: 'refused'; findings: PhotoFindingView[] }
  | { kind: 'error'; sentence: string };

export interface PhotosState {
  /** By person id: the photo, null when the person has none, undefined until loaded. */
  byPerson: Record<string, ShownPhoto | null | undefined>;
  /** By person id: why the photo could not be loaded. */
  errors: Record<string, string | undefined>;
  /** Loads a person's photo (again when `force`). */
  load(personId: string, force?: boolean): Promise<void>;
  /** Has the core check an offered photo without storing it (`persons.setPhoto` dryRun). */
  check(personId: string, offer: PhotoOffer): Promise<OfferOutcome>;
  /** Stores an offered photo (`persons.setPhoto`); the person's shown photo follows. */
  save(personId: string, offer: PhotoOffer): Promise<OfferOutcome>;
}

export type PhotosStore = StoreApi<PhotosState>;

const jpegUrl = (b64: string) => `data:image/jpeg;base64,${b64}`;

/** Builds the photos store over a StationApi. */
export function createPhotosStore(api: StationApi): PhotosStore {
  const loading = new Map<string, Promise<void>>();
  const store = createStore<PhotosState>()((set, get) => {
    async function offer(personId: string, o: PhotoOffer, dryRun: boolean): Promise<OfferOutcome> {
      try {
        const r = await api.call('persons.setPhoto', { personId, image: o.image, source: o.source, ...(o.crop ? { crop: o.crop } : {}), ...(dryRun ? { dryRun: true } : {}) });
        if (!r.accepted) return { kind: 'refused', findings: r.findings };
        if (!dryRun) await get().load(personId, true);
        return { kind: 'accepted', preview: jpegUrl(r.preview ?? ''), photo: r.photo, voidedRequests: r.voidedRequests };
      } catch (e) {
        return { kind: 'error', sentence: errorSentence(e) };
      }
    }
    return {
      byPerson: {},
      errors: {},
      async load(personId, force = false) {
        if (!force && get().byPerson[personId] !== undefined) return;
        const running = loading.get(personId);
        if (running && !force) return running;
        const work = (async () => {
          try {
            const p = await api.call('persons.getPhoto', { personId });
            set({ byPerson: { ...get().byPerson, [personId]: p ? { ...p, dataUrl: jpegUrl(p.jpeg) } : null }, errors: { ...get().errors, [personId]: undefined } });
          } catch (e) {
            set({ errors: { ...get().errors, [personId]: errorSentence(e) } });
          } finally {
            loading.delete(personId);
          }
        })();
        loading.set(personId, work);
        return work;
      },
      check: (personId, o) => offer(personId, o, true),
      save: (personId, o) => offer(personId, o, false),
    };
  });
  return store;
}
