import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { retryDelayMs } from '../../../../electron/core/notifications/backoff.js';

const policy = { baseDelayMs: 1_000, maxDelayMs: 60_000, jitter: 0.5 };

describe('retryDelayMs', () => {
  it('doubles from the base delay without jitter, and stops at the cap', () => {
    const none = { ...policy, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs(n, none))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    expect(retryDelayMs(10_000, none)).toBe(60_000);
  });

  it('draws the jitter share at random: random 0 → nominal, random → 1 → nominal·(1 − jitter)', () => {
    expect(retryDelayMs(3, policy, () => 0)).toBe(4_000);
    expect(retryDelayMs(3, policy, () => 0.999999)).toBe(2_000);
    expect(retryDelayMs(3, policy, () => 0.5)).toBe(3_000);
  });

  it('stays within [nominal·(1 − jitter), cap] for any attempt count and draw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (n, r) => {
        const d = retryDelayMs(n, policy, () => r);
        const nominal = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
        return Number.isInteger(d) && d <= policy.maxDelayMs && d >= Math.floor(nominal * (1 - policy.jitter));
      }),
    );
  });
});
