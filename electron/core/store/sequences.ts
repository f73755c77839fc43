/** Named counters (e.g. credential numbers): every value handed out once, never reused. */
import { z } from 'zod';
import { guard, validate, type StoreContext } from './sql.js';

export interface SequencesRepository {
  /**
   * Returns the sequence's next value and advances it, atomically (one
   * statement; SQLite serialises writers across connections). The first call
   * for a name returns `start` (default 1). Values are never reused, even
   * when the caller's later work fails.
   * @throws StationError INVALID_INPUT (empty name, non-integer start)
   */
  nextValue(name: string, start?: number): number;
}

export function sequencesRepository(ctx: StoreContext): SequencesRepository {
  const next = ctx.db.prepare(
    `INSERT INTO sequences (name, next_value) VALUES (@name, @start + 1)
     ON CONFLICT (name) DO UPDATE SET next_value = next_value + 1
     RETURNING next_value - 1 AS value`,
  );
  return {
    nextValue(name, start = 1) {
      const n = validate(z.string().min(1).max(100), name, 'sequence name');
      const s = validate(z.number().int().min(0), start, 'sequence start');
      const row = guard('sequence', () => next.get({ name: n, start: s }) as { value: number });
      return row.value;
    },
  };
}
