/**
 * Hostile input for parser tests (issue 13 "Bad input"): random bytes and
 * mutations of a valid sample (bytes flipped, dropped, inserted, the tail cut
 * off), as fast-check arbitraries, and the one property every parser must
 * hold: it returns, or it throws a StationError — never a foreign exception
 * (whose text may quote the input) and never a crash.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { StationError } from '../../electron/core/errors.js';

type Edit = ['set' | 'delete' | 'insert' | 'truncate', number, number];

/** `seed` with up to `maxEdits` random edits (set, delete, insert a byte, cut the tail). */
export function mutated(seed: Uint8Array, maxEdits = 6): fc.Arbitrary<Uint8Array> {
  const edit = fc.tuple(fc.constantFrom<Edit[0]>('set', 'delete', 'insert', 'truncate'), fc.nat(), fc.integer({ min: 0, max: 255 }));
  return fc.array(edit, { minLength: 1, maxLength: maxEdits }).map((edits) => {
    const bytes = Array.from(seed);
    for (const [op, position, value] of edits) {
      const at = bytes.length === 0 ? 0 : position % bytes.length;
      if (op === 'set' && bytes.length > 0) bytes[at] = value;
      else if (op === 'delete') bytes.splice(at, 1);
      else if (op === 'insert') bytes.splice(at, 0, value);
      else if (op === 'truncate') bytes.length = at;
    }
    return Uint8Array.from(bytes);
  });
}

/** Random bytes (up to `maxLength`) or a mutation of one of `seeds`. */
export function hostileBytes(seeds: Uint8Array[], maxLength = 600): fc.Arbitrary<Uint8Array> {
  return fc.oneof(fc.uint8Array({ maxLength }), ...seeds.map((s) => mutated(s)));
}

/** What a parser did with one input. */
export type Outcome = { ok: true } | { ok: false; error: StationError };

/**
 * Runs `parse` and asserts it either returned or threw a StationError.
 * @returns the outcome, for tests that count or check codes
 */
export async function typedOutcome(parse: () => unknown): Promise<Outcome> {
  try {
    await parse();
    return { ok: true };
  } catch (e) {
    expect(e, `a foreign exception escaped: ${String(e)}`).toBeInstanceOf(StationError);
    return { ok: false, error: e as StationError };
  }
}

/** Asserts with fast-check that `parse` is typed on every hostile input derived from `seeds`. */
export async function assertTypedOnHostileInput(seeds: Uint8Array[], parse: (bytes: Uint8Array) => unknown, numRuns = 400): Promise<void> {
  await fc.assert(
    fc.asyncProperty(hostileBytes(seeds), async (bytes) => {
      await typedOutcome(() => parse(bytes));
    }),
    { numRuns },
  );
}
