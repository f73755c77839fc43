/**
 * Audit store (issue 5 "an auditor views and exports (CSV, JSON) the log by
 * date, officer, person, card"): the filter, one page of events at a time
 * (the core pages by sequence number: `afterSeq`), the export and the chain
 * verification. The core parses the dates and says what is wrong with them.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AuditEventView, AuditVerificationView, ChannelInput, ChannelOutput } from '../../../electron/contract/station-api';
import type { StationApi } from '../api';
import { errorSentence } from '../api-error';

/** The auditor's filter as typed: empty strings mean "any". Dates are YYYY-MM-DD or ISO-8601 date-times (UTC). */
export interface AuditFilterFields {
  from: string;
  to: string;
  officer: string;
  personId: string;
  cardId: string;
}

/** Events per page. */
export const AUDIT_PAGE_SIZE = 50;

export interface AuditState {
  /** The filter being typed. */
  fields: AuditFilterFields;
  /** The filter of the events shown (what an export exports). */
  applied: AuditFilterFields;
  events: AuditEventView[];
  /** `afterSeq` of each page shown so far: the last one is the current page's. */
  pageStarts: number[];
  /** Whether events follow the current page. */
  hasNext: boolean;
  listError: string | null;
  exportError: string | null;
  exporting: boolean;
  verification: AuditVerificationView | null;
  verifyError: string | null;
  verifying: boolean;
  setField(name: keyof AuditFilterFields, value: string): void;
  /** Applies `fields` and shows the first page. */
  search(): Promise<void>;
  /** Applies one criterion at once (a click on a person or card in the table). */
  filterBy(name: keyof AuditFilterFields, value: string): Promise<void>;
  nextPage(): Promise<void>;
  previousPage(): Promise<void>;
  /** `audit.export` of the applied filter. @returns the file, or null when refused (`exportError` says why) */
  exportLog(format: 'csv' | 'json'): Promise<ChannelOutput<'audit.export'> | null>;
  /** `audit.verify` (no signing: the auditor checks, the station signs). */
  verify(): Promise<void>;
}

export type AuditStore = StoreApi<AuditState>;

const NO_FILTER: AuditFilterFields = { from: '', to: '', officer: '', personId: '', cardId: '' };

/** The store's initial data (also what a logout resets it to). */
export const AUDIT_EMPTY = {
  fields: NO_FILTER,
  applied: NO_FILTER,
  events: [],
  pageStarts: [0],
  hasNext: false,
  listError: null,
  exportError: null,
  exporting: false,
  verification: null,
  verifyError: null,
  verifying: false,
};

/** The channel filter of typed fields: blank fields left out, the rest trimmed. */
export function auditFilterInput(f: AuditFilterFields): Omit<ChannelInput<'audit.export'>, 'format'> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) if (v.trim() !== '') out[k] = v.trim();
  return out;
}

/** Builds the audit store over a StationApi. */
export function createAuditStore(api: StationApi): AuditStore {
  let latest = 0;
  return createStore<AuditState>()((set, get) => {
    /** Loads the page after `afterSeq` under the applied filter; one extra event tells whether a next page exists. */
    async function loadPage(pageStarts: number[]): Promise<void> {
      const mine = ++latest;
      const afterSeq = pageStarts[pageStarts.length - 1]!;
      try {
        const rows = await api.call('audit.list', { ...auditFilterInput(get().applied), afterSeq, limit: AUDIT_PAGE_SIZE + 1 });
        if (mine !== latest) return;
        set({ events: rows.slice(0, AUDIT_PAGE_SIZE), hasNext: rows.length > AUDIT_PAGE_SIZE, pageStarts, listError: null });
      } catch (e) {
        if (mine === latest) set({ listError: errorSentence(e), events: [], hasNext: false });
      }
    }
    return {
      ...AUDIT_EMPTY,
      setField(name, value) {
        set((s) => ({ fields: { ...s.fields, [name]: value } }));
      },
      async search() {
        set((s) => ({ applied: s.fields, exportError: null }));
        await loadPage([0]);
      },
      async filterBy(name, value) {
        get().setField(name, value);
        await get().search();
      },
      async nextPage() {
        const { events, hasNext, pageStarts } = get();
        if (!hasNext || events.length === 0) return;
        await loadPage([...pageStarts, events[events.length - 1]!.seq]);
      },
      async previousPage() {
        const { pageStarts } = get();
        if (pageStarts.length > 1) await loadPage(pageStarts.slice(0, -1));
      },
      async exportLog(format) {
        set({ exporting: true, exportError: null });
        try {
          return await api.call('audit.export', { ...auditFilterInput(get().applied), format });
        } catch (e) {
          set({ exportError: errorSentence(e) });
          return null;
        } finally {
          set({ exporting: false });
        }
      },
      async verify() {
        set({ verifying: true, verifyError: null, verification: null });
        try {
          set({ verification: await api.call('audit.verify', {}) });
        } catch (e) {
          set({ verifyError: errorSentence(e) });
        } finally {
          set({ verifying: false });
        }
      },
    };
  });
}
