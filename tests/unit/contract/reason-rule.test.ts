/**
 * The stated-reason rule is written once (electron/contract/reason-rule.ts):
 * every channel that takes a reason accepts exactly the texts the screens'
 * isStatedReason accepts, so a screen never enables a button the core refuses
 * nor refuses a reason the core would take (issue 10: no rule written twice).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { channels } from '../../../electron/contract/station-api.js';
import { REASON_MAX_LENGTH, REASON_MIN_LENGTH, isStatedReason } from '../../../electron/contract/reason-rule.js';

const ID = 'a1b2c3d4-0000-4000-8000-000000000001';
/** Each channel that takes a reason, with the rest of a valid input. */
const WITH_REASON = {
  'requests.reject': (reason: string) => ({ requestId: ID, reason }),
  'jobs.cancel': (reason: string) => ({ jobId: ID, reason }),
  'batches.cancelItem': (reason: string) => ({ batchId: ID, requestId: ID, reason }),
} as const;

describe('a stated reason', () => {
  test('is 3 to 500 characters once trimmed', () => {
    expect([REASON_MIN_LENGTH, REASON_MAX_LENGTH]).toEqual([3, 500]);
    expect(isStatedReason('  ab  ')).toBe(false);
    expect(isStatedReason(' lost ')).toBe(true);
    expect(isStatedReason('x'.repeat(500))).toBe(true);
    expect(isStatedReason('x'.repeat(501))).toBe(false);
  });

  test.each(Object.keys(WITH_REASON) as (keyof typeof WITH_REASON)[])('%s accepts exactly what isStatedReason accepts', (channel) => {
    const text = fc.oneof(fc.string({ maxLength: 8 }), fc.string({ minLength: 495, maxLength: 505 }), fc.constantFrom('   ', ' ab ', ' abc ', '\tok\n'));
    fc.assert(
      fc.property(text, (reason) => {
        const parsed = channels[channel].input.safeParse(WITH_REASON[channel](reason));
        expect(parsed.success).toBe(isStatedReason(reason));
      }),
      { seed: 10, numRuns: 300 },
    );
  });
});
