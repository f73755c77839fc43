/**
 * Escrow repository: stores blobs the caller ALREADY sealed (encrypted with
 * the station's escrow key). The store never sees a plaintext secret, so it
 * can neither log nor leak one.
 */
import { z } from 'zod';
import { ESCROW_KINDS, type EscrowKind } from './records.js';
import { guard, validate, type StoreContext } from './sql.js';

export interface EscrowRepository {
  /**
   * Stores (or replaces, e.g. after a PUK change) the sealed secret of `kind` for a card.
   * @throws StationError INVALID_INPUT (empty blob, unknown kind), NOT_FOUND_RECORD (unknown card)
   */
  put(cardId: string, kind: EscrowKind, sealed: Uint8Array): void;
  /** The sealed blob, or undefined when none was escrowed. */
  get(cardId: string, kind: EscrowKind): Uint8Array | undefined;
  /** Every escrowed blob (for sealing them again after a passphrase change). */
  list(): { cardId: string; kind: EscrowKind; sealed: Uint8Array }[];
  /** Replaces the blob of an escrowed secret, keeping when it was escrowed (sealed again, same secret). */
  replaceSealed(cardId: string, kind: EscrowKind, sealed: Uint8Array): void;
}

export function escrowRepository(ctx: StoreContext): EscrowRepository {
  const { db } = ctx;
  const upsert = db.prepare(
    `INSERT INTO escrow (card_id, kind, sealed, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (card_id, kind) DO UPDATE SET sealed = excluded.sealed, created_at = excluded.created_at`,
  );
  const select = db.prepare('SELECT sealed FROM escrow WHERE card_id = ? AND kind = ?');
  const selectAll = db.prepare('SELECT card_id, kind, sealed FROM escrow ORDER BY card_id, kind');
  const updateSealed = db.prepare('UPDATE escrow SET sealed = ? WHERE card_id = ? AND kind = ?');
  return {
    put(cardId, kind, sealed) {
      const k = validate(z.enum(ESCROW_KINDS), kind, 'escrow kind');
      const blob = validate(z.instanceof(Uint8Array).refine((b) => b.length > 0, 'empty'), sealed, 'sealed secret');
      guard('escrowed secret', () => upsert.run(cardId, k, Buffer.from(blob), ctx.now()));
    },
    get(cardId, kind) {
      const row = guard('escrowed secret', () => select.get(cardId, kind) as { sealed: Buffer } | undefined);
      return row ? new Uint8Array(row.sealed) : undefined;
    },
    list() {
      const rows = guard('escrowed secret', () => selectAll.all() as { card_id: string; kind: EscrowKind; sealed: Buffer }[]);
      return rows.map((r) => ({ cardId: r.card_id, kind: r.kind, sealed: new Uint8Array(r.sealed) }));
    },
    replaceSealed(cardId, kind, sealed) {
      const blob = validate(z.instanceof(Uint8Array).refine((b) => b.length > 0, 'empty'), sealed, 'sealed secret');
      guard('escrowed secret', () => updateSealed.run(Buffer.from(blob), cardId, kind));
    },
  };
}
