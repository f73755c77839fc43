import { verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuditService, toAuditQuery } from '../../../../electron/core/audit/service.js';
import { chainHash, GENESIS_HASH } from '../../../../electron/core/audit/chain.js';
import { headSignedBytes, type AuditHeadSigner } from '../../../../electron/core/audit/head-signer.js';
import type { AuditJsonExport } from '../../../../electron/core/audit/export.js';
import { auditFixture } from './helpers.js';
import type { StationStore } from '../../../../electron/core/store/store.js';

/** Four events on two days by two officers about two persons/cards; the head signed at 4. */
function fixture(): { store: StationStore; signer: AuditHeadSigner; service: AuditService } {
  const { store, signer } = auditFixture();
  store.audit.append({ at: '2025-03-01T08:00:00.000Z', actor: 'alice', action: 'person.added', outcome: 'ok', personId: 'p1' });
  store.audit.append({ at: '2025-03-01T23:59:59.999Z', actor: 'bob', action: 'card.revoked', outcome: 'ok', personId: 'p1', cardId: 'c1', details: { reason: 'lost, "really"\nsure' } });
  store.audit.append({ at: '2025-03-02T00:00:00.000Z', actor: '=cmd|calc', action: 'officer.login', outcome: 'refused' });
  store.audit.append({ at: '2025-03-02T12:00:00+02:00', actor: 'alice', action: 'card.suspended', outcome: 'ok', personId: 'p2', cardId: 'c2' });
  signer.signHead();
  return { store, signer, service: new AuditService({ store, signer, now: () => '2025-03-03T10:00:00.000Z' }) };
}

const seqs = (service: AuditService, f: Parameters<AuditService['list']>[0]) => service.list(f).map((e) => e.seq);

describe('audit export and filters', () => {
  it('filters by inclusive dates (UTC whole days or instants), officer, person and card', () => {
    const { service } = fixture();
    expect(seqs(service, {})).toEqual([1, 2, 3, 4]);
    expect(seqs(service, { from: '2025-03-01', to: '2025-03-01' })).toEqual([1, 2]);
    expect(seqs(service, { from: '2025-03-02' })).toEqual([3, 4]);
    // 12:00+02:00 is 10:00Z: an instant `to` is inclusive.
    expect(seqs(service, { from: '2025-03-02T00:00:00.001Z', to: '2025-03-02T10:00:00Z' })).toEqual([4]);
    expect(seqs(service, { to: '2025-03-01T23:59:59.998Z' })).toEqual([1]);
    expect(seqs(service, { officer: 'alice' })).toEqual([1, 4]);
    expect(seqs(service, { personId: 'p1' })).toEqual([1, 2]);
    expect(seqs(service, { cardId: 'c2' })).toEqual([4]);
    expect(seqs(service, { officer: 'alice', personId: 'p1' })).toEqual([1]);
    expect(seqs(service, { afterSeq: 2, limit: 1 })).toEqual([3]);
  });

  it('refuses malformed or inverted dates', () => {
    for (const f of [{ from: '2025-02-30' }, { to: 'yesterday' }, { from: '03/01/2025' }, { from: '2025-03-02', to: '2025-03-01' }]) {
      expect(() => toAuditQuery(f)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });

  it('writes RFC 4180 CSV with canonical details, chain hashes and formula-safe cells', () => {
    const { service, store } = fixture();
    const out = service.export({ from: '2025-03-01', to: '2025-03-02' }, 'csv', 'auditor');
    expect(out).toMatchObject({ format: 'csv', count: 4, filename: 'audit-2025-03-03T10-00-00Z.csv' });
    const lines = out.content.split('\r\n');
    expect(lines[0]).toBe('seq,at,actor,action,outcome,person_id,card_id,job_id,details,prev_hash,hash');
    const events = store.audit.list();
    expect(lines[1]).toBe(`1,2025-03-01T08:00:00.000Z,alice,person.added,ok,p1,,,,${GENESIS_HASH},${events[0]!.hash}`);
    // Quotes doubled, the field quoted because of the comma, quote and line break (RFC 4180 §2.6-2.7).
    expect(out.content).toContain(`2,2025-03-01T23:59:59.999Z,bob,card.revoked,ok,p1,c1,,"{""reason"":""lost, \\""really\\""\\nsure""}",${events[0]!.hash},${events[1]!.hash}\r\n`);
    expect(lines[3]).toMatch(/^3,2025-03-02T00:00:00.000Z,'=cmd\|calc,officer.login,refused,/);
    expect(lines[5]).toBe('');
    expect(service.export({ officer: 'bob' }, 'csv', 'auditor').content.split('\r\n')).toHaveLength(3);
  });

  it('writes JSON an auditor can recheck outside the station: chain, signed heads, public keys', () => {
    const { service } = fixture();
    const out = service.export({ personId: 'p1' }, 'json', 'auditor');
    const doc = JSON.parse(out.content) as AuditJsonExport;
    expect(doc).toMatchObject({ format: 'piv-station-audit-export/1', exportedAt: '2025-03-03T10:00:00.000Z', filter: { personId: 'p1' }, chain: { hash: 'SHA-256', canonicalization: 'RFC 8785' } });
    expect(doc.events.map((e) => e.seq)).toEqual([1, 2]);
    expect(doc.events[1]).toMatchObject({ actor: 'bob', cardId: 'c1', details: { reason: 'lost, "really"\nsure' } });
    // Recompute the chain from the export alone.
    expect(chainHash(GENESIS_HASH, doc.events[0]!)).toBe(doc.events[0]!.hash);
    expect(chainHash(doc.events[0]!.hash!, doc.events[1]!)).toBe(doc.events[1]!.hash);
    // Check the signed head with the exported public key (openssl-compatible PEM SPKI).
    const full = JSON.parse(service.export({}, 'json', 'auditor').content) as AuditJsonExport;
    const head = full.signedHeads.at(-1)!;
    expect(head.hash).toBe(full.events.find((e) => e.seq === head.seq)!.hash);
    const key = full.auditKeys.find((k) => k.id === head.keyId)!;
    expect(key.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(verify('sha256', headSignedBytes(head), key.publicKeyPem, Buffer.from(head.signature, 'base64'))).toBe(true);
    expect(verify('sha256', headSignedBytes({ ...head, seq: head.seq + 1 }), key.publicKeyPem, Buffer.from(head.signature, 'base64'))).toBe(false);
  });

  it('audits every export: who, format, filter and how many events left the station', () => {
    const { service, store } = fixture();
    const before = store.audit.list().length;
    const out = service.export({ personId: 'p1', from: '2025-03-01' }, 'csv', 'auditor');
    const last = store.audit.list().at(-1)!;
    expect(store.audit.list()).toHaveLength(before + 1);
    expect(last).toMatchObject({ actor: 'auditor', action: 'audit.exported', outcome: 'ok', details: { format: 'csv', count: out.count, personId: 'p1', from: '2025-03-01' } });
  });
});
