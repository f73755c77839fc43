/**
 * Cards store (issue 5 lifecycle screens): the issued cards as the core lists
 * them, the card the officer opened, the published CRL, and the lifecycle
 * actions on the opened card. Every action answers with the card as the core
 * now has it (or the core's refusal as a sentence); no state is guessed here.
 * PIN digits are never held in this store: the screen passes them straight to
 * the call and clears its fields whatever the outcome.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AuditEventView, CardDetailView, CardView, CrlViewShape } from '../../../electron/contract/station-api';
import type { StationApi } from '../api';
import { errorSentence } from '../api-error';

export type CardStatus = CardView['status'];
export type CardFilter = 'all' | CardStatus;
/** Why a card is terminated (contract TerminationReasonShape). */
export type TerminationReason = 'lost' | 'stolen' | 'damaged' | 'left' | 'key-compromise';
/** Why a card is replaced (contract cards.reissue). */
export type ReissueReason = 'lost' | 'stolen' | 'damaged';

/** A card's status in words (the contract's one table). */
export { CARD_STATUS_WORDS } from '../../../electron/contract/words';

/** The status filters of the Cards screen, in order. */
export const CARD_FILTERS: { id: CardFilter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'produced', label: 'Awaiting collection' },
  { id: 'active', label: 'Active' },
  { id: 'suspended', label: 'Suspended' },
  { id: 'revoked', label: 'Revoked' },
  { id: 'expired', label: 'Expired' },
];

/** Termination reasons in words (the contract's one table). */
export { TERMINATION_REASON_WORDS } from '../../../electron/contract/words';

/** Whether `card` matches the officer's search text (name, card number, credential number or GUID), case-insensitive. */
export function cardMatches(card: CardView, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (q === '') return true;
  return [card.personName, card.cardNumber ?? '', card.credentialNumber, card.guid].some((field) => field.toLowerCase().includes(q));
}

export interface CardsState {
  filter: CardFilter;
  /** Search text over person name and card number (applied to `list` by {@link cardMatches}). */
  query: string;
  list: CardView[];
  listError: string | null;
  /** The opened card, as the core last answered it. */
  detail: CardDetailView | null;
  detailError: string | null;
  /** True while an action on the opened card runs. */
  busy: boolean;
  /** The core's sentence for the last refused action, or null. */
  actionError: string | null;
  /** What the last action did, in words, or null. */
  outcome: string | null;
  crl: CrlViewShape | null;
  crlError: string | null;
  /** The audit events of a card (auditors only), or null when not loaded or not allowed. */
  history: { cardId: string; events: AuditEventView[] } | null;
  setFilter(filter: CardFilter): Promise<void>;
  setQuery(query: string): void;
  loadList(): Promise<void>;
  /** Opens a card (by id) and loads its detail. */
  open(cardId: string): Promise<void>;
  close(): void;
  revoke(reason: TerminationReason): Promise<boolean>;
  suspend(): Promise<boolean>;
  resume(): Promise<boolean>;
  /** The cardholder's PIN verified on the opened card in `readerName`. */
  activate(readerName: string, pin: string): Promise<boolean>;
  /** PIN reset with the escrowed PUK on the opened card in `readerName`. */
  unlock(readerName: string, newPin: string): Promise<boolean>;
  /** The opened card, at the desk in `readerName`, reset to a blank. */
  recycle(readerName: string): Promise<boolean>;
  /**
   * Revokes the opened card and starts its replacement on the blank card in `readerName`.
   * @param pin the cardholder's new PIN, or undefined for a generated one
   * @returns the replacement's job id, or null when refused
   */
  reissue(reason: ReissueReason, readerName: string, pin: string | undefined): Promise<string | null>;
  loadCrl(): Promise<void>;
  /** Prints the opened card's face again (`cards.reprint`) with the officer's reason. */
  reprint(reason: string): Promise<boolean>;
  /** Loads the card's audit events; a refusal (no auditor role) leaves `history` empty. */
  loadHistory(cardId: string): Promise<void>;
}

export type CardsStore = StoreApi<CardsState>;

/** The label of a card in sentences: its card number, else its credential number. */
export const cardLabel = (c: CardView): string => (c.cardNumber ? `card ${c.cardNumber}` : `credential ${c.credentialNumber}`);
/** {@link cardLabel} at the start of a sentence. */
const CardLabel = (c: CardView): string => {
  const label = cardLabel(c);
  return label.charAt(0).toUpperCase() + label.slice(1);
};

/** Builds the cards store over a StationApi. */
export function createCardsStore(api: StationApi): CardsStore {
  let latestList = 0;
  return createStore<CardsState>()((set, get) => {
    /** Runs one action on the opened card; the answer replaces the detail and the list is reloaded. */
    async function act(run: (card: CardDetailView) => Promise<CardDetailView>, said: (c: CardDetailView) => string): Promise<boolean> {
      const card = get().detail;
      if (!card || get().busy) return false;
      set({ busy: true, actionError: null, outcome: null });
      try {
        const updated = await run(card);
        set({ busy: false, detail: updated, outcome: said(updated) });
        void get().loadList();
        if (get().crl) void get().loadCrl();
        return true;
      } catch (e) {
        set({ busy: false, actionError: errorSentence(e) });
        // The card may have changed under us (another officer): show it as it is now.
        void refreshDetail(card.id);
        return false;
      }
    }
    async function refreshDetail(cardId: string) {
      try {
        const detail = await api.call('cards.get', { card: cardId });
        if (get().detail?.id === cardId) set({ detail });
      } catch {
        // the action's own error is already shown
      }
    }

    return {
      filter: 'all',
      query: '',
      list: [],
      listError: null,
      detail: null,
      detailError: null,
      busy: false,
      actionError: null,
      outcome: null,
      crl: null,
      crlError: null,
      history: null,
      async setFilter(filter) {
        set({ filter });
        await get().loadList();
      },
      setQuery(query) {
        set({ query });
      },
      async loadList() {
        const mine = ++latestList;
        const f = get().filter;
        try {
          const list = await api.call('cards.list', f === 'all' ? {} : { status: [f] });
          if (mine === latestList) set({ list, listError: null });
        } catch (e) {
          if (mine === latestList) set({ listError: errorSentence(e) });
        }
      },
      async open(cardId) {
        set({ detailError: null, actionError: null, outcome: null });
        try {
          set({ detail: await api.call('cards.get', { card: cardId }) });
        } catch (e) {
          set({ detail: null, detailError: errorSentence(e) });
        }
      },
      close() {
        set({ detail: null, detailError: null, actionError: null, outcome: null });
      },
      revoke: (reason) => act((c) => api.call('cards.revoke', { card: c.id, reason }), (c) => `${CardLabel(c)} is revoked; its certificates are on the CRL.`),
      suspend: () => act((c) => api.call('cards.suspend', { card: c.id }), (c) => `${CardLabel(c)} is suspended; its certificates are on hold in the CRL.`),
      resume: () => act((c) => api.call('cards.resume', { card: c.id }), (c) => `${CardLabel(c)} is active again; its certificates left the CRL.`),
      activate: (readerName, pin) => act((c) => api.call('cards.activate', { readerName, pin, card: c.id }), (c) => `The PIN was verified; ${cardLabel(c)} is active.`),
      unlock: (readerName, newPin) =>
        act((c) => api.call('cards.unlock', { readerName, newPin, card: c.id }), (c) => `The PIN of ${cardLabel(c)} is reset to the cardholder's new PIN; the escrowed PUK was rotated.`),
      recycle: (readerName) => act((c) => api.call('cards.recycle', { readerName, card: c.id }), (c) => `${CardLabel(c)} is reset to a blank card and can be produced again.`),
      async reissue(reason, readerName, pin) {
        const card = get().detail;
        if (!card || get().busy) return null;
        set({ busy: true, actionError: null, outcome: null });
        try {
          const { jobId } = await api.call('cards.reissue', { card: card.id, reason, readerName, ...(pin ? { pin } : {}) });
          set({ busy: false });
          void get().loadList();
          return jobId;
        } catch (e) {
          set({ busy: false, actionError: errorSentence(e) });
          void refreshDetail(card.id);
          return null;
        }
      },
      async reprint(reason) {
        const card = get().detail;
        if (!card || get().busy) return false;
        set({ busy: true, actionError: null, outcome: null });
        try {
          const r = await api.call('cards.reprint', { card: card.id, reason });
          set({ busy: false, outcome: `${CardLabel(card)} was printed again on ${r.queue} (reprint ${r.reprintCount}).` });
          return true;
        } catch (e) {
          set({ busy: false, actionError: errorSentence(e) });
          return false;
        }
      },
      async loadHistory(cardId) {
        try {
          const events = await api.call('audit.list', { cardId, limit: 1000 });
          set({ history: { cardId, events } });
        } catch {
          set({ history: null });
        }
      },
      async loadCrl() {
        try {
          set({ crl: await api.call('crl.get', {}), crlError: null });
        } catch (e) {
          set({ crlError: errorSentence(e) });
        }
      },
    };
  });
}
