/**
 * Which points a sweep visits: every one under `npm run test:sweeps`
 * (SWEEP_ALL=1), a seeded sample in `npm test` (seed SWEEP_SEED, printed so a
 * failing sample can be rerun exactly).
 */

/** True when the whole sweep runs (npm run test:sweeps). */
export const SWEEP_ALL = process.env.SWEEP_ALL === '1';

/** The sample's seed: SWEEP_SEED, or a fixed default so `npm test` visits the same points every run. */
export const SWEEP_SEED = Number(process.env.SWEEP_SEED ?? 1302);

/** Points per sampled sweep: `min` (the floor), or more with SWEEP_SAMPLE. */
export function sampleSize(min: number): number {
  return Math.max(min, Number(process.env.SWEEP_SAMPLE ?? 0));
}

/** mulberry32: a small seeded generator; the sample only needs to be reproducible, not strong. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The points 1..`last` to visit, ascending: all of them under SWEEP_ALL,
 * else `sample` distinct ones drawn with SWEEP_SEED (salted with `salt`, so two
 * sweeps of one run do not visit the same indices), always including 1 and `last`.
 */
export function sweepPoints(last: number, sample: number, salt: string): number[] {
  return SWEEP_ALL ? Array.from({ length: last }, (_, i) => i + 1) : seededSample(last, sample, salt);
}

/** `sample` distinct points of 1..`last` (all when there are no more), 1 and `last` included, drawn with SWEEP_SEED salted with `salt`. */
function seededSample(last: number, sample: number, salt: string): number[] {
  if (last <= sample) return Array.from({ length: last }, (_, i) => i + 1);
  let mix = SWEEP_SEED;
  for (const ch of salt) mix = Math.imul(mix ^ ch.charCodeAt(0), 0x01000193);
  const next = seeded(mix);
  const chosen = new Set<number>([1, last]);
  while (chosen.size < sample) chosen.add(1 + Math.floor(next() * last));
  return [...chosen].sort((a, b) => a - b);
}

/**
 * Points 1..`last` for sweeps too long to visit every index (a crash point
 * costs a process): under SWEEP_ALL `full` points spread evenly, first and
 * last included; otherwise `sample` points drawn as {@link sweepPoints} does.
 */
export function spreadPoints(last: number, full: number, sample: number, salt: string): number[] {
  if (!SWEEP_ALL) return seededSample(last, sample, salt);
  if (last <= full) return Array.from({ length: last }, (_, i) => i + 1);
  return [...new Set(Array.from({ length: full }, (_, k) => 1 + Math.round((k * (last - 1)) / (full - 1))))];
}
