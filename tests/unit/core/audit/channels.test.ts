/** The audit channels through the core's dispatch: the auditor lists, exports and verifies; tampering shows. */
import { afterEach, describe, expect, it } from 'vitest';
import { openTrainingStation, type TrainingStation } from '../../../support/training-station.js';
import type { AuditEventView, AuditVerificationView } from '../../../../electron/contract/station-api.js';

let t: TrainingStation | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('audit channels', () => {
  it('lists, exports and verifies the log through dispatch, and reports tampering', async () => {
    t = await openTrainingStation();
    await t.login();
    const core = t.station.core();
    const added = await core.dispatch('persons.add', { givenName: 'Ada', surname: 'Audit', affiliation: 'visitor' });
    expect(added.ok).toBe(true);
    const personId = (added as { value: { id: string } }).value.id;

    const list = await core.dispatch('audit.list', { personId });
    expect(list.ok).toBe(true);
    const events = (list as { value: AuditEventView[] }).value;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: 'tester', action: 'person.added', personId, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const exported = await core.dispatch('audit.export', { format: 'csv', officer: 'tester' });
    expect(exported.ok && (exported.value as { count: number }).count).toBeGreaterThanOrEqual(2); // login + person.added
    // The export is itself audited, right after the events it exported.
    const exportEvent = t.station.store.audit.list().at(-1)!;
    expect(exportEvent).toMatchObject({ actor: 'tester', action: 'audit.exported', seq: events[0]!.seq + 1, details: { format: 'csv', officer: 'tester' } });

    const signed = await core.dispatch('audit.verify', { sign: true });
    expect(signed).toMatchObject({ ok: true, value: { ok: true, signed: { seq: exportEvent.seq } } });

    t.station.store.db.exec("DROP TRIGGER audit_events_no_update; UPDATE audit_events SET person_id = 'someone-else' WHERE seq = " + events[0]!.seq);
    const broken = await core.dispatch('audit.verify', {});
    expect(broken.ok).toBe(true);
    expect((broken as { value: AuditVerificationView }).value).toMatchObject({ ok: false, firstBroken: { seq: events[0]!.seq, problem: 'changed' } });
    const bad = await core.dispatch('audit.list', { from: 'last week' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
