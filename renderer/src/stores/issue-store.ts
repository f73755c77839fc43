/**
 * Issue store: what the officer chose for the next card (person, profile,
 * reader, PIN mode), the chosen person's request history (the approval rule
 * reads it), and, while the issue screen is open, the typed PIN. The PIN
 * digits are cleared as soon as `production.start` has been called, whatever
 * its outcome, and are never logged or persisted. The rules themselves are
 * the contract's (pin-rules.ts, duties.ts).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CardRequestView, Person, Reader } from '../../../electron/contract/station-api';
import { pinDigits, type PinMode } from '../../../electron/contract/pin-rules';
import type { StationApi } from '../api';
import { errorSentence } from '../api-error';

export type Affiliation = Person['affiliation'];

/**
 * Why the card in a reader cannot be produced (null when it can, or when no
 * card is there yet), with who can help: the core refuses an issued card
 * (CARD_IN_USE) and a card without the PIV application (NOT_PIV); saying so
 * before Produce spares the officer a failed job.
 */
export function cardProblem(reader: Reader | undefined): string | null {
  if (!reader || !reader.cardPresent) return null;
  if (reader.card === 'not-piv') {
    return `The card in ${reader.name} is not a PIV card. Insert a blank PIV card.`;
  }
  if (reader.card === 'issued') {
    const who = reader.issued ? `card ${reader.issued.cardNumber} of ${reader.issued.cardholder}` : 'a card in use';
    return `The card in ${reader.name} is issued (${who}), so it cannot be produced again. Insert a blank PIV card; to reuse this one, a security officer revokes and recycles it on the Cards screen.`;
  }
  return null;
}

export interface IssueState {
  person: Person | null;
  /** The chosen person's card requests, oldest first (null while loading or unknown). */
  history: CardRequestView[] | null;
  profile: Affiliation;
  readerName: string | null;
  pinMode: PinMode;
  pin: string;
  pinConfirm: string;
  starting: boolean;
  /** Sentence of the last failed start, or null. */
  error: string | null;
  /** Selects the person (the profile follows their affiliation) and loads their request history. */
  selectPerson(person: Person | null): void;
  setProfile(profile: Affiliation): void;
  setReader(readerName: string | null): void;
  setPinMode(mode: PinMode): void;
  setPin(pin: string): void;
  setPinConfirm(pin: string): void;
  /**
   * Calls `production.start` with the choices (the PIN only in typed mode).
   * @returns the new job id, or null when the core refused (then `error` holds the sentence).
   */
  produce(): Promise<string | null>;
  /**
   * Calls `requests.produce` for an approved request with the chosen reader
   * and PIN mode (the card object was made at approval). Clears the PIN
   * whatever the outcome.
   * @returns the new job id, or null when the core refused (then `error` holds the sentence).
   */
  produceRequest(requestId: string): Promise<string | null>;
  /** Forgets every choice and the PIN (leaving the screen, or after a start). */
  reset(): void;
}

export type IssueStore = StoreApi<IssueState>;

const initial = {
  person: null,
  history: null,
  profile: 'employee' as Affiliation,
  readerName: null,
  pinMode: 'typed' as PinMode,
  pin: '',
  pinConfirm: '',
  starting: false,
  error: null,
};

/** Builds the issue store over a StationApi. */
export function createIssueStore(api: StationApi): IssueStore {
  return createStore<IssueState>()((set, get) => ({
    ...initial,
    selectPerson(person) {
      set(person ? { person, profile: person.affiliation, error: null, history: null } : { person: null, history: null });
      if (!person) return;
      api.call('requests.list', { personId: person.id }).then(
        (history) => {
          if (get().person?.id === person.id) set({ history });
        },
        () => {
          // Without the history the screen offers nothing it cannot vouch for; the core decides anyway.
        },
      );
    },
    setProfile(profile) {
      set({ profile });
    },
    setReader(readerName) {
      set({ readerName, error: null });
    },
    setPinMode(pinMode) {
      // Switching to a generated PIN drops any typed digits.
      set({ pinMode, pin: '', pinConfirm: '' });
    },
    setPin(pin) {
      set({ pin: pinDigits(pin) });
    },
    setPinConfirm(pinConfirm) {
      set({ pinConfirm: pinDigits(pinConfirm) });
    },
    async produce() {
      const { person, readerName, profile, pinMode, pin, starting } = get();
      if (!person || !readerName || starting) return null;
      set({ starting: true, error: null });
      try {
        const { jobId } = await api.call('production.start', {
          personId: person.id,
          readerName,
          profile,
          ...(pinMode === 'typed' ? { pin } : {}),
        });
        set({ ...initial });
        return jobId;
      } catch (e) {
        set({ starting: false, error: errorSentence(e), pin: '', pinConfirm: '' });
        return null;
      }
    },
    async produceRequest(requestId) {
      const { readerName, pinMode, pin, starting } = get();
      if (!readerName || starting) return null;
      set({ starting: true, error: null });
      try {
        const { jobId } = await api.call('requests.produce', { requestId, readerName, ...(pinMode === 'typed' ? { pin } : {}) });
        set({ ...initial });
        return jobId;
      } catch (e) {
        set({ starting: false, error: errorSentence(e), pin: '', pinConfirm: '' });
        return null;
      }
    },
    reset() {
      set({ ...initial });
    },
  }));
}
