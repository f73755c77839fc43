/**
 * PUK rotation that never loses the PUK (issue 5 "PIN unlock").
 *
 * Order: the new PUK is escrowed and the previous one kept (sealed) in
 * `puk_rotations` in one transaction BEFORE CHANGE REFERENCE DATA touches the
 * card; the rotation row is removed only after the card accepted the change.
 * If the station stops in between, exactly one of {escrowed, previous} is on
 * the card, and {@link pukCandidates} offers both, escrowed first: at most one
 * PUK try is spent, and the success resets the counter (SP 800-73-4 Part 2 §3.2.2).
 */
import type { StationStore } from '../store/store.js';
import type { Keyring } from '../pki/keyring.js';
import type { SecretBox } from '../pki/secret-box.js';
import { escrowPuk, escrowedPuk } from '../issuance/card-secrets.js';
import { StationError } from '../errors.js';

/** AAD label of a card's previous PUK while a rotation is in flight. */
function previousLabel(cardId: string): string {
  return `escrow:PUK-previous:${cardId}`;
}

/** What the rotation needs. */
export interface PukRotationDeps {
  store: StationStore;
  keyring: Keyring;
}

/**
 * The PUKs that may be on the card, in the order to try them: the escrowed
 * PUK, then the previous PUK of an interrupted rotation (if any).
 * @throws StationError INTERNAL when nothing is escrowed for the card; SECRETS_LOCKED
 */
export function pukCandidates(deps: PukRotationDeps, cardId: string): string[] {
  const escrowed = escrowedPuk(deps, cardId);
  if (escrowed === undefined) throw new StationError('INTERNAL', 'This card has no escrowed PUK; it cannot be unlocked at the desk.', { cardId });
  const row = deps.store.db.prepare('SELECT sealed_previous FROM puk_rotations WHERE card_id = ?').get(cardId) as { sealed_previous: Buffer } | undefined;
  if (!row) return [escrowed];
  const previous = new TextDecoder().decode(deps.keyring.box.open(new Uint8Array(row.sealed_previous), previousLabel(cardId)));
  return previous === escrowed ? [escrowed] : [escrowed, previous];
}

/**
 * Step 1 of a rotation: escrows `nextPuk` and keeps `currentPuk` (the one on
 * the card now) as the previous PUK, in one transaction.
 */
export function beginPukRotation(deps: PukRotationDeps, cardId: string, currentPuk: string, nextPuk: string): void {
  const sealedPrevious = deps.keyring.box.seal(new TextEncoder().encode(currentPuk), previousLabel(cardId));
  deps.store.transaction(() => {
    deps.store.db
      .prepare(
        `INSERT INTO puk_rotations (card_id, sealed_previous, started_at) VALUES (?, ?, ?)
         ON CONFLICT (card_id) DO UPDATE SET sealed_previous = excluded.sealed_previous, started_at = excluded.started_at`,
      )
      .run(cardId, Buffer.from(sealedPrevious), new Date().toISOString());
    escrowPuk(deps, cardId, nextPuk);
  });
}

/**
 * Seals the previous PUKs of rotations in flight again with the box's current key (a passphrase
 * change, core/reseal.ts).
 * @returns how many were sealed again
 */
export function resealPukRotations(store: StationStore, box: SecretBox): number {
  const rows = store.db.prepare('SELECT card_id, sealed_previous FROM puk_rotations').all() as { card_id: string; sealed_previous: Buffer }[];
  let resealed = 0;
  for (const row of rows) {
    const sealed = new Uint8Array(row.sealed_previous);
    if (box.isCurrent(sealed, previousLabel(row.card_id))) continue;
    store.db.prepare('UPDATE puk_rotations SET sealed_previous = ? WHERE card_id = ?').run(Buffer.from(box.reseal(sealed, previousLabel(row.card_id))), row.card_id);
    resealed++;
  }
  return resealed;
}

/** Step 3 of a rotation, after the card accepted the new PUK: the previous PUK is forgotten. */
export function finishPukRotation(deps: PukRotationDeps, cardId: string): void {
  deps.store.db.prepare('DELETE FROM puk_rotations WHERE card_id = ?').run(cardId);
}

/** True while a rotation of the card's PUK is unconfirmed. */
export function pukRotationPending(deps: PukRotationDeps, cardId: string): boolean {
  return deps.store.db.prepare('SELECT 1 FROM puk_rotations WHERE card_id = ?').get(cardId) !== undefined;
}
