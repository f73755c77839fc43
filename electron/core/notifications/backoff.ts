/**
 * Retry delays: exponential back-off with jitter, bounded. After attempt n
 * failed, the nominal delay is base·2^(n-1) capped at max; a `jitter` share of
 * it is drawn at random, so stations retrying after the same outage spread out
 * ("Exponential Backoff And Jitter", AWS Architecture Blog, 2015).
 */
import type { DeliveryPolicy } from './config.js';

/**
 * Delay before the next attempt, in milliseconds.
 * @param attempts attempts made so far (≥ 1)
 * @param policy   baseDelayMs, maxDelayMs, jitter (0…1)
 * @param random   uniform in [0, 1) (injected by tests)
 * @returns an integer in [nominal·(1 − jitter), nominal], nominal = min(max, base·2^(attempts−1))
 */
export function retryDelayMs(attempts: number, policy: Pick<DeliveryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'jitter'>, random: () => number = Math.random): number {
  const exponent = Math.max(0, attempts - 1);
  // 2^exponent overflows to Infinity long after it passed any cap: min() keeps it bounded.
  const nominal = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(exponent, 60));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(nominal * (1 - policy.jitter * r));
}
