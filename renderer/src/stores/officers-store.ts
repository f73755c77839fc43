/**
 * Officers store (administrator): the station's officers, adding one, and
 * linking an officer to their own person record (separation of duties reads
 * the link), and lifting a login lockout (too many failed logins).
 * The new officer's password goes straight to the core and is not kept.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ChannelInput, OfficerView } from '../../../electron/contract/station-api';
import type { StationApi } from '../api';
import { errorSentence } from '../api-error';

export interface OfficersState {
  list: OfficerView[];
  listError: string | null;
  /** Sentence of the last failed add, or null. */
  addError: string | null;
  loadList(): Promise<void>;
  /** `officers.add`. @returns the officer, or null when refused (`addError` says why). */
  add(input: ChannelInput<'officers.add'>): Promise<OfficerView | null>;
  /** `officers.unlock`: lifts the officer's login lockout. Failures land in `listError`. */
  unlock(officerId: string): Promise<void>;
  /** Sentence of the last failed link, or null. */
  linkError: string | null;
  /** `officers.link` (personId null: unlink). @returns whether it worked (else `linkError` says why). */
  link(officerId: string, personId: string | null): Promise<boolean>;
  /** Sentence of the last refused edit, disable, enable or reset (the core's account rules), or null. */
  accountError: string | null;
  /** `officers.update` (name, roles). @returns whether it worked (else `accountError` says why). */
  update(input: ChannelInput<'officers.update'>): Promise<boolean>;
  /** `officers.setStatus`. @returns whether it worked (else `accountError`). */
  setStatus(officerId: string, status: 'active' | 'disabled'): Promise<boolean>;
  /**
   * `officers.resetPassword`. @returns the one-time password (shown once, kept
   * by the screen only until the administrator closes it), or null (`accountError`).
   */
  resetPassword(officerId: string): Promise<string | null>;
}

export type OfficersStore = StoreApi<OfficersState>;

/** Builds the officers store over a StationApi. */
export function createOfficersStore(api: StationApi): OfficersStore {
  return createStore<OfficersState>()((set, get) => {
    /** Runs an account change, reloads the list, and says whether it worked (`accountError` otherwise). */
    const account = async (run: () => Promise<unknown>): Promise<boolean> => {
      set({ accountError: null });
      try {
        await run();
        await get().loadList();
        return true;
      } catch (e) {
        set({ accountError: errorSentence(e) });
        return false;
      }
    };
    return {
      list: [],
      listError: null,
      addError: null,
      linkError: null,
      accountError: null,
      async update(input) {
        return account(() => api.call('officers.update', input));
      },
      async setStatus(officerId, status) {
        return account(() => api.call('officers.setStatus', { officerId, status }));
      },
      async resetPassword(officerId) {
        let password: string | null = null;
        await account(async () => {
          password = (await api.call('officers.resetPassword', { officerId })).password;
        });
        return password;
      },
      async loadList() {
        try {
          set({ list: await api.call('officers.list', {}), listError: null });
        } catch (e) {
          set({ listError: errorSentence(e) });
        }
      },
      async add(input) {
        set({ addError: null });
        try {
          const officer = await api.call('officers.add', input);
          await get().loadList();
          return officer;
        } catch (e) {
          set({ addError: errorSentence(e) });
          return null;
        }
      },
      async unlock(officerId) {
        try {
          await api.call('officers.unlock', { officerId });
          await get().loadList();
        } catch (e) {
          set({ listError: errorSentence(e) });
        }
      },
      async link(officerId, personId) {
        set({ linkError: null });
        try {
          await api.call('officers.link', { officerId, personId });
          await get().loadList();
          return true;
        } catch (e) {
          set({ linkError: errorSentence(e) });
          return false;
        }
      },
    };
  });
}
