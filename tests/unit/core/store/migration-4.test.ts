import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, runMigrations, schemaVersion } from '../../../../electron/core/store/migrations.js';
import { openStore } from '../../../../electron/core/store/store.js';
import { openDatabase } from '../../../../native/sqlite.js';
import { attachAuditSigner } from '../../../../electron/core/audit/head-signer.js';
import { AuditService } from '../../../../electron/core/audit/service.js';
import { createSecretBox } from '../../../../electron/core/pki/secret-box.js';

const AUDIT_CHAIN_MIGRATION = MIGRATIONS.findIndex((m) => m.name === 'audit hash chain, signed heads') + 1;

/** A database one step before the audit chain migration, holding three unchained audit events. */
function legacyDatabase() {
  const db = openDatabase(':memory:');
  runMigrations(db, MIGRATIONS.slice(0, AUDIT_CHAIN_MIGRATION - 1));
  const insert = db.prepare('INSERT INTO audit_events (at, actor, action, outcome, card_id, details_json) VALUES (?, ?, ?, ?, ?, ?)');
  insert.run('2025-01-01T00:00:00.000Z', 'station', 'card.produced', 'ok', 'c1', '{"z":1,"a":"x"}');
  insert.run('2025-01-02T00:00:00.000Z', 'alice', 'officer.login', 'refused', null, null);
  insert.run('2025-01-03T00:00:00+02:00', 'bob', 'request.approved', 'ok', null, '{"requestId":"r1"}');
  return db;
}

describe('migration 4: audit hash chain, signed heads', () => {
  it('is the audit chain migration', () => {
    expect(AUDIT_CHAIN_MIGRATION).toBe(4);
  });

  it('adds the chain columns, the keys and heads tables, and chains existing events once, at the opening that upgrades the store', () => {
    const probe = legacyDatabase();
    expect(runMigrations(probe, MIGRATIONS.slice(0, AUDIT_CHAIN_MIGRATION))).toEqual([AUDIT_CHAIN_MIGRATION]);
    expect(schemaVersion(probe)).toBe(AUDIT_CHAIN_MIGRATION);
    const columns = (probe.prepare('PRAGMA table_info(audit_events)').all() as { name: string }[]).map((c) => c.name);
    expect(columns.slice(-2)).toEqual(['prev_hash', 'hash']);
    expect((probe.prepare('SELECT count(*) AS n FROM audit_events WHERE hash IS NULL').get() as { n: number }).n).toBe(3);

    const db = legacyDatabase();
    const store = openStore(db);
    expect(store.audit.chainedOnOpen).toBe(3);
    const events = store.audit.list();
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events[0]!.prevHash).toBe('0'.repeat(64));
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
    expect(events[0]!.details).toEqual({ z: 1, a: 'x' }); // stored text untouched
    // The upgrade is the one case where a log with events gets the station's first audit key, and its head signed.
    const signer = attachAuditSigner(store, createSecretBox(randomBytes(32), false));
    expect(signer.keyId).not.toBeNull();
    expect(store.audit.heads.latest()?.seq).toBe(3);
    expect(new AuditService({ store, signer }).verify()).toMatchObject({ ok: true, events: 3 });
    // New events continue the chain.
    const e4 = store.audit.append({ actor: 'carol', action: 'x', outcome: 'ok' });
    expect(e4).toMatchObject({ seq: 4, prevHash: events[2]!.hash });
    expect(new AuditService({ store, signer }).verify()).toMatchObject({ ok: true, events: 4 });
  });

  it('keeps the log append-only: only the one-time filling of a legacy row passes the trigger', () => {
    const db = legacyDatabase();
    runMigrations(db);
    // A legacy row may get its chain columns, nothing else, and only once.
    expect(() => db.prepare("UPDATE audit_events SET actor = 'x', prev_hash = 'a', hash = 'b' WHERE seq = 1").run()).toThrow(/append-only/);
    db.prepare("UPDATE audit_events SET prev_hash = 'a', hash = 'b' WHERE seq = 1").run();
    expect(() => db.prepare("UPDATE audit_events SET hash = 'c' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_events WHERE seq = 2').run()).toThrow(/append-only/);
    const now = '2025-01-01T00:00:00Z';
    db.prepare("INSERT INTO audit_keys (algorithm, public_key_spki, sealed_private_key, created_at) VALUES ('ECDSA-P256-SHA256', x'01', x'02', ?)").run(now);
    db.prepare("INSERT INTO audit_heads (seq, hash, at, key_id, signature) VALUES (1, 'b', ?, 1, x'03')").run(now);
    expect(() => db.prepare('DELETE FROM audit_heads').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE audit_heads SET hash = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_keys').run()).toThrow(/append-only/);
    expect(() => db.prepare("INSERT INTO audit_heads (seq, hash, at, key_id, signature) VALUES (1, 'b', ?, 99, x'03')").run(now)).toThrow(/FOREIGN KEY/);
  });

  it('never re-chains a log later (NULL hashes are tampering, left for verify), not even one stripped of every hash', () => {
    const db = legacyDatabase();
    const store = openStore(db);
    const box = createSecretBox(randomBytes(32), false);
    attachAuditSigner(store, box);
    db.exec('DROP TRIGGER audit_events_no_update');
    db.prepare('UPDATE audit_events SET prev_hash = NULL, hash = NULL WHERE seq = 2').run();
    const reopened = openStore(db);
    expect(reopened.audit.chainedOnOpen).toBe(0);
    expect(reopened.audit.list()[1]!.hash).toBeNull();
    expect(new AuditService({ store: reopened, signer: attachAuditSigner(reopened, box) }).verify().firstBroken).toMatchObject({ seq: 2, problem: 'changed' });
    // Every hash stripped, heads and keys deleted: an opening that is no upgrade does not rebuild the chain.
    db.exec('DROP TRIGGER audit_heads_no_delete; DROP TRIGGER audit_keys_no_delete; DELETE FROM audit_heads; DELETE FROM audit_keys;');
    db.prepare('UPDATE audit_events SET prev_hash = NULL, hash = NULL').run();
    const stripped = openStore(db);
    expect(stripped.audit.chainedOnOpen).toBe(0);
    const signer = attachAuditSigner(stripped, box);
    expect(signer.keyId).toBeNull();
    expect(new AuditService({ store: stripped, signer }).verify().ok).toBe(false);
  });
});
