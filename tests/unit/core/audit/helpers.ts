/** Audit test helpers: a store with the station's audit signer, and the attacker's tools (triggers dropped). */
import { randomBytes } from 'node:crypto';
import { memoryStore } from '../store/helpers.js';
import { createSecretBox, type SecretBox } from '../../../../electron/core/pki/secret-box.js';
import { attachAuditSigner, type AuditHeadSigner } from '../../../../electron/core/audit/head-signer.js';
import type { StationStore } from '../../../../electron/core/store/store.js';
import { chainHash, GENESIS_HASH } from '../../../../electron/core/audit/chain.js';

export interface AuditFixture {
  store: StationStore;
  box: SecretBox;
  signer: AuditHeadSigner;
}

/** A memory store with an audit signer (training box), signing every `everyEvents` events (default: never in practice). */
export function auditFixture(everyEvents = 1_000_000): AuditFixture {
  const store = memoryStore();
  const box = createSecretBox(randomBytes(32), false);
  const signer = attachAuditSigner(store, box, { everyEvents });
  return { store, box, signer };
}

/** Appends `n` varied events (actors a/b, every third with a card, details on even seqs). */
export function appendEvents(store: StationStore, n: number): void {
  for (let i = 1; i <= n; i++) {
    store.audit.append({
      actor: i % 2 ? 'alice' : 'bob',
      action: `test.step${i}`,
      outcome: i % 5 === 0 ? 'failed' : 'ok',
      personId: `person-${i % 3}`,
      cardId: i % 3 === 0 ? `card-${i}` : null,
      jobId: i % 4 === 0 ? `job-${i}` : null,
      details: i % 2 === 0 ? { n: i, reason: `step, "${i}"` } : null,
    });
  }
}

/** What someone holding the database file can do: the append-only triggers are just SQL to drop. */
export function dropAuditTriggers(store: StationStore): void {
  store.db.exec('DROP TRIGGER IF EXISTS audit_events_no_update; DROP TRIGGER IF EXISTS audit_events_no_delete;');
  store.db.exec('DROP TRIGGER IF EXISTS audit_heads_no_update; DROP TRIGGER IF EXISTS audit_heads_no_delete;');
  store.db.exec('DROP TRIGGER IF EXISTS audit_keys_no_update; DROP TRIGGER IF EXISTS audit_keys_no_delete;');
}

/**
 * What an attacker who knows the (public) algorithm does after changing
 * events: recomputes every chain hash so the log is consistent again.
 * Call after dropAuditTriggers.
 */
export function rechain(store: StationStore): void {
  let prev = GENESIS_HASH;
  for (const e of store.audit.list()) {
    const hash = chainHash(prev, e);
    store.db.prepare('UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, e.seq);
    prev = hash;
  }
}
