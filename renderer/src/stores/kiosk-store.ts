/**
 * Kiosk store: whether this window's connection is a self-service kiosk
 * (the core decides: electron/core/workflow/kiosk.ts), who identified at it,
 * and the receipt of the request just made. The typed employee id and e-mail
 * pass through to the core and are never kept here.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { KioskPersonView, KioskReceiptView, KioskStatusView } from '../../../electron/contract/station-api';
import type { StationApi } from '../api';
import { errorSentence } from '../api-error';

export interface KioskState {
  /** True once `kiosk.status` has answered (or failed: then this window is no kiosk). */
  loaded: boolean;
  /** This connection is a kiosk: the window shows only the kiosk face. */
  kiosk: boolean;
  /** The person who identified, or null. */
  person: KioskPersonView | null;
  /** The request just made, shown until the kiosk goes back to its start. */
  receipt: KioskReceiptView | null;
  /** Seconds without a touch after which the kiosk forgets the person (the core's rule). */
  idleSeconds: number;
  /** Sentence of the last refused identification or request, or null. */
  error: string | null;
  /** An identification or request is in flight. */
  busy: boolean;
  /** Asks the core for `kiosk.status`. */
  load(): Promise<void>;
  /** `kiosk.start`: this window becomes a kiosk (the officer's session ends). @returns whether it worked */
  start(): Promise<boolean>;
  /** `kiosk.identify` with employee id and e-mail. @returns whether the person was recognized */
  identify(employeeId: string, email: string): Promise<boolean>;
  /** `kiosk.request` for the identified person. @returns whether the request was made */
  request(profile: KioskPersonView['profiles'][number]['id']): Promise<boolean>;
  /** `kiosk.reset`: forgets the person and the receipt; the welcome shows again. */
  reset(): Promise<void>;
}

export type KioskStore = StoreApi<KioskState>;

/** Builds the kiosk store over a StationApi. */
export function createKioskStore(api: StationApi): KioskStore {
  return createStore<KioskState>()((set) => {
    const apply = (s: KioskStatusView) => set({ loaded: true, kiosk: s.kiosk, person: s.person, idleSeconds: s.idleSeconds });
    return {
      loaded: false,
      kiosk: false,
      person: null,
      receipt: null,
      idleSeconds: 120,
      error: null,
      busy: false,
      async load() {
        try {
          apply(await api.call('kiosk.status', {}));
        } catch {
          // A core that cannot say is treated as no kiosk: the officer login follows, which the core guards anyway.
          set({ loaded: true, kiosk: false, person: null });
        }
      },
      async start() {
        try {
          apply(await api.call('kiosk.start', {}));
          set({ receipt: null, error: null });
          return true;
        } catch (e) {
          set({ error: errorSentence(e) });
          return false;
        }
      },
      async identify(employeeId, email) {
        set({ busy: true, error: null });
        try {
          const person = await api.call('kiosk.identify', { employeeId, email });
          set({ busy: false, person, receipt: null });
          return true;
        } catch (e) {
          set({ busy: false, error: errorSentence(e) });
          return false;
        }
      },
      async request(profile) {
        set({ busy: true, error: null });
        try {
          const receipt = await api.call('kiosk.request', { profile });
          // The core forgot the person with the request.
          set({ busy: false, receipt, person: null });
          return true;
        } catch (e) {
          set({ busy: false, error: errorSentence(e) });
          return false;
        }
      },
      async reset() {
        set({ person: null, receipt: null, error: null });
        try {
          apply(await api.call('kiosk.reset', {}));
        } catch {
          // Nothing to forget on the core's side (it forgets on its own after the idle time).
        }
      },
    };
  });
}
