/**
 * Profiles store: the card profiles as the core holds them (any officer reads
 * them: the desk follows their PIN policy), and an administrator's change of
 * one. The core validates every change and names the field it refuses.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Profile } from '../../../electron/contract/station-api';
import { DEFAULT_PIN_POLICY, type CardProfilePatch, type PinPolicy } from '../../../electron/contract/card-profile';
import type { StationApi } from '../api';
import { ApiError, errorSentence } from '../api-error';

export interface ProfilesState {
  list: Profile[];
  listError: string | null;
  /** Per profile id: the sentence of the last refused save, and the field the core named. */
  saveErrors: Record<string, { sentence: string; field: string | null } | undefined>;
  load(): Promise<void>;
  /** `profiles.update`. @returns the saved profile, or null when refused (`saveErrors[id]` says why). */
  update(id: Profile['id'], patch: CardProfilePatch): Promise<Profile | null>;
}

export type ProfilesStore = StoreApi<ProfilesState>;

/** The PIN policy of profile `id` in `list`; the contract's default (6–8 digits, typed or generated) until the profiles are loaded. */
export function pinPolicyOf(list: Profile[], id: string | undefined): PinPolicy {
  return list.find((p) => p.id === id)?.pinPolicy ?? DEFAULT_PIN_POLICY;
}

/** Builds the profiles store over a StationApi. */
export function createProfilesStore(api: StationApi): ProfilesStore {
  return createStore<ProfilesState>()((set, get) => ({
    list: [],
    listError: null,
    saveErrors: {},
    async load() {
      try {
        set({ list: await api.call('profiles.list', {}), listError: null });
      } catch (e) {
        set({ listError: errorSentence(e) });
      }
    },
    async update(id, patch) {
      set({ saveErrors: { ...get().saveErrors, [id]: undefined } });
      try {
        const saved = await api.call('profiles.update', { id, patch });
        set({ list: get().list.map((p) => (p.id === id ? saved : p)) });
        return saved;
      } catch (e) {
        const field = e instanceof ApiError && typeof e.details?.field === 'string' ? e.details.field : null;
        set({ saveErrors: { ...get().saveErrors, [id]: { sentence: errorSentence(e), field } } });
        return null;
      }
    },
  }));
}
