/**
 * Layouts store (issue 11): the card face layout of each card profile, an
 * administrator's change of one, and card faces drawn by the core from the
 * same data as the printed card (SVG per side): a layout's draft, or a card.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CardFaceView } from '../../../electron/contract/station-api';
import type { CardLayout, CardLayoutPatch, CardLayoutViewShape } from '../../../electron/contract/card-layout';
import type { StationApi } from '../api';
import { ApiError, errorSentence } from '../api-error';

export interface LayoutsState {
  list: CardLayoutViewShape[];
  listError: string | null;
  /** Per profile: the sentence of the last refused save and the field the core named. */
  saveErrors: Record<string, { sentence: string; field: string | null } | undefined>;
  load(): Promise<void>;
  /** `layouts.update`. @returns the saved layout, or null when refused. */
  update(profile: CardLayoutViewShape['profile'], patch: CardLayoutPatch): Promise<CardLayoutViewShape | null>;
  /** `layouts.preview` of a draft (unsaved fields over the stored layout). */
  preview(profile: CardLayoutViewShape['profile'], draft: Partial<CardLayout>, personId?: string): Promise<CardFaceView | string>;
  /** `cards.preview`: the face of a card (approved or made). @returns the face, or the sentence why not */
  cardFace(card: string): Promise<CardFaceView | string>;
}

export type LayoutsStore = StoreApi<LayoutsState>;

export function createLayoutsStore(api: StationApi): LayoutsStore {
  return createStore<LayoutsState>()((set, get) => ({
    list: [],
    listError: null,
    saveErrors: {},
    async load() {
      try {
        set({ list: await api.call('layouts.list', {}), listError: null });
      } catch (e) {
        set({ listError: errorSentence(e) });
      }
    },
    async update(profile, patch) {
      set({ saveErrors: { ...get().saveErrors, [profile]: undefined } });
      try {
        const saved = await api.call('layouts.update', { profile: profile as 'employee', patch });
        set({ list: get().list.map((l) => (l.profile === profile ? saved : l)) });
        return saved;
      } catch (e) {
        const field = e instanceof ApiError && typeof e.details?.field === 'string' ? e.details.field : null;
        set({ saveErrors: { ...get().saveErrors, [profile]: { sentence: errorSentence(e), field } } });
        return null;
      }
    },
    async cardFace(card) {
      try {
        return await api.call('cards.preview', { card });
      } catch (e) {
        return errorSentence(e);
      }
    },
    async preview(profile, draft, personId) {
      try {
        return await api.call('layouts.preview', { profile: profile as 'employee', layout: draft, ...(personId ? { personId } : {}) });
      } catch (e) {
        return errorSentence(e);
      }
    },
  }));
}
