// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditEventView, AuditVerificationView, ChannelInput } from '../../../../../electron/contract/station-api';
import { AuditScreen } from '../../../../../renderer/src/features/audit/AuditScreen';
import { AUDIT_PAGE_SIZE } from '../../../../../renderer/src/stores/audit-store';
import { ApiError } from '../../../../../renderer/src/api-error';
import { createFakeApi } from '../../support/fake-api';
import { renderWithStores } from '../../support/render';

const auditEvent = (seq: number, over: Partial<AuditEventView> = {}): AuditEventView => ({
  seq,
  at: `2025-03-01T09:00:${String(seq % 60).padStart(2, '0')}.000Z`,
  actor: seq % 2 ? 'alice' : 'bob',
  action: 'person.added',
  outcome: 'ok',
  personId: `p-${seq}-0000-0000`,
  cardId: null,
  jobId: null,
  details: null,
  prevHash: null,
  hash: null,
  ...over,
});

/** A fake audit log of `n` events, filtered by officer and person, paged by afterSeq as the core does. */
function fakeLog(n: number) {
  const log = Array.from({ length: n }, (_, i) => auditEvent(i + 1));
  return createFakeApi({
    'audit.list': ({ officer, personId, afterSeq = 0, limit = 200 }) =>
      log.filter((e) => (!officer || e.actor === officer) && (!personId || e.personId === personId) && e.seq > afterSeq).slice(0, limit),
    'audit.export': (input: ChannelInput<'audit.export'>) => {
      const rows = log.filter((e) => !input.officer || e.actor === input.officer);
      return { format: input.format, filename: `audit-2025-03-01T10-00-00Z.${input.format}`, content: ['seq,actor', ...rows.map((e) => `${e.seq},${e.actor}`)].join('\r\n'), count: rows.length };
    },
  });
}

let downloads: { name: string; text: Promise<string>; type: string }[];
beforeEach(() => {
  downloads = [];
  const blobs = new Map<string, Blob>();
  URL.createObjectURL = vi.fn((b: Blob) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, b);
    return url;
  }) as typeof URL.createObjectURL;
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    const blob = blobs.get(this.href)!;
    downloads.push({ name: this.download, text: blob.text(), type: blob.type });
  });
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('AuditScreen', () => {
  it('filters by officer, pages, and filters by a clicked person', async () => {
    const api = fakeLog(2 * AUDIT_PAGE_SIZE + 10);
    renderWithStores(<AuditScreen />, api);
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(AUDIT_PAGE_SIZE));
    const user = userEvent.setup();
    await user.type(screen.getByTestId('audit-filter-officer'), 'alice');
    await user.type(screen.getByTestId('audit-filter-from'), '2025-03-01');
    await user.click(screen.getByTestId('audit-search'));
    await waitFor(() => expect(screen.getAllByTestId('audit-row')[0]!.getAttribute('data-seq')).toBe('1'));
    expect(api.callsTo('audit.list').at(-1)).toEqual({ officer: 'alice', from: '2025-03-01', afterSeq: 0, limit: AUDIT_PAGE_SIZE + 1 });
    expect(screen.getAllByTestId('audit-officer').every((c) => c.textContent === 'alice')).toBe(true);
    // 55 events by alice: a first page of 50, a second of 5.
    expect(screen.getAllByTestId('audit-row')).toHaveLength(AUDIT_PAGE_SIZE);
    await user.click(screen.getByTestId('audit-next'));
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(5));
    expect(screen.getByTestId('audit-page').textContent).toBe('Page 2');
    expect((screen.getByTestId('audit-next') as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByTestId('audit-previous'));
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(AUDIT_PAGE_SIZE));
    const row = screen.getAllByTestId('audit-row')[0]!;
    expect(row.textContent).toContain('2025-03-01 09:00:01Z');
    expect(row.getAttribute('data-outcome')).toBe('ok');

    await user.click(screen.getAllByTestId('audit-person')[1]!);
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(1));
    expect((screen.getByTestId('audit-filter-personId') as HTMLInputElement).value).toBe('p-3-0000-0000');
  });

  it('exports the filtered log as a CSV download, and JSON', async () => {
    const api = fakeLog(6);
    renderWithStores(<AuditScreen />, api);
    const user = userEvent.setup();
    await user.type(await screen.findByTestId('audit-filter-officer'), 'bob');
    await user.click(screen.getByTestId('audit-search'));
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(3));
    await user.click(screen.getByTestId('audit-export-csv'));
    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(api.callsTo('audit.export')).toEqual([{ officer: 'bob', format: 'csv' }]);
    expect(downloads[0]!.name).toBe('audit-2025-03-01T10-00-00Z.csv');
    expect(downloads[0]!.type).toBe('text/csv;charset=utf-8');
    expect(await downloads[0]!.text).toBe('seq,actor\r\n2,bob\r\n4,bob\r\n6,bob');
    await user.click(screen.getByTestId('audit-export-json'));
    await waitFor(() => expect(downloads).toHaveLength(2));
    expect(downloads[1]!.name).toMatch(/\.json$/);

    api.handlers['audit.export'] = () => {
      throw new ApiError({ code: 'INVALID_INPUT', message: 'The to date is before the from date.' });
    };
    await user.click(screen.getByTestId('audit-export-csv'));
    expect((await screen.findByTestId('audit-export-error')).textContent).toBe('The to date is before the from date.');
    expect(downloads).toHaveLength(2);
  });

  it('Verify chain: OK with the signed head, or the first broken link, in the words of station audit verify', async () => {
    const intact: AuditVerificationView = {
      ok: true,
      events: 12,
      head: { seq: 12, hash: 'ab'.repeat(32) },
      signedHeads: 1,
      lastSignedHead: { seq: 10, hash: 'cd'.repeat(32), at: '2025-03-01T10:00:00.000Z', keyId: 1 },
      anchor: { status: 'checked', source: '/mnt/anchor/station.json', seq: 10, at: '2025-03-01T10:00:00.000Z' },
    };
    const ANCHORED = 'Anchored: checked against /mnt/anchor/station.json (chain head seq 10 published at 2025-03-01T10:00:00.000Z).';
    const UNANCHORED = 'Unanchored: no copy of the signed chain heads outside the data dir is configured (config.json auditAnchor), so a rebuild of the whole data dir would not show.';
    const api = fakeLog(1);
    api.handlers['audit.verify'] = () => intact;
    renderWithStores(<AuditScreen />, api);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('audit-verify'));
    const ok = await screen.findByTestId('audit-verify-result');
    expect(ok.getAttribute('data-ok')).toBe('true');
    expect(ok.textContent).toBe(`Audit log intact: 12 events, head seq 12 (hash ${'ab'.repeat(32)}); last signed head: seq 10 at 2025-03-01T10:00:00.000Z (hash ${'cd'.repeat(32)}).${ANCHORED}`);
    expect(api.callsTo('audit.verify')).toEqual([{}]);

    api.handlers['audit.verify'] = () => ({ ...intact, ok: false, firstBroken: { seq: 5, problem: 'changed', message: 'Event 5 was changed after it was written.' }, anchor: { status: 'unanchored' } });
    await user.click(screen.getByTestId('audit-verify'));
    await waitFor(() => expect(screen.getByTestId('audit-verify-result').getAttribute('data-ok')).toBe('false'));
    expect(screen.getByTestId('audit-verify-result').textContent).toBe(
      `Audit log BROKEN at seq 5 (changed): Event 5 was changed after it was written.12 events stored; last signed head: seq 10 at 2025-03-01T10:00:00.000Z (hash ${'cd'.repeat(32)}).${UNANCHORED}`,
    );
  });
});
