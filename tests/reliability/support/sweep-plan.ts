/**
 * Which points a sweep visits: every one under `npm run test:sweeps`
 * (SWEEP_ALL=1), a seeded sample in `npm test` (seed SWEEP_SEED, printed so a
 * failing sample can be rerun exactly), or exactly the points SWEEP_POINTS
 * names, to rerun one failure: `SWEEP_POINTS='produce-write=84-92,120'` (the
 * sweep's name as its failure message and the code's salt give it; sweeps not
 * named visit no point).
 */

/** True when the whole sweep runs (npm run test:sweeps). */
export const SWEEP_ALL = process.env.SWEEP_ALL === '1';

/** The sample's seed: SWEEP_SEED, or a fixed default so `npm test` visits the same points every run. */
export const SWEEP_SEED = Number(process.env.SWEEP_SEED ?? 1302);

/** Points per sampled sweep: `min` (the floor), or more with SWEEP_SAMPLE. */
export function sampleSize(min: number): number {
  return Math.max(min, Number(process.env.SWEEP_SAMPLE ?? 0));
}

/**
 * The points SWEEP_POINTS pins for the sweep `salt` ("salt=1,5-9;other=3"), or
 * undefined when SWEEP_POINTS is not set.
 * @throws Error when SWEEP_POINTS is not of that form
 */
export function pinnedPoints(salt: string): number[] | undefined {
  const spec = process.env.SWEEP_POINTS;
  if (!spec) return undefined;
  const points = new Set<number>();
  for (const part of spec.split(';')) {
    const [name, list] = part.split('=');
    if (!name || !list) throw new Error(`SWEEP_POINTS: "${part}" is not sweep=points`);
    if (name.trim() !== salt) continue;
    for (const range of list.split(',')) {
      const m = /^\s*(\d+)(?:-(\d+))?\s*$/.exec(range);
      if (!m) throw new Error(`SWEEP_POINTS: "${range}" is not a point or a range`);
      for (let n = Number(m[1]); n <= Number(m[2] ?? m[1]); n++) points.add(n);
    }
  }
  return [...points].sort((a, b) => a - b);
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
  const pinned = pinnedPoints(salt);
  if (pinned) return pinned.filter((n) => n <= last);
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
  const pinned = pinnedPoints(salt);
  if (pinned) return pinned.filter((n) => n <= last);
  if (!SWEEP_ALL) return seededSample(last, sample, salt);
  if (last <= full) return Array.from({ length: last }, (_, i) => i + 1);
  return [...new Set(Array.from({ length: full }, (_, k) => 1 + Math.round((k * (last - 1)) / (full - 1))))];
}
